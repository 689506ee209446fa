"""Optimistic locking for the versioned tables: offer, profile, provider (``Versioned``).

A service checks the version the client sent against the loaded row, changes the row's
attributes and calls :func:`flush_versioned`. SQLAlchemy bumps ``version`` and matches the
loaded one in the same UPDATE, so of two transactions that loaded the same version only the
first to write wins; the other gets the caller's 409 with the version now stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from service.core import audit
from service.core.audit import Actor
from service.core.domain_errors import Conflict


def flush_versioned(session: Session, row: Any, stale: Callable[[int], Conflict]) -> None:
    """Flush the pending change to ``row``; ``stale(current_version)`` if someone was faster.

    A failed flush has already rolled the database back to the innermost savepoint (an
    import's row) or to the transaction's start. Outside a savepoint the session is rolled
    back too, so that it stays usable for the error page, as after any other 409.
    """
    model, ident, loaded = type(row), row.id, row.version
    try:
        session.flush()
    except StaleDataError:
        nested = session.in_nested_transaction()
        if not nested:
            session.rollback()
        current = _current_version(session, model, ident, nested=nested)
        raise stale(loaded if current is None else current) from None


def save_versioned(
    session: Session,
    row: Any,
    changes: dict[str, Any],
    stale: Callable[[int], Conflict],
    *,
    action: str,
    by: Actor,
) -> None:
    """Apply ``changes`` to ``row``, flush it versioned and audit the changed fields.

    Does not commit: the request or command that called the domain function does.
    """
    for name, value in changes.items():
        setattr(row, name, value)
    flush_versioned(session, row, stale)
    object_type = action.split(".")[0]
    audit.record(session, action, object_type, row.id, by=by, detail={"fields": sorted(changes)})
    session.flush()
    session.refresh(row)


def _current_version(session: Session, model: Any, ident: Any, *, nested: bool) -> int | None:
    query = select(model.version).where(model.id == ident)
    if not nested:
        return session.scalar(query)
    # The savepoint's transaction object stays unusable until the caller leaves it; the version
    # another transaction committed is visible to a connection of its own just the same.
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.connect() as connection:
        return connection.scalar(query)
