"""Synthetic jobseeker profiles calibrated to Krefeld's unemployed (DOMAIN.md).

Profiles are drawn as integer codes (enum positions) first, so the history generator can work on
a million rows quickly, and turned into an OfferRecord-/ProfileRecord-shaped DataFrame last.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from models.columns import PROFILE_COLUMNS, Kind, code
from models.enums import (
    YOUTH_AGE_BANDS,
    AgeBand,
    BenefitRegime,
    Citizenship,
    Gender,
    RecognitionStatus,
    SchoolCertificate,
    VocationalQualification,
)
from training.data.encoding import MAX_OCCUPATIONS, ProfileArrays
from training.synthetic.fields import FIELDS

AGE_SHARE = np.array([0.02, 0.065, 0.11, 0.12, 0.12, 0.11, 0.11, 0.12, 0.12, 0.105])
DISTRICT_SHARE = np.array([0.20, 0.16, 0.10, 0.10, 0.11, 0.09, 0.09, 0.07, 0.08])
GERMAN_NATIVE = np.array([0, 0, 0, 0, 0.03, 0.12, 0.85])
GERMAN_BACKGROUND = np.array([0, 0, 0, 0.10, 0.15, 0.25, 0.50])
GERMAN_FOREIGN = np.array([0.06, 0.12, 0.20, 0.27, 0.18, 0.12, 0.05])
SCHOOL_SHARE = np.array([0.15, 0.38, 0.27, 0.08, 0.12])
#: P(vocational qualification | school certificate), rows = school certificate
VOC_BY_SCHOOL = np.array(
    [
        [0.85, 0.08, 0.07, 0.00, 0.00],
        [0.55, 0.06, 0.36, 0.03, 0.00],
        [0.38, 0.05, 0.50, 0.06, 0.01],
        [0.30, 0.03, 0.47, 0.05, 0.15],
        [0.28, 0.02, 0.25, 0.02, 0.43],
    ]
)
RECOGNITION_SHARE = np.array([0.0, 0.45, 0.15, 0.15, 0.25])
_YOUTH = np.array([band in YOUTH_AGE_BANDS for band in AgeBand])


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row from row-wise probability vectors (or one shared vector)."""
    cdf = np.cumsum(probs, axis=-1)
    cdf = cdf / cdf[..., -1:]
    n = probs.shape[0] if probs.ndim == 2 else 1
    u = rng.random((n, 1))
    result: np.ndarray = (u > cdf).sum(axis=-1).astype(np.int32)
    return result


def _draw(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    cdf = np.cumsum(probs) / probs.sum()
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int32)


def draw_profiles(rng: np.random.Generator, n: int) -> ProfileArrays:
    gender = _draw(rng, np.array([0.45, 0.545, 0.005]), n)
    women = gender == code(Gender.FEMALE)
    age = _draw(rng, AGE_SHARE, n)
    citizenship = _draw(rng, np.array([0.70, 0.09, 0.21]), n)
    german_citizen = citizenship == code(Citizenship.GERMAN)
    background = german_citizen & (rng.random(n) < 0.25)
    german_probs = np.where(
        german_citizen[:, None],
        np.where(background[:, None], GERMAN_BACKGROUND, GERMAN_NATIVE),
        GERMAN_FOREIGN,
    )
    german = _categorical(rng, german_probs)
    school = _draw(rng, SCHOOL_SHARE, n)
    no_school = code(SchoolCertificate.NONE)
    school = np.where(~german_citizen & (rng.random(n) < 0.15), no_school, school).astype(np.int32)
    youngest = age == code(AgeBand.A15_19)
    school = np.where(
        youngest, np.minimum(school, code(SchoolCertificate.INTERMEDIATE)), school
    ).astype(np.int32)
    vocational = _categorical(rng, VOC_BY_SCHOOL[school])
    youth = _YOUTH[age]
    partial = code(VocationalQualification.PARTIAL)
    vocational = np.where(youth, np.minimum(vocational, partial), vocational).astype(np.int32)
    qualified = vocational >= code(VocationalQualification.VOCATIONAL)
    foreign_qual = ~german_citizen & qualified & (rng.random(n) < 0.7)
    recognition = np.where(
        foreign_qual,
        _draw(rng, RECOGNITION_SHARE, n),
        code(RecognitionStatus.NOT_APPLICABLE),
    ).astype(np.int32)
    older = age >= code(AgeBand.A50_54)
    ltu_prob = np.where(older, 0.55, np.where(youth, 0.2, 0.40))
    ltu = rng.random(n) < ltu_prob
    months = np.where(
        ltu,
        12 + np.minimum(rng.exponential(18.0, n), 84),
        np.minimum(rng.exponential(4.5, n), 11.99),
    ).astype(np.int32)
    sgb2 = rng.random(n) < np.where(months >= 12, 0.95, 0.61)
    care = rng.random(n) < np.where(women, 0.35, 0.12)
    care &= ~youngest
    single_parent = care & (rng.random(n) < np.where(women, 0.5, 0.15))
    hours = np.where(
        care, rng.choice([15, 20, 25, 30], n), np.where(rng.random(n) < 0.85, 40, 30)
    ).astype(np.int32)
    licence = rng.random(n) < np.where(german_citizen, 0.62, 0.40) * np.where(youngest, 0.3, 1)
    commute = rng.choice(np.array([20, 30, 45, 60], dtype=np.int32), n, p=[0.15, 0.35, 0.35, 0.15])
    health = rng.random(n) < np.where(older, 0.3, 0.12)
    drawn = {
        "age": age,
        "gender": gender,
        "women": women,
        "citizenship": citizenship,
        "background": background,
        "german": german,
        "school": school,
        "vocational": vocational,
        "foreign_qual": foreign_qual,
        "recognition": recognition,
        "months": months,
        "sgb2": sgb2,
        "care": care,
        "single_parent": single_parent,
        "hours": hours,
        "licence": licence,
        "commute": commute,
        "health": health,
    }
    return _with_occupations(rng, drawn)


def _with_occupations(rng: np.random.Generator, v: dict[str, np.ndarray]) -> ProfileArrays:
    n = v["gender"].shape[0]
    female_share = np.array([f.female_share for f in FIELDS])
    weights = np.where(v["women"][:, None], female_share, 1.0 - female_share)
    field = _categorical(rng, weights)
    helper = np.array([int(f.helper) for f in FIELDS])
    skilled = np.array([int(f.skilled) for f in FIELDS])
    qualified = v["vocational"] >= code(VocationalQualification.VOCATIONAL)
    primary = np.where(qualified | (rng.random(n) < 0.3), skilled[field], helper[field])
    second_field = _categorical(rng, weights)
    has_second = rng.random(n) < 0.35
    targets = np.full((n, MAX_OCCUPATIONS), -1, dtype=np.int32)
    targets[:, 0] = primary
    targets[:, 1] = np.where(has_second & (second_field != field), helper[second_field], -1)
    has_last = rng.random(n) < np.where(v["age"] == code(AgeBand.A15_19), 0.2, 0.8)
    last = np.where(rng.random(n) < 0.6, primary, helper[second_field])
    regime = np.where(v["sgb2"], code(BenefitRegime.SGB_II), code(BenefitRegime.SGB_III))
    return ProfileArrays(
        {
            "age_band": v["age"],
            "gender": v["gender"],
            "district": _draw(rng, DISTRICT_SHARE, n),
            "citizenship": v["citizenship"],
            "migration_background": v["background"],
            "german_level": v["german"],
            "school_certificate": v["school"],
            "vocational_qualification": v["vocational"],
            "foreign_qualification": v["foreign_qual"],
            "recognition_status": v["recognition"],
            "unemployment_months": v["months"],
            "benefit_regime": regime.astype(np.int32),
            "care_duties": v["care"],
            "single_parent": v["single_parent"],
            "hours_available": v["hours"],
            "driving_licence": v["licence"],
            "max_commute_minutes": v["commute"],
            "health_restriction": v["health"],
            "last_occupation": np.where(has_last, last, -1).astype(np.int32),
            "target_occupations": targets,
        }
    )


def _labels(codes: np.ndarray, enum: type[StrEnum]) -> pd.Categorical[str]:
    categories = pd.Index([m.value for m in enum])
    return pd.Categorical.from_codes(codes.astype(np.int64), categories=categories)


def _occupation_tuples(targets: np.ndarray) -> list[tuple[str, ...]]:
    unique, inverse = np.unique(targets, axis=0, return_inverse=True)
    as_tuples = [tuple(f"{c:05d}" for c in row if c >= 0) for row in unique]
    return [as_tuples[i] for i in inverse.ravel()]


def _kldb_strings(codes: np.ndarray) -> np.ndarray:
    text = np.char.zfill(np.where(codes >= 0, codes, 0).astype(str), 5).astype(object)
    text[codes < 0] = None
    return text


def profiles_frame(p: ProfileArrays) -> pd.DataFrame:
    """ProfileRecord-shaped DataFrame (enum values as strings, codes as 5-digit strings)."""
    columns: dict[str, object] = {}
    for spec in PROFILE_COLUMNS:
        values = p.columns[spec.name]
        if spec.kind is Kind.CATEGORY:
            assert spec.enum is not None
            columns[spec.name] = _labels(values, spec.enum)
        elif spec.kind is Kind.CODE:
            columns[spec.name] = _kldb_strings(values)
        elif spec.kind is Kind.CODES:
            columns[spec.name] = _occupation_tuples(values)
        else:
            columns[spec.name] = values
    return pd.DataFrame(columns)
