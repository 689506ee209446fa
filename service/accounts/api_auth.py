"""Bearer-token authentication and role checks for the JSON API.

The API accepts tokens only, never the web session cookie, so a browser session cannot be
abused for cross-site API calls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, ParamSpec, TypeVar

import structlog
from flask import g, request
from flask_babel import gettext
from sqlmodel import Session, select

from models.base import utcnow
from models.enums import Role
from models.user import ApiToken, User
from service.accounts.role_gate import role_gate
from service.core.audit import Actor
from service.core.db import get_session
from service.core.errors import ForbiddenError, UnauthorizedError
from service.core.security import hash_token

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "BEARER_SECURITY",
    "SECURITY_SCHEMES",
    "current_actor",
    "current_user",
    "require_roles",
]

BEARER_SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
SECURITY_SCHEMES: dict[str, Any] = {"bearerAuth": {"type": "http", "scheme": "bearer"}}


def authenticate_token(session: Session, token: str) -> User | None:
    row = session.exec(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)  # type: ignore[arg-type]
        .where(ApiToken.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    api_token, user = row
    now = utcnow()
    if api_token.revoked_at is not None or not user.is_active:
        return None
    if api_token.expires_at is not None and api_token.expires_at <= now:
        return None
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=5):
        api_token.last_used_at = now  # coarse, to keep reads cheap
        session.add(api_token)
        session.commit()
    return user


def current_user() -> User:
    """The authenticated API caller; raises 401 when there is none."""
    user: User | None = g.get("api_user")
    if user is not None:
        return user
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedError()
    user = authenticate_token(get_session(), token.strip())
    if user is None:
        raise UnauthorizedError(gettext("Token ist ungültig, abgelaufen oder widerrufen."))
    g.api_user = user
    structlog.contextvars.bind_contextvars(role=str(user.role))  # the role, never who it is
    return user


def current_actor() -> Actor:
    """The authenticated API caller as the actor that domain functions audit."""
    return Actor.of(current_user())


def require_roles(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """401 without a valid token, 403 when the caller's role is not among ``roles``."""
    return role_gate(roles, _refuse_api_caller)


def _refuse_api_caller(allowed: frozenset[Role]) -> None:
    if current_user().role not in allowed:
        raise ForbiddenError()
