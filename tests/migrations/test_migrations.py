"""Models and migrations agree, and the migration chain runs both ways on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from service.core import migrations
from service.core.config import load_settings
from service.core.db import make_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
        yield make_engine(load_settings({"DATABASE_URL": url}))
        return
    import uuid

    import psycopg

    from tests.conftest import PG_ADMIN_URL

    request.getfixturevalue("postgres_url")  # skips or fails when PostgreSQL is absent
    name = f"qm_mig_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(
        load_settings({"DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name})
    )
    yield engine
    engine.dispose()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_autogenerate_finds_no_difference(empty_engine):
    migrations.upgrade(empty_engine)

    assert migrations.pending_differences(empty_engine) == []


def test_upgrade_downgrade_upgrade(empty_engine):
    migrations.upgrade(empty_engine)
    tables_after_first = set(inspect(empty_engine).get_table_names())

    migrations.downgrade(empty_engine, "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}

    migrations.upgrade(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) == tables_after_first
    assert "profile" in tables_after_first


def test_audit_trail_is_append_only_on_postgres(empty_engine):
    if empty_engine.dialect.name != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    migrations.upgrade(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_event (at, action, object_type, detail) "
                "VALUES (now(), 'x', 'y', '{}')"
            )
        )
    with pytest.raises(DBAPIError, match="append-only"), empty_engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event"))
