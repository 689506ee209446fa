"""Append-only audit trail: who did what to which object, never the object's contents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlmodel import Field, SQLModel

from models.base import created_at_field


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_at_field()
    actor_id: int | None = Field(default=None, index=True)  # no FK: the trail outlives users
    actor_role: str | None = Field(default=None, sa_type=String(16))
    action: str = Field(sa_type=String(64), index=True)
    object_type: str = Field(sa_type=String(32))
    object_id: str | None = Field(default=None, sa_type=String(64), index=True)
    request_id: str | None = Field(default=None, sa_type=String(64))
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class AuditEventPublic(SQLModel):
    id: int
    at: datetime
    actor_id: int | None
    actor_role: str | None
    action: str
    object_type: str
    object_id: str | None
    request_id: str | None
