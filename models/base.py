"""Column helpers shared by all tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware timestamps on PostgreSQL and SQLite alike (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class DateList(TypeDecorator[list[date]]):
    """A JSON list of ISO dates that reads back as ``datetime.date`` objects."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[date] | None, dialect: Any) -> list[str] | None:
        if value is None:
            return None
        return [d.isoformat() if isinstance(d, date) else str(d) for d in value]

    def process_result_value(self, value: list[str] | None, dialect: Any) -> list[date] | None:
        if value is None:
            return None
        return [date.fromisoformat(d) for d in value]


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def timestamp_field(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def json_field(default_factory: Any = list) -> Any:
    return Field(default_factory=default_factory, sa_type=JSON, nullable=False)
