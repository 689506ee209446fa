"""Column helpers shared by all tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar, Unpack

from pydantic import ConfigDict, GetJsonSchemaHandler, ValidationInfo, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError
from sqlalchemy import JSON, DateTime
from sqlalchemy.orm import declared_attr
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


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


def with_example(example: dict[str, Any], **config: Unpack[ConfigDict]) -> ConfigDict:
    """Model config that shows ``example`` for the model in the OpenAPI description.

    flask-openapi3 copies only ``example`` into the spec's schema; ``examples`` is JSON Schema.
    """
    return ConfigDict(json_schema_extra={"example": example, "examples": [example]}, **config)


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def timestamp_field(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def json_field(default_factory: Any = list) -> Any:
    return Field(default_factory=default_factory, sa_type=JSON, nullable=False)


class Versioned:
    """Optimistic locking for a table with an integer ``version`` column.

    SQLAlchemy then writes every ORM change to a row as ``UPDATE ... SET version = loaded + 1
    WHERE id = ? AND version = loaded`` and raises ``StaleDataError`` when another transaction
    changed the row since it was loaded. Bulk ``update()`` statements bypass the counter.
    """

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


#: Largest value an ``INTEGER`` column holds on PostgreSQL; request integers stay below it.
MAX_INT = 2**31 - 1


class PatchModel(SQLModel):
    """A partial update: a field may be left out, but ``null`` only where the column allows it.

    Without this, ``{"target_occupations": null}`` passed validation and was written into a
    column the rest of the service reads as a list. The OpenAPI description says the same: the
    properties of ``nullable_fields`` accept ``null``, the others do not.
    """

    nullable_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _null_only_where_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable_fields:
            raise PydanticCustomError(
                "null_not_allowed", "Darf nicht null sein; zum Beibehalten das Feld weglassen."
            )
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        for name, prop in target.get("properties", {}).items():
            if name in cls.nullable_fields:
                continue
            if prop.get("default", ...) is None:
                del prop["default"]  # "left out" is the default, not null
            if "anyOf" not in prop:
                continue
            kept = [s for s in prop["anyOf"] if s.get("type") != "null"]
            if len(kept) == 1:
                del prop["anyOf"]
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept
        return schema
