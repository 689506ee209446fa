"""Shared fixtures: one migrated database per backend and test session, emptied per test.

PostgreSQL tests use a database of their own (created here, dropped afterwards) on the local
server. Without a server they skip loudly; under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel
from threadpoolctl import threadpool_limits

from models.enums import Role
from service import create_app
from service.core import migrations, security
from service.core.db import get_engine
from service.occupations import OccupationIndex, build_default_index, load_occupations
from service.ranking import model_store
from service.recommendations.catalog import CATALOG_KEY
from tests.factories import Actor, Factory

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
KEEP_TABLES = {"occupation", "occupation_title", "alembic_version"}


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing() -> Iterator[None]:
    """Passwords hash with argon2's cheapest parameters in tests (as Django's test settings do):
    each sign-in would otherwise cost a fifth of a second. Production keeps
    ``security.PASSWORD_PARAMETERS`` (pinned in tests/unit/test_security.py)."""
    production = security._hasher
    security._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    yield
    security._hasher = production


@pytest.fixture(autouse=True, scope="session")
def one_thread_per_test_process() -> Iterator[None]:
    """Each test process computes on one thread, as ``qualimatch retrain`` does by default
    (``TRAINING_THREADS``): with two xdist workers on two cores, OpenMP threads that wait for
    each other made a small retrain five times slower."""
    with threadpool_limits(limits=1):
        yield


def _postgres_available() -> str | None:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"{type(exc).__name__}: {exc}".strip()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (and xdist worker)."""
    import psycopg

    problem = _postgres_available()
    if problem:
        message = f"PostgreSQL unter {PG_ADMIN_URL} nicht erreichbar: {problem}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        warnings.warn(f"POSTGRES-TESTS ÜBERSPRUNGEN – {message}", stacklevel=1)
        pytest.skip(message)
    name = f"qm_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _prepared_app(database_url: str) -> Flask:
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "QUALIMATCH_ENV": "test",
            "RATE_LIMITS_ENABLED": False,
        }
    )
    engine = get_engine(app)
    migrations.upgrade(engine)
    with Session(engine) as session:
        load_occupations(session)
    return app


@pytest.fixture(scope="session")
def sqlite_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    path = tmp_path_factory.mktemp("db") / "test.sqlite3"
    return _prepared_app(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def postgres_app(postgres_url: str) -> Iterator[Flask]:
    flask_app = _prepared_app(postgres_url)
    yield flask_app
    get_engine(flask_app).dispose()


def _empty_tables(engine: Engine) -> None:
    tables = [t for t in reversed(SQLModel.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
            conn.execute(text("DELETE FROM sqlite_sequence"))  # AUTOINCREMENT counters


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest) -> Flask:
    """The app on each backend, with empty tables (the KldB classification stays loaded)."""
    flask_app: Flask = request.getfixturevalue(f"{request.param}_app")
    _empty_tables(get_engine(flask_app))
    model_store.reset_cache()  # a champion loaded by an earlier test is gone with its tables
    flask_app.extensions.pop(CATALOG_KEY, None)  # and so is its offer catalogue
    return flask_app


@pytest.fixture(scope="session")
def occupation_index() -> OccupationIndex:
    """The typo-tolerant search over the whole KldB 2010 (built once per worker; read-only)."""
    return build_default_index()


@pytest.fixture
def sqlite_only_app(sqlite_app: Flask) -> Flask:
    _empty_tables(get_engine(sqlite_app))
    return sqlite_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with Session(get_engine(app), expire_on_commit=False) as s:
        yield s


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory(app)


def _actor_fixture(role: Role) -> Any:
    """A fixture named after ``role``: a new user of that role with a token."""

    @pytest.fixture(name=role.value)
    def actor(factory: Factory) -> Actor:
        return factory.actor(role)

    return actor


counsellor = _actor_fixture(Role.COUNSELLOR)
partner = _actor_fixture(Role.PARTNER)
coordinator = _actor_fixture(Role.COORDINATOR)
admin = _actor_fixture(Role.ADMIN)


@pytest.fixture
def plain_artifacts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Model artifacts in a test are plain bytes; the store only needs to turn them into objects."""
    model_store.reset_cache()
    monkeypatch.setattr(model_store, "decode_artifact", lambda data, sha: data.decode())
    yield
    model_store.reset_cache()


ROOT = Path(__file__).resolve().parent.parent


_SLOW_DIRS = ("integration", "migrations")
_BROWSER_DIRS = ("e2e",)
#: Fixtures that fit a ranker: a test that asks for one belongs to the slow lane, and all such
#: tests run on one xdist worker so that the session fixture is fitted once, not once per worker.
_TRAINING_FIXTURES = frozenset({"small_ranker"})


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by directory so that `make unit` can leave out the slow lanes."""
    root = Path(__file__).parent
    for item in items:
        parts = item.path.relative_to(root).parts
        if parts[0] in _BROWSER_DIRS:
            item.add_marker(pytest.mark.browser)
        trains = _TRAINING_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if trains:
            item.add_marker(pytest.mark.xdist_group("small_ranker"))
        if parts[0] in _SLOW_DIRS or trains:
            item.add_marker(pytest.mark.slow)
