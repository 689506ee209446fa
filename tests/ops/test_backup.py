"""Backup and restore as documented in docs/operations.md: pg_dump → pg_restore, same rows."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import psycopg
import pytest
from sqlmodel import Session

from models.enums import Role
from models.profile import EXAMPLE_PROFILE, Profile
from models.user import User
from service import create_app
from service.core import migrations
from service.core.db import get_engine
from tests.conftest import PG_ADMIN_URL, _postgres_available

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _counts(url):
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {}
        for table in tables:
            query = f'SELECT count(*) FROM "{table}"'  # noqa: S608 - names from the catalog
            counts[table] = conn.execute(query).fetchone()[0]
        return counts


@pytest.fixture
def databases():
    if _postgres_available() or not shutil.which("pg_dump"):
        pytest.skip("PostgreSQL or pg_dump not available")
    names = [f"qm_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield [f"{base}/{name}" for name in names]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_dump_and_restore_keep_every_row(databases, tmp_path):
    source, target = databases
    app = create_app({"DATABASE_URL": source, "QUALIMATCH_ENV": "test"})
    engine = get_engine(app)
    migrations.upgrade(engine)
    with Session(engine) as session:
        user = User(username="backup-c", role=Role.COUNSELLOR)
        session.add(user)
        session.flush()
        example = {k: v for k, v in EXAMPLE_PROFILE.items() if k != "client_number"}
        for i in range(25):
            session.add(Profile(**example, pseudonym=f"{i:064d}", owner_id=user.id))
        session.commit()
    engine.dispose()
    dump = tmp_path / "qualimatch.dump"

    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], check=True
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump)], check=True
    )

    restored = _counts(target)
    assert restored == _counts(source)
    assert restored["profile"] == 25
