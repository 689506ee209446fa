"""Append audit events in the caller's transaction, so an audited write and its trail commit
together. Details are ids and field names only, never the contents of a profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context
from sqlmodel import Session

from models.audit import AuditEvent
from models.user import User


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a signed-in account, or an operator on the server (``CLI``)."""

    id: int | None
    role: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(id=user.id, role=str(user.role))


CLI = Actor(id=None, role="cli")


def request_actor() -> dict[str, Any]:
    """The caller of this request (API token or web sign-in), for events without an actor."""
    user: User | None = g.get("api_user") or g.get("web_user")
    if user is None:
        return {"actor_id": None, "actor_role": None}
    return {"actor_id": user.id, "actor_role": str(user.role)}


def record(
    session: Session,
    action: str,
    object_type: str,
    object_id: object | None = None,
    *,
    detail: dict[str, Any] | None = None,
    by: Actor | None = None,
    actor_id: int | None = None,
    actor_role: str | None = None,
) -> AuditEvent:
    if by is not None:
        who: dict[str, Any] = {"actor_id": by.id, "actor_role": by.role}
    elif actor_id is not None or not has_request_context():
        who = {"actor_id": actor_id, "actor_role": actor_role}
    else:
        who = request_actor()
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        request_id=g.get("request_id") if has_request_context() else None,
        detail=detail or {},
        **who,
    )
    session.add(event)
    return event
