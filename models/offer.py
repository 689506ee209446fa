"""Qualification offers submitted by partners, and their review trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import model_validator
from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import created_at_field, json_field, timestamp_field
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
    start_dates: list[date] = Field(default_factory=list, sa_type=JSON, max_length=24)
    end_date: date | None = None
    seats_total: int = Field(ge=0, le=10000)
    seats_free: int = Field(ge=0, le=10000)
    district: District = Field(sa_type=String(16), index=True)
    target_groups: list[FocusGroup] = Field(default_factory=list, sa_type=JSON, max_length=4)
    cost_eur: float | None = Field(default=None, ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _dates_and_seats_consistent(self) -> OfferBase:
        if self.start_dates != sorted(self.start_dates):
            raise ValueError("start_dates must be in ascending order")
        if self.end_date is not None and self.start_dates and self.end_date < self.start_dates[-1]:
            raise ValueError("end_date must not be before the last start date")
        if self.seats_free > self.seats_total:
            raise ValueError("seats_free must not exceed seats_total")
        return self


class Offer(OfferBase, table=True):
    __table_args__ = (
        UniqueConstraint("provider_id", "external_ref", name="uq_offer_provider_ref"),
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


class OfferCreate(OfferBase):
    provider_id: int | None = None


class OfferUpdate(SQLModel):
    version: int = Field(ge=1)
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
