"""Append audit events in the caller's transaction, so an audited write and its trail commit
together. Details are ids and field names only, never the contents of a profile.

Who acted is always passed in (``by``): the adapters know the caller (API token, web sign-in,
the operator at the CLI) and hand it down. The request id comes with the session
(:data:`REQUEST_ID_KEY` in ``session.info``, set where the request's session is opened).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from models.audit import AuditEvent
from models.user import User

#: ``session.info`` key of the request id the session belongs to (absent outside a request).
REQUEST_ID_KEY = "request_id"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a signed-in account, or an operator on the server (``CLI``)."""

    id: int | None
    role: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(id=user.id, role=str(user.role))


CLI = Actor(id=None, role="cli")


def record(
    session: Session,
    action: str,
    object_type: str,
    object_id: object | None = None,
    *,
    by: Actor,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        request_id=session.info.get(REQUEST_ID_KEY),
        detail=detail or {},
        actor_id=by.id,
        actor_role=by.role,
    )
    session.add(event)
    return event
