"""Immutable ranker versions, the aliases that point at them, and operator settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, LargeBinary, String, Text
from sqlmodel import Field, SQLModel

from models.base import created_at_field, timestamp_field


class RankerVersion(SQLModel, table=True):
    __tablename__ = "ranker_version"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(sa_type=String(32), unique=True, index=True)
    artifact: bytes = Field(sa_type=LargeBinary)
    sha256: str = Field(sa_type=String(64))
    library_versions: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    training_window_start: datetime | None = timestamp_field()
    training_window_end: datetime | None = timestamp_field()
    n_train: int = 0
    n_test: int = 0
    metrics: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    gates: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    model_card: str = Field(default="", sa_type=Text)
    plots: dict[str, str] = Field(default_factory=dict, sa_type=JSON)  # name -> base64 PNG
    created_at: datetime = created_at_field()


class RankerVersionPublic(SQLModel):
    version: str
    sha256: str
    library_versions: dict[str, str]
    training_window_start: datetime | None
    training_window_end: datetime | None
    n_train: int
    n_test: int
    metrics: dict[str, Any]
    gates: dict[str, Any]
    aliases: list[str]
    created_at: datetime


class RankerAlias(SQLModel, table=True):
    __tablename__ = "ranker_alias"

    alias: str = Field(primary_key=True, sa_type=String(16))
    version_id: int = Field(foreign_key="ranker_version.id", ondelete="RESTRICT")
    updated_at: datetime = created_at_field()
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True, sa_type=String(64))
    value: str = Field(sa_type=String(255))
    updated_at: datetime = created_at_field()
    updated_by_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")


class RankingSetting(SQLModel):
    mode: str = Field(regex="^(model|rules)$")
