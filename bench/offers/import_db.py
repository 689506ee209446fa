"""The database the import benches run against: migrated, occupations loaded, index warm."""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import Session

from models.enums import Role
from models.user import User
from service import create_app
from service.core import migrations
from service.core.db import get_engine
from service.occupations import get_index, load_occupations

#: The coordinator the benches import as (never stored).
BENCH_USER = User(id=None, username="bench", role=Role.COORDINATOR)


def bench_arguments(size_option: str, default: int) -> argparse.Namespace:
    """``size_option`` (how much to import) and ``--database-url`` from the command line."""
    parser = argparse.ArgumentParser()
    parser.add_argument(size_option, type=int, default=default)
    parser.add_argument("--database-url", default=None)
    return parser.parse_args()


@contextmanager
def import_session(database_url: str | None) -> Iterator[Session]:
    """A session in an app context on ``database_url``, or on a fresh SQLite file without one.

    Prints how long the occupation index takes to build, so that the imports timed afterwards
    do not include it.
    """
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"DATABASE_URL": url, "QUALIMATCH_ENV": "test", "LOG_LEVEL": "WARNING"})
        engine = get_engine(app)
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as session, app.app_context():
            load_occupations(session)
            started = time.perf_counter()
            get_index(session)  # built once per process in the server as well
            print(f"occupation index warm-up seconds={time.perf_counter() - started:.2f}")
            yield session
        engine.dispose()
