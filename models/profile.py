"""Pseudonymised jobseeker profiles: bands and codes only, never names or free text."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import StringConstraints, field_validator
from sqlalchemy import JSON, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import (
    MAX_INT,
    PatchModel,
    UTCDateTime,
    Versioned,
    created_at_field,
    timestamp_field,
    utcnow,
    with_example,
)
from models.enums import (
    AgeBand,
    BenefitRegime,
    Citizenship,
    District,
    FocusGroup,
    Gender,
    GermanLevel,
    RecognitionStatus,
    SchoolCertificate,
    UnemploymentBand,
    VocationalQualification,
    focus_groups,
)

KldbCode = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]


class ProfileBase(SQLModel):
    age_band: AgeBand = Field(sa_type=String(8))
    gender: Gender = Field(sa_type=String(1))
    district: District = Field(sa_type=String(16), index=True)
    citizenship: Citizenship = Field(sa_type=String(16))
    migration_background: bool = False
    german_level: GermanLevel = Field(sa_type=String(2))
    school_certificate: SchoolCertificate = Field(sa_type=String(32))
    vocational_qualification: VocationalQualification = Field(sa_type=String(32))
    foreign_qualification: bool = False
    recognition_status: RecognitionStatus = Field(
        default=RecognitionStatus.NOT_APPLICABLE, sa_type=String(16)
    )
    unemployment_months: int = Field(ge=0, le=600)
    benefit_regime: BenefitRegime = Field(sa_type=String(8))
    care_duties: bool = False
    single_parent: bool = False
    hours_available: int = Field(ge=0, le=60, description="Wochenstunden, die verfügbar sind")
    driving_licence: bool = False
    max_commute_minutes: int = Field(default=45, ge=0, le=180)
    health_restriction: bool = False
    last_occupation: KldbCode | None = Field(default=None, sa_type=String(5))
    target_occupations: list[KldbCode] = Field(default_factory=list, sa_type=JSON, max_length=5)


def profile_focus_groups(profile: ProfileBase) -> frozenset[FocusGroup]:
    """The focus groups of a stored, submitted or ranked profile."""
    return focus_groups(
        age_band=profile.age_band,
        gender=profile.gender,
        unemployment_months=profile.unemployment_months,
        citizenship=profile.citizenship,
        migration_background=profile.migration_background,
    )


class Profile(ProfileBase, Versioned, table=True):
    # One profile per person and caseload. Not office-wide: a counsellor could otherwise test
    # whether a client number exists in a colleague's caseload (409 there, 201 here).
    __table_args__ = (UniqueConstraint("owner_id", "pseudonym", name="uq_profile_owner_pseudonym"),)

    id: int | None = Field(default=None, primary_key=True)
    pseudonym: str = Field(sa_type=String(64), index=True)
    owner_id: int = Field(foreign_key="app_user.id", index=True, ondelete="RESTRICT")
    version: int = Field(default=1, nullable=False)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()
    last_activity_at: datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True
    )


EXAMPLE_PROFILE: dict[str, Any] = {
    "client_number": "KR-123456",
    "age_band": "25-29",
    "gender": "f",
    "district": "Mitte",
    "citizenship": "third_country",
    "migration_background": True,
    "german_level": "B1",
    "school_certificate": "intermediate",
    "vocational_qualification": "none",
    "foreign_qualification": True,
    "recognition_status": "not_applied",
    "unemployment_months": 14,
    "benefit_regime": "SGB_II",
    "care_duties": True,
    "single_parent": False,
    "hours_available": 25,
    "driving_licence": False,
    "max_commute_minutes": 40,
    "health_restriction": False,
    "last_occupation": "62102",
    "target_occupations": ["82102"],
}


class ProfileCreate(ProfileBase):
    """The office's client number is turned into a keyed pseudonym and never stored."""

    model_config = with_example(EXAMPLE_PROFILE)  # type: ignore[assignment]

    client_number: str = Field(min_length=3, max_length=32, regex=r"^[A-Za-z0-9\-]+$")

    @field_validator("target_occupations")
    @classmethod
    def _unique_targets(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class ProfileUpdate(PatchModel):
    nullable_fields = frozenset({"last_occupation"})

    model_config = with_example({"version": 1, "german_level": "B2", "hours_available": 30})  # type: ignore[assignment]

    version: int = Field(ge=1, le=MAX_INT)
    age_band: AgeBand | None = None
    gender: Gender | None = None
    district: District | None = None
    citizenship: Citizenship | None = None
    migration_background: bool | None = None
    german_level: GermanLevel | None = None
    school_certificate: SchoolCertificate | None = None
    vocational_qualification: VocationalQualification | None = None
    foreign_qualification: bool | None = None
    recognition_status: RecognitionStatus | None = None
    unemployment_months: int | None = Field(default=None, ge=0, le=600)
    benefit_regime: BenefitRegime | None = None
    care_duties: bool | None = None
    single_parent: bool | None = None
    hours_available: int | None = Field(default=None, ge=0, le=60)
    driving_licence: bool | None = None
    max_commute_minutes: int | None = Field(default=None, ge=0, le=180)
    health_restriction: bool | None = None
    last_occupation: KldbCode | None = None
    target_occupations: list[KldbCode] | None = Field(default=None, max_length=5)


class ProfilePublic(ProfileBase):
    id: int
    pseudonym: str
    version: int
    unemployment_band: UnemploymentBand
    focus_groups: list[str]
    created_at: datetime
    updated_at: datetime | None
