"""Helpers for web tests with Flask's test client: accounts with passwords, CSRF tokens."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pyotp
import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from models.enums import Role
from models.user import User
from service.accounts import create_user
from service.core.db import get_engine

PASSWORD = "Krefeld-Test-2026!"
_names = itertools.count(1)
TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


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


def enter_code(client, secret: str, *, path: str = "/anmelden/code", code: str | None = None):
    token = csrf_token(client, path)
    return client.post(path, data={"code": code or pyotp.TOTP(secret).now(), "csrf_token": token})


def sign_in_with_code(client, make_user, role: Role):
    """Sign ``client`` in with a new account of ``role`` that has a second factor; the client."""
    secret = pyotp.random_base32()
    sign_in(client, make_user(role, totp=secret))
    enter_code(client, secret)
    return client


@pytest.fixture
def coordinator_client(client, make_user):
    """The test client, signed in as a new coordinator (second factor included)."""
    return sign_in_with_code(client, make_user, Role.COORDINATOR)


@pytest.fixture
def partner_client(client, factory, make_user):
    """The test client, signed in as a partner of a new provider."""
    sign_in(client, make_user(Role.PARTNER, provider_id=factory.provider().id))
    return client


def account(app, name: str) -> User:
    with Session(get_engine(app)) as s:
        return s.exec(select(User).where(User.username == name)).one()


SignIn = Callable[..., tuple[FlaskClient, str]]


@pytest.fixture
def signed_in(app, make_user, factory) -> SignIn:
    """A test client signed in with a new account of ``role`` (second factor included)."""

    def sign(role: Role) -> tuple[FlaskClient, str]:
        client = app.test_client()
        secret = pyotp.random_base32() if role in (Role.ADMIN, Role.COORDINATOR) else None
        provider = factory.provider().id if role == Role.PARTNER else None
        name = make_user(role, totp=secret, provider_id=provider)
        response = sign_in(client, name)
        if secret:
            response = enter_code(client, secret)
        assert response.status_code == 302, response.get_data(as_text=True)
        assert "/anmelden" not in response.headers["Location"]
        return client, name

    return sign
