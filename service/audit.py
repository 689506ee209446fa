"""Append audit events in the caller's transaction, so an audited write and its trail commit
together. Details are ids and field names only, never the contents of a profile."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from sqlmodel import Session

from models.audit import AuditEvent
from service.auth import actor


def record(
    session: Session,
    action: str,
    object_type: str,
    object_id: object | None = None,
    *,
    detail: dict[str, Any] | None = None,
    actor_id: int | None = None,
    actor_role: str | None = None,
) -> AuditEvent:
    who = actor() if has_request_context() else {"actor_id": actor_id, "actor_role": actor_role}
    if actor_id is not None:
        who = {"actor_id": actor_id, "actor_role": actor_role}
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
