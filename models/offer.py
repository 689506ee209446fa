"""Qualification offers submitted by partners, and their review trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from models.base import (
    MAX_INT,
    DateList,
    PatchModel,
    Versioned,
    created_at_field,
    json_field,
    timestamp_field,
    with_example,
)
from models.contact import POSTCODE_PATTERN, WEB_URL_PATTERN
from models.enums import (
    District,
    FocusGroup,
    Funding,
    GermanLevel,
    MeasureType,
    OfferFormat,
    OfferStatus,
)
from models.profile import KldbCode


class OfferBase(SQLModel):
    external_ref: str = Field(min_length=1, max_length=64, sa_type=String(64))
    title: str = Field(min_length=3, max_length=200, sa_type=String(200))
    description: str = Field(default="", max_length=5000, sa_type=Text)
    measure_type: MeasureType = Field(sa_type=String(32), index=True)
    target_occupations: list[KldbCode] = Field(default_factory=list, sa_type=JSON, max_length=10)
    certificate: str = Field(default="", max_length=200, sa_type=String(200))
    funding: list[Funding] = Field(default_factory=list, sa_type=JSON, max_length=4)
    format: OfferFormat = Field(default=OfferFormat.IN_PERSON, sa_type=String(16))
    hours_per_week: int = Field(ge=1, le=50)
    part_time_possible: bool = False
    childcare: bool = False
    language: str = Field(default="de", min_length=2, max_length=8, sa_type=String(8))
    min_german_level: GermanLevel = Field(default=GermanLevel.A0, sa_type=String(2))
    duration_weeks: int = Field(ge=1, le=260)
    start_dates: list[date] = Field(default_factory=list, sa_type=DateList, max_length=24)
    end_date: date | None = None
    seats_total: int = Field(ge=0, le=10000)
    seats_free: int = Field(ge=0, le=10000)
    district: District = Field(sa_type=String(16), index=True)
    target_groups: list[FocusGroup] = Field(default_factory=list, sa_type=JSON, max_length=4)
    cost_eur: float | None = Field(default=None, ge=0, le=1_000_000)
    # Entry at any time instead of (or besides) fixed start dates.
    rolling_entry: bool = False
    # Where the course takes place when not at the provider's address (empty = provider's).
    venue_street: str = Field(default="", max_length=200, sa_type=String(200))
    venue_postcode: str = Field(
        default="", max_length=10, schema_extra={"pattern": POSTCODE_PATTERN}, sa_type=String(10)
    )
    venue_city: str = Field(default="", max_length=100, sa_type=String(100))
    registration_url: str = Field(
        default="", max_length=500, schema_extra={"pattern": WEB_URL_PATTERN}, sa_type=String(500)
    )
    registration_deadline: date | None = None
    azav_measure_number: str = Field(default="", max_length=40, sa_type=String(40))
    # Funding details in words, e.g. "Bildungsgutschein (AZAV-zertifiziert)".
    funding_note: str = Field(default="", max_length=500, sa_type=String(500))

    @field_validator("start_dates")
    @classmethod
    def _sorted_unique_starts(cls, value: list[date]) -> list[date]:
        # Partners list start dates in any order; the order carries no meaning.
        return sorted(set(value))

    @field_validator("target_occupations", "funding", "target_groups")
    @classmethod
    def _unique(cls, value: list[Any]) -> list[Any]:
        return list(dict.fromkeys(value))

    # Field validators (not a model validator), so errors name the offending field.
    @field_validator("end_date")
    @classmethod
    def _end_after_last_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        starts = info.data.get("start_dates") or []
        if value is not None and starts and value < starts[-1]:
            raise PydanticCustomError(
                "end_before_start", "Das Enddatum liegt vor dem letzten Starttermin."
            )
        return value

    @field_validator("seats_free")
    @classmethod
    def _free_within_total(cls, value: int, info: ValidationInfo) -> int:
        total = info.data.get("seats_total")
        if total is not None and value > total:
            raise PydanticCustomError(
                "seats_free_exceeds_total", "Es sind mehr freie Plätze als Plätze insgesamt."
            )
        return value


def _trigram_index(column: str) -> Index:
    """GIN trigram index on ``lower(column)`` for the catalogue's substring search (PostgreSQL)."""
    expression = func.lower(text(column)).label(f"lower_{column}")
    return Index(
        f"ix_offer_{column}_trgm",
        expression,
        postgresql_using="gin",
        postgresql_ops={f"lower_{column}": "gin_trgm_ops"},
    ).ddl_if(dialect="postgresql")


#: SQLite's trigram full-text index of offer titles and descriptions (migration 0009): an FTS5
#: virtual table with its shadow tables, made by the migration alone, so outside the metadata.
TEXT_INDEX_TABLE = "offer_text"


def is_text_index_table(name: str) -> bool:
    return name == TEXT_INDEX_TABLE or name.startswith(f"{TEXT_INDEX_TABLE}_")


class Offer(OfferBase, Versioned, table=True):
    __table_args__ = (
        UniqueConstraint("provider_id", "external_ref", name="uq_offer_provider_ref"),
        _trigram_index("title"),
        _trigram_index("description"),
    )

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(
        sa_column=Column(Integer, ForeignKey("provider.id", ondelete="RESTRICT"), index=True)
    )
    status: OfferStatus = Field(default=OfferStatus.DRAFT, sa_type=String(20), index=True)
    version: int = Field(default=1, nullable=False)
    quality_flags: list[dict[str, Any]] = json_field()
    pending_changes: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    review_reason: str | None = Field(default=None, max_length=1000, sa_type=Text)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()
    submitted_at: datetime | None = timestamp_field()
    approved_at: datetime | None = timestamp_field()
    # The first start on or after ``next_start_from`` (the date the start dates were last
    # written, never later than Krefeld's), kept by database triggers (migration 0009) so the
    # catalogue can order by next start without looking up every offer's starts; never written
    # by the application. Valid for any day from ``next_start_from`` on while it has not passed.
    next_start: date | None = None
    next_start_from: date | None = None


EXAMPLE_OFFER: dict[str, Any] = {
    "external_ref": "PFL-2026-01",
    "title": "Teilqualifizierung Pflegehelfer/in – Modul 1",
    "description": "Grundlagen der Pflege und Betreuung, Praktikum in einer Krefelder Einrichtung.",
    "measure_type": "TEILQUALIFIZIERUNG",
    "target_occupations": ["82101"],
    "certificate": "IHK-Zertifikat (Modul 1 von 5)",
    "funding": ["bildungsgutschein"],
    "format": "in_person",
    "hours_per_week": 30,
    "part_time_possible": True,
    "childcare": False,
    "language": "de",
    "min_german_level": "A2",
    "duration_weeks": 16,
    "start_dates": ["2030-03-01", "2030-09-01"],
    "end_date": "2030-12-20",
    "seats_total": 12,
    "seats_free": 8,
    "district": "Mitte",
    "target_groups": ["long_term_unemployed"],
    "cost_eur": 4800.0,
    "rolling_entry": False,
    "venue_street": "Ostwall 148",
    "venue_postcode": "47798",
    "venue_city": "Krefeld",
    "registration_url": "https://bildungswerk-sued.example/anmeldung/pfl-2026-01",
    "registration_deadline": "2030-02-15",
    "azav_measure_number": "962/0815/2030",
    "funding_note": "Bildungsgutschein (AZAV-zertifiziert)",
}


class OfferCreate(OfferBase):
    """``external_ref`` may be left out; the service then assigns one (``QM-…``)."""

    model_config = with_example(EXAMPLE_OFFER)  # type: ignore[assignment]

    external_ref: str | None = Field(  # type: ignore[assignment]
        default=None, min_length=1, max_length=64
    )
    provider_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


EXAMPLE_OFFER_UPDATE: dict[str, Any] = {"version": 1, "seats_free": 5, "hours_per_week": 25}


class OfferUpdate(PatchModel):
    nullable_fields = frozenset({"end_date", "cost_eur", "registration_deadline"})

    model_config = with_example(EXAMPLE_OFFER_UPDATE)  # type: ignore[assignment]

    version: int = Field(ge=1, le=MAX_INT)
    title: str | None = Field(default=None, min_length=3, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    measure_type: MeasureType | None = None
    target_occupations: list[KldbCode] | None = Field(default=None, max_length=10)
    certificate: str | None = Field(default=None, max_length=200)
    funding: list[Funding] | None = Field(default=None, max_length=4)
    format: OfferFormat | None = None
    hours_per_week: int | None = Field(default=None, ge=1, le=50)
    part_time_possible: bool | None = None
    childcare: bool | None = None
    language: str | None = Field(default=None, min_length=2, max_length=8)
    min_german_level: GermanLevel | None = None
    duration_weeks: int | None = Field(default=None, ge=1, le=260)
    start_dates: list[date] | None = Field(default=None, max_length=24)
    end_date: date | None = None
    seats_total: int | None = Field(default=None, ge=0, le=10000)
    seats_free: int | None = Field(default=None, ge=0, le=10000)
    district: District | None = None
    target_groups: list[FocusGroup] | None = Field(default=None, max_length=4)
    cost_eur: float | None = Field(default=None, ge=0, le=1_000_000)
    rolling_entry: bool | None = None
    venue_street: str | None = Field(default=None, max_length=200)
    venue_postcode: str | None = Field(
        default=None, max_length=10, schema_extra={"pattern": POSTCODE_PATTERN}
    )
    venue_city: str | None = Field(default=None, max_length=100)
    registration_url: str | None = Field(
        default=None, max_length=500, schema_extra={"pattern": WEB_URL_PATTERN}
    )
    registration_deadline: date | None = None
    azav_measure_number: str | None = Field(default=None, max_length=40)
    funding_note: str | None = Field(default=None, max_length=500)


class OfferPublic(OfferBase):
    id: int
    provider_id: int
    status: OfferStatus
    version: int
    quality_flags: list[dict[str, Any]]
    pending_changes: dict[str, Any] | None
    review_reason: str | None
    created_at: datetime
    updated_at: datetime | None


class OfferReview(SQLModel, table=True):
    """One step of an offer's review trail; the partner sees the reason."""

    __tablename__ = "offer_review"

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(
        sa_column=Column(Integer, ForeignKey("offer.id", ondelete="CASCADE"), index=True)
    )
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    from_status: str = Field(sa_type=String(20))
    to_status: str = Field(sa_type=String(20))
    reason: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = created_at_field()


class OfferStart(SQLModel, table=True):
    """One start date of an offer, for the catalogue search ("next start before …").

    Derived from ``offer.start_dates`` by database triggers (migration 0008), so every way of
    writing an offer keeps it current; never written by the application.
    """

    __tablename__ = "offer_start"

    offer_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    start_date: date = Field(primary_key=True, index=True)
