"""Numeric arrays for profiles and offers, built from DataFrames or records.

Every vectorised step (ground truth, eligibility, features) works on these arrays so that a
DataFrame of a million episodes and a single ``ProfileRecord`` go through the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from models.enums import (
    LONG_TERM_UNEMPLOYMENT_MONTHS,
    NON_MIGRANT_CITIZENSHIPS,
    WOMEN_GENDERS,
    YOUTH_AGE_BANDS,
    AgeBand,
    BenefitRegime,
    Citizenship,
    District,
    FocusGroup,
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

IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

MAX_OCCUPATIONS = 3
FUNDING_ORDER: tuple[Funding, ...] = tuple(Funding)
MEASURE_TYPES: tuple[MeasureType, ...] = tuple(MeasureType)
DISTRICTS: tuple[District, ...] = tuple(District)


def position(member: StrEnum) -> int:
    """Code of an enum member in the arrays: its position in its enum."""
    return list(type(member)).index(member)


# Codes of the measure types (used in vectorised formulas).
UMS = position(MeasureType.UMSCHULUNG)
TQ = position(MeasureType.TEILQUALIFIZIERUNG)
ANP = position(MeasureType.ANPASSUNGSQUALIFIZIERUNG)
COACH = position(MeasureType.AKTIVIERUNG_COACHING)
BSK = position(MeasureType.BERUFSSPRACHKURS)
IK = position(MeasureType.INTEGRATIONSKURS)
GB = position(MeasureType.GRUNDBILDUNG)
EQ = position(MeasureType.EINSTIEGSQUALIFIZIERUNG)
BVB = position(MeasureType.BERUFSVORBEREITUNG)
ASA = position(MeasureType.ASSISTIERTE_AUSBILDUNG)
TZA = position(MeasureType.TEILZEITAUSBILDUNG)
ANER = position(MeasureType.ANERKENNUNG)
WIED = position(MeasureType.WIEDEREINSTIEG)
TEIL = position(MeasureType.TEILHABE_AM_ARBEITSMARKT)
N_MEASURE_TYPES = len(MeasureType)
# Codes of other members the formulas refer to.
ONLINE = position(OfferFormat.ONLINE)
BLENDED = position(OfferFormat.BLENDED)
IN_PERSON = position(OfferFormat.IN_PERSON)
SGB_II = position(BenefitRegime.SGB_II)
FEMALE = position(Gender.FEMALE)
GERMAN_B1 = position(GermanLevel.B1)
MAX_GERMAN = len(GermanLevel) - 1

#: Focus groups in ``FocusGroup`` order (also the column order of ``OfferArrays.target_groups``).
FOCUS_GROUP_KEYS: tuple[str, ...] = tuple(group.value for group in FocusGroup)
# Membership per code, from the one definition in models.enums (see ``focus_groups`` there).
_YOUTH_BY_AGE = np.array([band in YOUTH_AGE_BANDS for band in AgeBand])
_WOMEN_BY_GENDER = np.array([gender in WOMEN_GENDERS for gender in Gender])
_MIGRANT_BY_CITIZENSHIP = np.array([c not in NON_MIGRANT_CITIZENSHIPS for c in Citizenship])

#: Hours per week from which a course without childcare conflicts with care duties.
FULL_TIME_HOURS = 30


def _codes(values: Any, enum: type[StrEnum]) -> IntArray:
    """Enum position of each value; unknown values raise, because they mean a schema drift."""
    categories = [member.value for member in enum]
    codes = pd.Categorical(values, categories=categories).codes.astype(np.int32)
    if (codes < 0).any():
        bad = pd.Series(values)[codes < 0].iloc[0]
        raise ValueError(f"unknown {enum.__name__} value: {bad!r}")
    return codes


@cache
def _positions(enum: type[StrEnum]) -> dict[str, int]:
    return {member.value: i for i, member in enumerate(enum)}


def _code(value: Any, enum: type[StrEnum]) -> int:
    try:
        return _positions(enum)[value]
    except KeyError:
        raise ValueError(f"unknown {enum.__name__} value: {value!r}") from None


def _kldb(code: str | None) -> int:
    return int(code) if isinstance(code, str) and code.isdigit() else -1


#: ``ProfileArrays`` fields (except ``targets``) and their dtypes, in ``_profile_row`` order.
_PROFILE_DTYPES: tuple[tuple[str, type], ...] = (
    ("age", np.int32),
    ("gender", np.int32),
    ("district", np.int32),
    ("citizenship", np.int32),
    ("migration_background", np.bool_),
    ("german", np.int32),
    ("school", np.int32),
    ("vocational", np.int32),
    ("foreign_qualification", np.bool_),
    ("recognition", np.int32),
    ("unemployment_months", np.int32),
    ("sgb2", np.bool_),
    ("care_duties", np.bool_),
    ("single_parent", np.bool_),
    ("hours_available", np.int32),
    ("driving_licence", np.bool_),
    ("max_commute_minutes", np.int32),
    ("health_restriction", np.bool_),
    ("last_occupation", np.int32),
)


def _profile_row(r: ProfileRecord) -> tuple[Any, ...]:
    return (
        _code(r.age_band, AgeBand),
        _code(r.gender, Gender),
        _code(r.district, District),
        _code(r.citizenship, Citizenship),
        bool(r.migration_background),
        _code(r.german_level, GermanLevel),
        _code(r.school_certificate, SchoolCertificate),
        _code(r.vocational_qualification, VocationalQualification),
        bool(r.foreign_qualification),
        _code(r.recognition_status, RecognitionStatus),
        int(r.unemployment_months),
        _code(r.benefit_regime, BenefitRegime) == SGB_II,
        bool(r.care_duties),
        bool(r.single_parent),
        int(r.hours_available),
        bool(r.driving_licence),
        int(r.max_commute_minutes),
        bool(r.health_restriction),
        _kldb(r.last_occupation),
    )


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
        result: BoolArray = _YOUTH_BY_AGE[self.age]
        return result

    @property
    def long_term_unemployed(self) -> BoolArray:
        result: BoolArray = self.unemployment_months >= LONG_TERM_UNEMPLOYMENT_MONTHS
        return result

    @property
    def women(self) -> BoolArray:
        result: BoolArray = _WOMEN_BY_GENDER[self.gender]
        return result

    @property
    def migrants(self) -> BoolArray:
        result: BoolArray = _MIGRANT_BY_CITIZENSHIP[self.citizenship] | self.migration_background
        return result

    def focus_group(self, key: str | FocusGroup) -> BoolArray:
        """Membership in one focus group (``models.enums.focus_groups``, vectorised)."""
        if key not in FOCUS_GROUP_KEYS:
            raise KeyError(key)
        result: BoolArray = getattr(self, FocusGroup(key).value)
        return result

    @property
    def needs_care(self) -> BoolArray:
        """Care duties or single parent: a full-time course then needs childcare."""
        result: BoolArray = self.care_duties | self.single_parent
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
            sgb2=_codes(df["benefit_regime"], BenefitRegime) == SGB_II,
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
        """Encode records directly with numpy (no DataFrame); same arrays as ``from_frame``."""
        rows = [_profile_row(r) for r in records]
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(_PROFILE_DTYPES)
        values: dict[str, Any] = {
            name: np.array(column, dtype=dtype)
            for (name, dtype), column in zip(_PROFILE_DTYPES, columns, strict=True)
        }
        values["targets"] = occupation_matrix([r.target_occupations for r in records])
        return cls(**values)

    @classmethod
    def from_record(cls, record: ProfileRecord) -> ProfileArrays:
        """One profile as arrays of length 1 (the per-request path; no pandas)."""
        return cls.from_records([record])


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
    latest_start: IntArray  # date ordinal of the last start date, -1 when none, max if rolling
    seats_free: IntArray
    azav_certified: BoolArray
    provider_id: IntArray  # -1 when unknown
    target_groups: BoolArray  # (n, len(FocusGroup)) in FOCUS_GROUP_KEYS

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
        if "rolling_entry" in df:
            latest[df["rolling_entry"].to_numpy(dtype=bool)] = ROLLING_ENTRY_START
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


#: ``latest_start`` of an offer with rolling entry: later than any request date.
ROLLING_ENTRY_START = date.max.toordinal()


def _ordinal(value: date | pd.Timestamp | str) -> int:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return value.toordinal()


def childcare_conflict(needs_care: Any, childcare: Any, hours_per_week: Any) -> Any:
    """A course of ``FULL_TIME_HOURS`` or more without childcare for a person with care needs.

    Elementwise over arrays or plain values (the one definition used by features, the
    eligibility rule and its warning).
    """
    return np.logical_and(
        np.logical_and(needs_care, np.logical_not(childcare)),
        np.greater_equal(hours_per_week, FULL_TIME_HOURS),
    )


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
