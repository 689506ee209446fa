"""Partner organisations that offer qualification measures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from models.base import (
    MAX_INT,
    PatchModel,
    Versioned,
    created_at_field,
    timestamp_field,
    with_example,
)
from models.contact import EMAIL_PATTERN, PHONE_PATTERN, POSTCODE_PATTERN, WEB_URL_PATTERN
from models.enums import District, ProviderKind


class ProviderBase(SQLModel):
    name: str = Field(min_length=2, max_length=200, sa_type=String(200))
    kind: ProviderKind = Field(sa_type=String(32))
    district: District = Field(sa_type=String(16))
    azav_certified: bool = False
    street: str = Field(default="", max_length=200, sa_type=String(200))
    postcode: str = Field(
        default="", max_length=10, schema_extra={"pattern": POSTCODE_PATTERN}, sa_type=String(10)
    )
    city: str = Field(default="Krefeld", max_length=100, sa_type=String(100))
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    phone: str = Field(
        default="", max_length=40, schema_extra={"pattern": PHONE_PATTERN}, sa_type=String(40)
    )
    email: str = Field(
        default="", max_length=200, schema_extra={"pattern": EMAIL_PATTERN}, sa_type=String(200)
    )
    website: str = Field(
        default="", max_length=300, schema_extra={"pattern": WEB_URL_PATTERN}, sa_type=String(300)
    )
    # An organisational role such as "Kursberatung" — never a member of staff by name.
    contact_role: str = Field(default="", max_length=100, sa_type=String(100))


class Provider(ProviderBase, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


EXAMPLE_PROVIDER: dict[str, Any] = {
    "name": "Bildungswerk Krefeld-Süd e. V.",
    "kind": "education_provider",
    "district": "Süd",
    "azav_certified": True,
    "street": "Kölner Straße 120",
    "postcode": "47805",
    "city": "Krefeld",
    "latitude": 51.3195,
    "longitude": 6.5790,
    "phone": "02151 123450",
    "email": "kursberatung@bildungswerk-sued.example",
    "website": "https://bildungswerk-sued.example",
    "contact_role": "Kursberatung",
}


class ProviderCreate(ProviderBase):
    model_config = with_example(EXAMPLE_PROVIDER)  # type: ignore[assignment]


class ProviderUpdate(PatchModel):
    nullable_fields = frozenset({"latitude", "longitude"})

    model_config = with_example({"version": 1, "azav_certified": True})  # type: ignore[assignment]

    version: int = Field(ge=1, le=MAX_INT)
    name: str | None = Field(default=None, min_length=2, max_length=200)
    kind: ProviderKind | None = None
    district: District | None = None
    azav_certified: bool | None = None
    street: str | None = Field(default=None, max_length=200)
    postcode: str | None = Field(
        default=None, max_length=10, schema_extra={"pattern": POSTCODE_PATTERN}
    )
    city: str | None = Field(default=None, max_length=100)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    phone: str | None = Field(default=None, max_length=40, schema_extra={"pattern": PHONE_PATTERN})
    email: str | None = Field(default=None, max_length=200, schema_extra={"pattern": EMAIL_PATTERN})
    website: str | None = Field(
        default=None, max_length=300, schema_extra={"pattern": WEB_URL_PATTERN}
    )
    contact_role: str | None = Field(default=None, max_length=100)


class ProviderPublic(ProviderBase):
    id: int
    version: int
    created_at: datetime
    updated_at: datetime | None = None
