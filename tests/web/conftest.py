"""Helpers for web tests with Flask's test client: accounts with passwords, CSRF tokens."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlmodel import Session

from models.enums import Role
from service.cli.users import create_user
from service.db import get_engine

PASSWORD = "Krefeld-Test-2026!"
_names = itertools.count(1)
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    token = csrf_token(client, "/anmelden")
    return client.post(
        "/anmelden", data={"username": username, "password": password, "csrf_token": token}
    )


@pytest.fixture
def make_user(app):
    def make(role: Role, *, totp: str | None = None, provider_id: int | None = None) -> str:
        name = f"{role.value}-web-{next(_names)}"
        with Session(get_engine(app)) as s:
            user = create_user(s, name, role, provider_id=provider_id, password=PASSWORD)
            user.totp_secret = totp
            s.add(user)
            s.commit()
        return name

    return make
