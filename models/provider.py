"""Partner organisations that offer qualification measures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import String
from sqlmodel import Field, SQLModel

from models.base import MAX_INT, PatchModel, created_at_field, timestamp_field
from models.enums import District, ProviderKind


class ProviderBase(SQLModel):
    name: str = Field(min_length=2, max_length=200, sa_type=String(200))
    kind: ProviderKind = Field(sa_type=String(32))
    district: District = Field(sa_type=String(16))
    azav_certified: bool = False


class Provider(ProviderBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


EXAMPLE_PROVIDER: dict[str, Any] = {
    "name": "Bildungswerk Krefeld-Süd e. V.",
    "kind": "education_provider",
    "district": "Süd",
    "azav_certified": True,
}


class ProviderCreate(ProviderBase):
    model_config = ConfigDict(  # type: ignore[assignment]
        json_schema_extra={"example": EXAMPLE_PROVIDER, "examples": [EXAMPLE_PROVIDER]}
    )


class ProviderUpdate(PatchModel):
    model_config = ConfigDict(  # type: ignore[assignment]
        json_schema_extra={
            "example": {"version": 1, "azav_certified": True},
            "examples": [{"version": 1, "azav_certified": True}],
        }
    )

    version: int = Field(ge=1, le=MAX_INT)
    name: str | None = Field(default=None, min_length=2, max_length=200)
    kind: ProviderKind | None = None
    district: District | None = None
    azav_certified: bool | None = None


class ProviderPublic(ProviderBase):
    id: int
    version: int
    created_at: datetime
    updated_at: datetime | None = None
