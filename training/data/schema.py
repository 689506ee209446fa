"""Plain data records the ML code works on, independent of the database.

The service converts database rows into these records (and DataFrames with exactly these
column names); training, evaluation and the synthetic generator produce and consume them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from models.enums import (
    AgeBand,
    BenefitRegime,
    Citizenship,
    District,
    Funding,
    Gender,
    GermanLevel,
    MeasureType,
    OfferFormat,
    RecognitionStatus,
    SchoolCertificate,
    VocationalQualification,
)


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    """A pseudonymised jobseeker as the ranker sees it: bands and codes, nothing else."""

    age_band: AgeBand
    gender: Gender
    district: District
    citizenship: Citizenship
    migration_background: bool
    german_level: GermanLevel
    school_certificate: SchoolCertificate
    vocational_qualification: VocationalQualification
    foreign_qualification: bool
    recognition_status: RecognitionStatus
    unemployment_months: int
    benefit_regime: BenefitRegime
    care_duties: bool
    single_parent: bool
    hours_available: int  # per week, 0-40
    driving_licence: bool
    max_commute_minutes: int
    health_restriction: bool
    last_occupation: str | None = None  # KldB 5-digit
    target_occupations: tuple[str, ...] = ()  # KldB 5-digit codes

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """A qualification offer as the ranker sees it."""

    offer_id: int
    title: str
    measure_type: MeasureType
    district: District
    format: OfferFormat
    hours_per_week: int
    part_time_possible: bool
    childcare: bool
    min_german_level: GermanLevel
    duration_weeks: int
    funding: tuple[Funding, ...]
    target_occupations: tuple[str, ...] = ()  # KldB 5-digit codes
    start_dates: tuple[date, ...] = ()
    seats_free: int = 0
    azav_certified: bool = True
    provider_id: int | None = None
    target_groups: tuple[str, ...] = field(default=())  # FocusGroup values
    rolling_entry: bool = False  # entry at any time: never too late to start

    def next_start(self, as_of: date) -> date | None:
        """The first start date on or after ``as_of``; None for rolling entry or none left."""
        if self.rolling_entry:
            return None
        return next((d for d in sorted(self.start_dates) if d >= as_of), None)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


PROFILE_COLUMNS: tuple[str, ...] = tuple(ProfileRecord.__dataclass_fields__)
OFFER_COLUMNS: tuple[str, ...] = tuple(OfferRecord.__dataclass_fields__)
