"""Numeric arrays for profiles and offers, built from DataFrames or records.

Every vectorised step (ground truth, eligibility, features) works on these arrays so that a
DataFrame of a million episodes and a single ``ProfileRecord`` go through the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
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
from training.schema import OfferRecord, ProfileRecord

IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

MAX_OCCUPATIONS = 3
# Positions of the measure types in ``MeasureType`` (used in vectorised formulas).
UMS, TQ, ANP, COACH, BSK, IK, GB, EQ, BVB, ASA, TZA, ANER, WIED, TEIL = range(14)
FOCUS_GROUP_KEYS: tuple[str, ...] = ("youth", "long_term_unemployed", "women", "migrants")
FUNDING_ORDER: tuple[Funding, ...] = tuple(Funding)
MEASURE_TYPES: tuple[MeasureType, ...] = tuple(MeasureType)
DISTRICTS: tuple[District, ...] = tuple(District)


def _codes(values: Any, enum: type[StrEnum]) -> IntArray:
    """Enum position of each value; unknown values raise, because they mean a schema drift."""
    categories = [member.value for member in enum]
    codes = pd.Categorical(values, categories=categories).codes.astype(np.int32)
    if (codes < 0).any():
        bad = pd.Series(values)[codes < 0].iloc[0]
        raise ValueError(f"unknown {enum.__name__} value: {bad!r}")
    return codes


def occupation_matrix(rows: Sequence[Sequence[str] | None]) -> IntArray:
    """KldB 5-digit codes as integers, padded with -1 to ``MAX_OCCUPATIONS`` columns."""
    out = np.full((len(rows), MAX_OCCUPATIONS), -1, dtype=np.int32)
    for i, codes in enumerate(rows):
        if not codes:
            continue
        for j, code in enumerate(list(codes)[:MAX_OCCUPATIONS]):
            if code and code.isdigit():
                out[i, j] = int(code)
    return out


@dataclass(frozen=True, slots=True)
class ProfileArrays:
    """Profiles as integer codes (enum positions) and numbers, one entry per profile."""

    age: IntArray
    gender: IntArray
    district: IntArray
    citizenship: IntArray
    migration_background: BoolArray
    german: IntArray
    school: IntArray
    vocational: IntArray
    foreign_qualification: BoolArray
    recognition: IntArray
    unemployment_months: IntArray
    sgb2: BoolArray
    care_duties: BoolArray
    single_parent: BoolArray
    hours_available: IntArray
    driving_licence: BoolArray
    max_commute_minutes: IntArray
    health_restriction: BoolArray
    last_occupation: IntArray
    targets: IntArray

    def __len__(self) -> int:
        return int(self.age.shape[0])

    def take(self, index: npt.NDArray[np.intp] | IntArray) -> ProfileArrays:
        return ProfileArrays(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @property
    def youth(self) -> BoolArray:
        return self.age <= 1

    @property
    def long_term_unemployed(self) -> BoolArray:
        return self.unemployment_months >= 12

    @property
    def women(self) -> BoolArray:
        result: BoolArray = self.gender == 0
        return result

    @property
    def migrants(self) -> BoolArray:
        result: BoolArray = (self.citizenship != 0) | self.migration_background
        return result

    def focus_group(self, key: str) -> BoolArray:
        if key not in FOCUS_GROUP_KEYS:
            raise KeyError(key)
        result: BoolArray = getattr(self, key)
        return result

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> ProfileArrays:
        last = df["last_occupation"].to_numpy(dtype=object)
        last_codes = np.array(
            [int(c) if isinstance(c, str) and c.isdigit() else -1 for c in last], dtype=np.int32
        )
        return cls(
            age=_codes(df["age_band"], AgeBand),
            gender=_codes(df["gender"], Gender),
            district=_codes(df["district"], District),
            citizenship=_codes(df["citizenship"], Citizenship),
            migration_background=df["migration_background"].to_numpy(dtype=bool),
            german=_codes(df["german_level"], GermanLevel),
            school=_codes(df["school_certificate"], SchoolCertificate),
            vocational=_codes(df["vocational_qualification"], VocationalQualification),
            foreign_qualification=df["foreign_qualification"].to_numpy(dtype=bool),
            recognition=_codes(df["recognition_status"], RecognitionStatus),
            unemployment_months=df["unemployment_months"].to_numpy(dtype=np.int32),
            sgb2=_codes(df["benefit_regime"], BenefitRegime) == 0,
            care_duties=df["care_duties"].to_numpy(dtype=bool),
            single_parent=df["single_parent"].to_numpy(dtype=bool),
            hours_available=df["hours_available"].to_numpy(dtype=np.int32),
            driving_licence=df["driving_licence"].to_numpy(dtype=bool),
            max_commute_minutes=df["max_commute_minutes"].to_numpy(dtype=np.int32),
            health_restriction=df["health_restriction"].to_numpy(dtype=bool),
            last_occupation=last_codes,
            targets=occupation_matrix(list(df["target_occupations"])),
        )

    @classmethod
    def from_records(cls, records: Sequence[ProfileRecord]) -> ProfileArrays:
        frame = pd.DataFrame([r.as_dict() for r in records])
        frame["target_occupations"] = [r.target_occupations for r in records]
        return cls.from_frame(frame)


@dataclass(frozen=True, slots=True)
class OfferArrays:
    """Offers as integer codes and numbers, one entry per offer."""

    offer_id: npt.NDArray[np.int64]
    measure_type: IntArray
    district: IntArray
    format: IntArray
    hours_per_week: IntArray
    part_time_possible: BoolArray
    childcare: BoolArray
    min_german: IntArray
    duration_weeks: IntArray
    funding: BoolArray  # (n, len(Funding)) in FUNDING_ORDER
    targets: IntArray
    latest_start: IntArray  # date ordinal of the last start date, -1 when none
    seats_free: IntArray
    azav_certified: BoolArray
    provider_id: IntArray  # -1 when unknown
    target_groups: BoolArray  # (n, 4) in FOCUS_GROUP_KEYS

    def __len__(self) -> int:
        return int(self.offer_id.shape[0])

    def take(self, index: npt.NDArray[np.intp] | IntArray) -> OfferArrays:
        return OfferArrays(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> OfferArrays:
        funding_lists = list(df["funding"])
        funding = np.zeros((len(df), len(FUNDING_ORDER)), dtype=bool)
        groups = np.zeros((len(df), len(FOCUS_GROUP_KEYS)), dtype=bool)
        latest = np.full(len(df), -1, dtype=np.int32)
        for i, (funds, tgs, starts) in enumerate(
            zip(funding_lists, df["target_groups"], df["start_dates"], strict=True)
        ):
            for fund in funds:
                funding[i, FUNDING_ORDER.index(Funding(fund))] = True
            for group in tgs:
                if group in FOCUS_GROUP_KEYS:
                    groups[i, FOCUS_GROUP_KEYS.index(group)] = True
            if len(starts):
                latest[i] = max(_ordinal(s) for s in starts)
        provider = pd.to_numeric(df["provider_id"]).fillna(-1)
        return cls(
            offer_id=df["offer_id"].to_numpy(dtype=np.int64),
            measure_type=_codes(df["measure_type"], MeasureType),
            district=_codes(df["district"], District),
            format=_codes(df["format"], OfferFormat),
            hours_per_week=df["hours_per_week"].to_numpy(dtype=np.int32),
            part_time_possible=df["part_time_possible"].to_numpy(dtype=bool),
            childcare=df["childcare"].to_numpy(dtype=bool),
            min_german=_codes(df["min_german_level"], GermanLevel),
            duration_weeks=df["duration_weeks"].to_numpy(dtype=np.int32),
            funding=funding,
            targets=occupation_matrix(list(df["target_occupations"])),
            latest_start=latest,
            seats_free=df["seats_free"].to_numpy(dtype=np.int32),
            azav_certified=df["azav_certified"].to_numpy(dtype=bool),
            provider_id=np.asarray(provider, dtype=np.int32),
            target_groups=groups,
        )

    @classmethod
    def from_records(cls, records: Sequence[OfferRecord]) -> OfferArrays:
        columns = {f: [getattr(r, f) for r in records] for f in OfferRecord.__dataclass_fields__}
        return cls.from_frame(pd.DataFrame(columns))


def _ordinal(value: date | pd.Timestamp | str) -> int:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return value.toordinal()


def occupation_fit(profile_targets: IntArray, offer_targets: IntArray) -> FloatArray:
    """Code-based fit in [0, 1] between rows of profile and offer KldB codes (broadcast).

    Same 5-digit type: 1.0; same 4-digit subgroup (other skill level): 0.7; same 3-digit group:
    0.5; same 2-digit main group: 0.25. Offers without target occupations fit 0.
    """
    p = profile_targets[..., :, None]
    o = offer_targets[..., None, :]
    valid = (p >= 0) & (o >= 0)
    score = np.where(valid & (p == o), 1.0, 0.0)
    score = np.maximum(score, np.where(valid & (p // 10 == o // 10), 0.7, 0.0))
    score = np.maximum(score, np.where(valid & (p // 100 == o // 100), 0.5, 0.0))
    score = np.maximum(score, np.where(valid & (p // 1000 == o // 1000), 0.25, 0.0))
    result: FloatArray = score.max(axis=(-1, -2))
    return result


def _expand(values: npt.NDArray[Any], *, profile_axis: bool) -> npt.NDArray[Any]:
    if not profile_axis:
        return values[None, ...]
    return values[:, None, ...] if values.ndim == 2 else values[:, None]


def broadcast_grid(p: ProfileArrays, o: OfferArrays) -> tuple[ProfileArrays, OfferArrays]:
    """Views that broadcast to (n_profiles, n_offers) in elementwise formulas."""
    grid_p = ProfileArrays(
        **{f.name: _expand(getattr(p, f.name), profile_axis=True) for f in fields(p)}
    )
    grid_o = OfferArrays(
        **{f.name: _expand(getattr(o, f.name), profile_axis=False) for f in fields(o)}
    )
    return grid_p, grid_o
