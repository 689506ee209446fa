"""The one feature transform for (profile, offer) pairs, shared by training and serving.

Three blocks: profile one-hots (``profile_block``), pair interactions (``pair_block``: occupation
fit, German level gap, hours gap, childcare conflict) and offer descriptors (``offer_block``:
KldB main group, skill level, duration, format, hours, part-time, childcare, minimum German).
Offers are described by features, not ids, so the model generalises to new offers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

import models
from models.columns import PROFILE, code
from models.enums import (
    AgeBand,
    Gender,
    GermanLevel,
    OfferFormat,
    RecognitionStatus,
    SchoolCertificate,
    UnemploymentBand,
    VocationalQualification,
)
from training.data.encoding import (
    MAX_GERMAN,
    OfferArrays,
    ProfileArrays,
    childcare_conflict,
)
from training.data.occupation_fit import occupation_fit
from training.data.schema import OfferRecord

F32 = npt.NDArray[np.float32]
#: Feature groups (keys of ``training.ranking.labels.DRIVER_LABELS``, or the name of a profile
#: column with a ``title``) one design column belongs to.
Groups = tuple[str, ...]
KLDB_CLASSES = Path(models.__file__).parent / "data" / "kldb2010" / "classes.csv"
#: ``profile_block`` one-hots: these profile columns (``models.columns``), one design column per
#: category, with the feature group (``training.ranking.labels.DRIVER_LABELS``) they belong to.
PROFILE_ONE_HOTS: tuple[tuple[str, str], ...] = (
    ("age_band", "age"),
    ("gender", "gender"),
    ("district", "district"),
    ("citizenship", "citizenship"),
    ("german_level", "german"),
    ("school_certificate", "school"),
    ("vocational_qualification", "vocational"),
    ("recognition_status", "recognition"),
)
#: Months where ``UnemploymentBand`` changes (read off ``UnemploymentBand.from_months``).
UNEMPLOYMENT_BAND_STARTS = np.array(
    [
        m
        for m in range(1, 10 * 12)
        if UnemploymentBand.from_months(m) != UnemploymentBand.from_months(m - 1)
    ]
)
#: KldB 2010 skill levels (the fifth digit: helper, skilled, specialist, expert).
SKILL_LEVELS = 4
#: Hours per week below which a person counts as available part-time only.
PART_TIME_HOURS = 30
VERY_LONG_UNEMPLOYMENT_MONTHS = 24


@cache
def main_groups() -> tuple[int, ...]:
    """KldB 2010 2-digit main groups (the occupation area an offer trains for)."""
    classes = pd.read_csv(KLDB_CLASSES, dtype={"code": str}, usecols=["code", "level"])
    return tuple(sorted(int(c) for c in classes.loc[classes["level"] == 2, "code"]))


def _one_hot(codes: npt.NDArray[np.int32], size: int) -> F32:
    out = np.zeros((codes.shape[0], size), dtype=np.float32)
    valid = (codes >= 0) & (codes < size)
    out[np.nonzero(valid)[0], codes[valid]] = 1.0
    return out


def profile_block(p: ProfileArrays) -> F32:
    """Profile one-hots and numbers (no intercept), one row per profile."""
    return np.hstack([block for _, block in _profile_parts(p)])


def _profile_parts(p: ProfileArrays) -> list[tuple[tuple[Groups, ...], F32]]:
    """``profile_block`` in parts, each with the feature groups of its columns."""
    months = p.unemployment_months
    band = np.searchsorted(UNEMPLOYMENT_BAND_STARTS, months, side="right").astype(np.int32)
    flags: list[tuple[Groups, Any]] = [
        (("migration",), p.migration_background),
        (("recognition",), p.foreign_qualification),
        (("sgb2",), p.sgb2),
        (("care",), p.care_duties),
        (("care",), p.single_parent),
        (("hours",), p.hours_available < PART_TIME_HOURS),
        (("driving_licence",), p.driving_licence),
        (("health",), p.health_restriction),
        (("experience",), p.last_occupation >= 0),
        (("unemployment",), np.log1p(months) / 4.0),
    ]
    # Interactions the effect of a measure type plausibly depends on (DOMAIN.md "who it suits"):
    # subsidised work needs long SGB II unemployment, return-to-work programmes carers, and
    # effects shrink with age (50+, 55+) for the qualification-led measures.
    ltu, vlt = p.long_term_unemployed, months >= VERY_LONG_UNEMPLOYMENT_MONTHS
    needs_care = p.needs_care
    open_recognition = p.foreign_qualification & (
        (p.recognition_status == code(RecognitionStatus.NOT_APPLIED))
        | (p.recognition_status == code(RecognitionStatus.PENDING))
    )
    low_qualification = p.vocational_qualification <= code(VocationalQualification.PARTIAL)
    interactions: list[tuple[Groups, Any]] = [
        (("unemployment", "sgb2"), vlt & p.sgb2),
        (("care", "unemployment"), p.care_duties & ltu),
        (
            ("gender", "german"),
            (p.gender == code(Gender.FEMALE)) & (p.german_level <= code(GermanLevel.B1)),
        ),
        (
            ("age", "school"),
            p.youth & (p.school_certificate <= code(SchoolCertificate.LOWER_SECONDARY)),
        ),
        (("care",), p.care_duties & ~p.single_parent),
        (("recognition",), open_recognition),
    ]
    for older in _older(p):
        interactions += [
            (("age", "vocational"), older & low_qualification),
            (("age", "vocational"), older & ~low_qualification),
            (("age", "care"), older & needs_care),
            (("age", "recognition"), older & open_recognition),
            (("age", "unemployment", "sgb2"), older & vlt & p.sgb2),
        ]
    return [
        *(
            (((group,),) * _size(name), _one_hot(getattr(p, name), _size(name)))
            for name, group in PROFILE_ONE_HOTS
        ),
        ((("unemployment",),) * len(UnemploymentBand), _one_hot(band, len(UnemploymentBand))),
        _named(flags),
        _named(interactions),
    ]


def _size(column: str) -> int:
    return len(PROFILE[column].categories)


def _older(p: ProfileArrays) -> tuple[Any, Any]:
    """50 and over, 55 and over: the age bands the qualification-led effects shrink from."""
    return p.age_band >= code(AgeBand.A50_54), p.age_band >= code(AgeBand.A55_59)


def _named(columns: list[tuple[Groups, Any]]) -> tuple[tuple[Groups, ...], F32]:
    return tuple(g for g, _ in columns), np.column_stack([c for _, c in columns]).astype(np.float32)


def offer_block(o: OfferArrays) -> F32:
    """Offer descriptors, one row per offer."""
    return np.hstack([block for _, block in _offer_parts(o)])


def _offer_parts(o: OfferArrays) -> list[tuple[tuple[Groups, ...], F32]]:
    """``offer_block`` in parts, each with the feature groups of its columns."""
    groups = np.array(main_groups())
    kldb = o.target_occupations[:, 0]
    group_index = np.where(kldb >= 0, np.searchsorted(groups, kldb // 1000), -1)
    group_index = np.where(
        (group_index >= 0) & (groups[np.clip(group_index, 0, len(groups) - 1)] == kldb // 1000),
        group_index,
        -1,
    )
    skill = np.where(kldb >= 0, kldb % 10 - 1, -1).astype(np.int32)
    numbers: list[tuple[Groups, Any]] = [
        (("duration",), np.log1p(o.duration_weeks) / 5.0),
        (("offer_hours",), o.hours_per_week / 40.0),
        (("part_time",), o.part_time_possible),
        (("childcare",), o.childcare),
        (("format",), o.format == code(OfferFormat.ONLINE)),
        (("format",), o.format == code(OfferFormat.BLENDED)),
        (("offer_german",), o.min_german_level / MAX_GERMAN),
        (("occupation_area",), kldb < 0),
    ]
    return [
        (
            (("occupation_area",),) * len(groups),
            _one_hot(group_index.astype(np.int32), len(groups)),
        ),
        ((("skill_level",),) * SKILL_LEVELS, _one_hot(skill, SKILL_LEVELS)),
        _named(numbers),
    ]


def pair_block(p: ProfileArrays, o: OfferArrays, *, fit: npt.NDArray[Any] | None = None) -> F32:
    """Interactions of a profile with an offer (rows aligned or broadcast one-to-many).

    ``fit`` may pass the already computed occupation fit of the two ``target_occupations``.
    """
    columns = [column for _, column in _pair_columns(p, o, fit)]
    shape = np.broadcast_shapes(*(np.shape(c) for c in columns))
    return np.stack([np.broadcast_to(c, shape) for c in columns], axis=-1).astype(np.float32)


def _pair_columns(
    p: ProfileArrays, o: OfferArrays, fit: npt.NDArray[Any] | None
) -> list[tuple[Groups, Any]]:
    if fit is None:
        fit = occupation_fit(p.target_occupations, o.target_occupations)
    has_target = o.target_occupations[..., 0] >= 0
    online = o.format == code(OfferFormat.ONLINE)
    older, oldest = _older(p)
    return [
        (("occupation_fit",), fit),
        (("occupation_fit",), has_target & (fit == 0)),
        (("occupation_fit",), fit >= 1.0),
        (("care_compatibility",), childcare_conflict(p.needs_care, o.childcare, o.hours_per_week)),
        (("format", "german"), online & (p.german_level < code(GermanLevel.B1))),
        (("hours_fit",), (o.hours_per_week > p.hours_available) & ~o.part_time_possible),
        (("health",), p.health_restriction & has_target),
        (("german",), np.clip(p.german_level - o.min_german_level, 0, MAX_GERMAN) / MAX_GERMAN),
        (("hours_fit",), np.clip(o.hours_per_week - p.hours_available, 0, 40) / 40.0),
        (("occupation_fit", "age"), fit * older),
        (("occupation_fit", "age"), fit * oldest),
    ]


def effect_design(p: ProfileArrays, o: OfferArrays, *, fit: npt.NDArray[Any] | None = None) -> F32:
    """Aligned rows: [1, profile, pair, offer] — the effect model's design matrix.

    ``fit`` may pass the already computed occupation fit (as for ``pair_block``).
    """
    n = len(p)
    return np.hstack(
        [
            np.ones((n, 1), dtype=np.float32),
            profile_block(p),
            pair_block(p, o, fit=fit),
            offer_block(o),
        ]
    )


@cache
def design_groups() -> tuple[tuple[str, ...], npt.NDArray[np.float64]]:
    """The feature groups of ``effect_design`` and how its columns map onto them.

    Returns the group keys (German names in ``training.ranking.labels.DRIVER_LABELS``) and a
    matrix of shape (design columns, groups): a column that combines several characteristics (an
    interaction) is shared equally among their groups; the intercept belongs to none.
    """
    p, o = ProfileArrays.from_records([]), OfferArrays.from_records([])
    columns: list[Groups] = [
        (),  # the intercept
        *(column for part, _ in _profile_parts(p) for column in part),
        *(column for column, _ in _pair_columns(p, o, None)),
        *(column for part, _ in _offer_parts(o) for column in part),
    ]
    keys = tuple(dict.fromkeys(g for column in columns for g in column))
    matrix = np.zeros((len(columns), len(keys)))
    for j, column in enumerate(columns):
        for g in column:
            matrix[j, keys.index(g)] = 1.0 / len(column)
    return keys, matrix


#: ``raw_features`` profile columns: these ``ProfileArrays`` columns (and ``sgb2``), then the
#: target main group.
RAW_PROFILE_FIELDS: tuple[str, ...] = (
    "age_band",
    "gender",
    "district",
    "citizenship",
    "migration_background",
    "german_level",
    "school_certificate",
    "vocational_qualification",
    "foreign_qualification",
    "recognition_status",
    "unemployment_months",
    "sgb2",
    "care_duties",
    "single_parent",
    "hours_available",
    "driving_licence",
    "health_restriction",
)


def raw_features(p: ProfileArrays, o: OfferArrays) -> F32:
    """Compact codes for tree-based outcome models (aligned rows)."""
    profile = np.column_stack(
        [*(getattr(p, name) for name in RAW_PROFILE_FIELDS), p.target_occupations[:, 0] // 1000]
    ).astype(np.float32)
    offer = np.column_stack(
        [
            o.measure_type,  # first offer column: ``TREATMENT_COLUMN``
            o.target_occupations[:, 0] // 1000,
            o.target_occupations[:, 0] % 10,
            o.duration_weeks,
            o.format,
            o.hours_per_week,
            o.part_time_possible,
            o.childcare,
            o.min_german_level,
        ]
    ).astype(np.float32)
    return np.hstack([profile, offer, pair_block(p, o)])


#: Column of ``outcome_features`` holding the measure type (0 = no measure, else type + 1): the
#: first column after the profile columns of ``raw_features``.
TREATMENT_COLUMN = len(RAW_PROFILE_FIELDS) + 1


def outcome_features(p: ProfileArrays, o: OfferArrays, pos: npt.NDArray[np.intp]) -> F32:
    """Rows for the stage-1 outcome model: ``raw_features`` of the offer taken (``pos`` into
    ``o``), or of no measure (``pos`` < 0: treatment 0, offer and pair columns 0)."""
    treated = pos >= 0
    x = raw_features(p, o.take(np.where(treated, pos, 0)))
    x[:, TREATMENT_COLUMN] = np.where(treated, x[:, TREATMENT_COLUMN] + 1, 0)
    x[~treated, TREATMENT_COLUMN + 1 :] = 0.0
    return x


@dataclass(frozen=True)
class OfferCatalog:
    """Offers prepared once (arrays + offer descriptors) and reused for every request."""

    arrays: OfferArrays
    block: F32
    records: tuple[OfferRecord, ...] = ()
    #: Per-model precomputations over these offers (see ``cached``); not part of equality.
    _cache: dict[Any, tuple[Any, Any]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    def cached(self, owner: Any, key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """``build()`` once per (owner object, key); the owner is kept to make ids unique."""
        slot = (id(owner), *key)
        entry = self._cache.get(slot)
        if entry is None or entry[0] is not owner:
            if len(self._cache) >= 8:  # a hot swap leaves old models behind: forget them
                self._cache.clear()
            entry = (owner, build())
            self._cache[slot] = entry
        return entry[1]

    @classmethod
    def from_arrays(cls, arrays: OfferArrays, records: Sequence[OfferRecord] = ()) -> OfferCatalog:
        return cls(arrays=arrays, block=offer_block(arrays), records=tuple(records))

    @classmethod
    def from_records(cls, records: Sequence[OfferRecord]) -> OfferCatalog:
        return cls.from_arrays(OfferArrays.from_records(records), records)

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> OfferCatalog:
        return cls.from_arrays(OfferArrays.from_frame(df))

    def __len__(self) -> int:
        return len(self.arrays)


_EMPTY_P, _EMPTY_O = ProfileArrays.from_records([]), OfferArrays.from_records([])
PROFILE_WIDTH = profile_block(_EMPTY_P).shape[1]
PAIR_WIDTH = pair_block(_EMPTY_P, _EMPTY_O).shape[1]
#: Column of ``pair_block`` holding the occupation fit itself.
PAIR_FIT = next(
    j
    for j, (groups, _) in enumerate(_pair_columns(_EMPTY_P, _EMPTY_O, None))
    if groups == ("occupation_fit",)
)
