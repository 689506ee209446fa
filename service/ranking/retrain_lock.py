"""Exactly one retrain at a time: a PostgreSQL advisory lock, or a file lock on SQLite.

PostgreSQL: ``pg_try_advisory_lock`` on a dedicated connection held for the whole run; the
server releases it when that connection ends, so a crashed job never leaves a stale lock.
SQLite (single host by nature): ``fcntl.flock`` on ``<database file>.retrain.lock``, which the
kernel releases when the process dies.
"""

from __future__ import annotations

import fcntl
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import Engine, text

RETRAIN_LOCK_KEY = 0x716D_7274  # "qmrt"


class RetrainLockedError(RuntimeError):
    """Another retrain holds the lock."""


@contextmanager
def retrain_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine):
            yield
    else:
        with _file_lock(_lock_path(engine)):
            yield


@contextmanager
def _advisory_lock(engine: Engine) -> Iterator[None]:
    with engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": RETRAIN_LOCK_KEY})
        if not got.scalar():
            raise RetrainLockedError(_("Ein anderes Retraining läuft bereits."))
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": RETRAIN_LOCK_KEY})
            conn.commit()


def _lock_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        return Path(tempfile.gettempdir()) / "qualimatch.retrain.lock"
    return Path(database + ".retrain.lock")


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RetrainLockedError(_("Ein anderes Retraining läuft bereits.")) from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
