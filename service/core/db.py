"""One engine per app, one session per request or command (flaskr's get_db/close_db pattern).

Who commits: the boundary, never the domain. Domain functions (everything outside ``api/``,
``web/`` and ``cli/``) add, flush and audit in the session they are given; the request or
command around them commits:

- an API request once, in :func:`finish_request`, after the response status is known (a
  success commits, any error response rolls back), so its writes are all-or-nothing;
- a web view right after the domain call it made succeeded (an error leaves nothing behind:
  the session is closed, i.e. rolled back, at teardown);
- a CLI command when its :func:`session_scope` block (``service.cli.errors.command_session``)
  ends without an error.

A domain function may roll back only to leave the session usable after a lost race (a unique
index or a version check). Older domain functions that still call ``commit()`` themselves (the
offers package) are harmless inside an API request: there :class:`RequestSession` turns the
call into a flush.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import structlog
from flask import Flask, Response, current_app, g, has_request_context, json, request
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from service.core.audit import REQUEST_ID_KEY
from service.core.config import Settings
from service.core.errors import HTTP_CODES

ENGINE_KEY = "qualimatch.engine"
#: Requests under this prefix get a session that commits only with a successful response.
ATOMIC_PREFIX = "/api/"

log = structlog.get_logger(__name__)


class RequestSession(Session):
    """A session whose ``commit()`` only flushes while ``deferred`` is set.

    Services commit where their unit of work ends, as they do in CLI commands; inside an API
    request that becomes a flush (constraints are checked, ids assigned) and the one real
    commit happens in :func:`finish_request`, after the response status is known. Whatever a
    view does after a service call (serialising, a second service call) can no longer leave a
    half-done change behind when it fails.
    """

    deferred = False

    def commit(self) -> None:
        if self.deferred:
            self.flush()
            return
        super().commit()

    def finish(self, *, success: bool) -> None:
        self.deferred = False
        if success:
            super().commit()
        else:
            self.rollback()


def make_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        path = settings.database_url.removeprefix("sqlite:///")
        if path and path != settings.database_url and ":memory:" not in path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            settings.database_url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=NullPool,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    url = settings.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        pool_timeout=5,
        connect_args={"connect_timeout": 5},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # SQLite's own lower() folds ASCII only; the catalogue search needs "Ä" → "ä" as PostgreSQL.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def get_engine(app: Flask | None = None) -> Engine:
    engine: Engine = (app or current_app).extensions[ENGINE_KEY]
    return engine


def get_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        session = RequestSession(get_engine(), expire_on_commit=False)
        session.deferred = _atomic_request()
        if has_request_context():
            session.info[REQUEST_ID_KEY] = g.get("request_id")
        g.db_session = session
    current: Session = g.db_session
    return current


def _atomic_request() -> bool:
    return has_request_context() and request.path.startswith(ATOMIC_PREFIX)


def finish_request(response: Response) -> Response:
    """Commit the request's work for a success (< 400), roll it back for an error response.

    The session ends here too: a later request in the same app context (a test that holds one
    open) opens its own deferred session instead of reusing a finished one that commits.
    """
    session: RequestSession | None = g.get("db_session")
    if session is None or not session.deferred:
        return response
    try:
        session.finish(success=response.status_code < 400)
    except SQLAlchemyError as exc:
        session.rollback()
        log.error("commit_failed", error_type=type(exc).__name__)
        code, message = HTTP_CODES[503]
        # Rewritten in place, so the headers set so far (request id, security) stay.
        response.status_code = 503
        response.mimetype = "application/json"
        response.set_data(json.dumps({"error": {"code": code, "message": message, "details": []}}))
        response.headers["Retry-After"] = "5"
    finally:
        close_session()
    return response


def close_session(_exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


@contextmanager
def session_scope(app: Flask | None = None) -> Iterator[Session]:
    """A session for CLI commands and background work: commit on success, roll back on error."""
    with Session(get_engine(app), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def init_app(app: Flask, settings: Settings) -> None:
    app.extensions[ENGINE_KEY] = make_engine(settings)
    app.teardown_appcontext(close_session)
    app.after_request(finish_request)
