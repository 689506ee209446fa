"""Apps with production-like settings (rate limits on) for the operations tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from models.enums import Role
from models.user import User
from service import create_app
from service.accounts import issue_token
from service.core import migrations
from service.core.db import get_engine

AppMaker = Callable[..., Flask]

STRONG = "vK3q9ZpL0sXw7RtY2mNb5HcJ8dFg4AeU"
PSEUDONYM = "Qe7Wr2Ty9Ui4Op1As6Df3Gh8Jk5Lz0Xc"
#: Settings a production start accepts (the database is not contacted at start-up).
PRODUCTION = {
    "QUALIMATCH_ENV": "production",
    "SECRET_KEY": STRONG,
    "PSEUDONYM_KEY": PSEUDONYM,
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
}


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for every app that needs its own data."""
    path = tmp_path_factory.mktemp("ops") / "template.sqlite3"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "QUALIMATCH_ENV": "test"})
    migrations.upgrade(get_engine(app))
    return path


@pytest.fixture
def make_app(migrated_sqlite: Path, tmp_path: Path) -> AppMaker:
    def _make(**config: Any) -> Flask:
        target = tmp_path / f"db{len(list(tmp_path.iterdir()))}.sqlite3"
        target.write_bytes(migrated_sqlite.read_bytes())
        values = {"DATABASE_URL": f"sqlite:///{target}", "QUALIMATCH_ENV": "test", "TESTING": True}
        return create_app(values | config)

    return _make


def user_with_token(app: Flask, role: Role, name: str, **token: Any) -> tuple[User, str]:
    with Session(get_engine(app), expire_on_commit=False) as session:
        user = User(username=name, role=role)
        session.add(user)
        session.flush()
        plain, _ = issue_token(session, user, ttl_days=token.pop("ttl_days", 1), label="test")
        session.commit()
        return user, plain
