"""Convert ProfileRecord-/OfferRecord-shaped DataFrames back into records."""

from __future__ import annotations

from typing import Any

import pandas as pd

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
from training.data.schema import OfferRecord, ProfileRecord


def profile_record(r: Any) -> ProfileRecord:
    """A profile record from anything with its fields as attributes (a row, a stored profile)."""
    return ProfileRecord(
        age_band=AgeBand(r.age_band),
        gender=Gender(r.gender),
        district=District(r.district),
        citizenship=Citizenship(r.citizenship),
        migration_background=bool(r.migration_background),
        german_level=GermanLevel(r.german_level),
        school_certificate=SchoolCertificate(r.school_certificate),
        vocational_qualification=VocationalQualification(r.vocational_qualification),
        foreign_qualification=bool(r.foreign_qualification),
        recognition_status=RecognitionStatus(r.recognition_status),
        unemployment_months=int(r.unemployment_months),
        benefit_regime=BenefitRegime(r.benefit_regime),
        care_duties=bool(r.care_duties),
        single_parent=bool(r.single_parent),
        hours_available=int(r.hours_available),
        driving_licence=bool(r.driving_licence),
        max_commute_minutes=int(r.max_commute_minutes),
        health_restriction=bool(r.health_restriction),
        last_occupation=r.last_occupation if isinstance(r.last_occupation, str) else None,
        target_occupations=tuple(r.target_occupations),
    )


def _offer(r: Any) -> OfferRecord:
    return OfferRecord(
        offer_id=int(r.offer_id),
        title=str(r.title),
        measure_type=MeasureType(r.measure_type),
        district=District(r.district),
        format=OfferFormat(r.format),
        hours_per_week=int(r.hours_per_week),
        part_time_possible=bool(r.part_time_possible),
        childcare=bool(r.childcare),
        min_german_level=GermanLevel(r.min_german_level),
        duration_weeks=int(r.duration_weeks),
        funding=tuple(Funding(f) for f in r.funding),
        target_occupations=tuple(r.target_occupations),
        start_dates=tuple(r.start_dates),
        seats_free=int(r.seats_free),
        azav_certified=bool(r.azav_certified),
        provider_id=None if pd.isna(r.provider_id) else int(r.provider_id),
        target_groups=tuple(r.target_groups),
        rolling_entry=bool(getattr(r, "rolling_entry", False)),
    )


def profile_records(df: pd.DataFrame) -> list[ProfileRecord]:
    return [profile_record(r) for r in df.itertuples()]


def offer_records(df: pd.DataFrame) -> list[OfferRecord]:
    return [_offer(r) for r in df.itertuples()]
