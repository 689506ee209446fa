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

from training.encoding import OfferArrays, ProfileArrays, occupation_fit
from training.schema import OfferRecord

F32 = npt.NDArray[np.float32]
KLDB_CLASSES = (
    Path(__file__).resolve().parent.parent / "models" / "data" / "kldb2010" / "classes.csv"
)
ONLINE, BLENDED = 1, 2
N_TYPES = 14


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
    months = p.unemployment_months
    band = np.searchsorted(np.array([6, 12, 24]), months, side="right").astype(np.int32)
    flags = np.column_stack(
        [
            p.migration_background,
            p.foreign_qualification,
            p.sgb2,
            p.care_duties,
            p.single_parent,
            p.hours_available < 30,
            p.driving_licence,
            p.health_restriction,
            p.last_occupation >= 0,
            np.log1p(months) / 4.0,
        ]
    ).astype(np.float32)
    # Interactions the effect of a measure type plausibly depends on (DOMAIN.md "who it suits"):
    # subsidised work needs long SGB II unemployment, return-to-work programmes carers, and
    # effects shrink with age (50+, 55+) for the qualification-led measures.
    ltu, vlt = months >= 12, months >= 24
    needs_care = p.care_duties | p.single_parent
    open_recognition = p.foreign_qualification & ((p.recognition == 1) | (p.recognition == 2))
    low_qualification = p.vocational <= 1
    interactions = [
        vlt & p.sgb2,
        p.care_duties & ltu,
        (p.gender == 0) & (p.german <= 3),
        (p.age <= 1) & (p.school <= 1),
        p.care_duties & ~p.single_parent,
        open_recognition,
    ]
    for older in (p.age >= 7, p.age >= 8):
        interactions += [
            older & low_qualification,
            older & ~low_qualification,
            older & needs_care,
            older & open_recognition,
            older & vlt & p.sgb2,
        ]
    extra = np.column_stack(interactions).astype(np.float32)
    return np.hstack(
        [
            _one_hot(p.age, 10),
            _one_hot(p.gender, 3),
            _one_hot(p.district, 9),
            _one_hot(p.citizenship, 3),
            _one_hot(p.german, 7),
            _one_hot(p.school, 5),
            _one_hot(p.vocational, 5),
            _one_hot(p.recognition, 5),
            _one_hot(band, 4),
            flags,
            extra,
        ]
    )


def offer_block(o: OfferArrays) -> F32:
    """Offer descriptors, one row per offer."""
    groups = np.array(main_groups())
    code = o.targets[:, 0]
    group_index = np.where(code >= 0, np.searchsorted(groups, code // 1000), -1)
    group_index = np.where(
        (group_index >= 0) & (groups[np.clip(group_index, 0, len(groups) - 1)] == code // 1000),
        group_index,
        -1,
    )
    skill = np.where(code >= 0, code % 10 - 1, -1).astype(np.int32)
    numbers = np.column_stack(
        [
            np.log1p(o.duration_weeks) / 5.0,
            o.hours_per_week / 40.0,
            o.part_time_possible,
            o.childcare,
            o.format == ONLINE,
            o.format == BLENDED,
            o.min_german / 6.0,
            code < 0,
        ]
    ).astype(np.float32)
    return np.hstack(
        [_one_hot(group_index.astype(np.int32), len(groups)), _one_hot(skill, 4), numbers]
    )


def pair_block(p: ProfileArrays, o: OfferArrays, *, fit: npt.NDArray[Any] | None = None) -> F32:
    """Interactions of a profile with an offer (rows aligned or broadcast one-to-many).

    ``fit`` may pass the already computed ``occupation_fit(p.targets, o.targets)``.
    """
    if fit is None:
        fit = occupation_fit(p.targets, o.targets)
    has_target = o.targets[..., 0] >= 0
    needs_care = p.care_duties | p.single_parent
    columns = [
        fit,
        has_target & (fit == 0),
        fit >= 1.0,
        needs_care & ~o.childcare & (o.hours_per_week >= 30),
        (o.format == ONLINE) & (p.german < 3),
        (o.hours_per_week > p.hours_available) & ~o.part_time_possible,
        p.health_restriction & has_target,
        np.clip(p.german - o.min_german, 0, 6) / 6.0,
        np.clip(o.hours_per_week - p.hours_available, 0, 40) / 40.0,
        fit * (p.age >= 7),
        fit * (p.age >= 8),
    ]
    shape = np.broadcast_shapes(*(np.shape(c) for c in columns))
    return np.stack([np.broadcast_to(c, shape) for c in columns], axis=-1).astype(np.float32)


def effect_design(p: ProfileArrays, o: OfferArrays) -> F32:
    """Aligned rows: [1, profile, pair, offer] — the effect model's design matrix."""
    n = len(p)
    return np.hstack(
        [np.ones((n, 1), dtype=np.float32), profile_block(p), pair_block(p, o), offer_block(o)]
    )


def raw_features(p: ProfileArrays, o: OfferArrays) -> F32:
    """Compact codes for tree-based outcome models (aligned rows)."""
    profile = np.column_stack(
        [
            p.age,
            p.gender,
            p.district,
            p.citizenship,
            p.migration_background,
            p.german,
            p.school,
            p.vocational,
            p.foreign_qualification,
            p.recognition,
            p.unemployment_months,
            p.sgb2,
            p.care_duties,
            p.single_parent,
            p.hours_available,
            p.driving_licence,
            p.health_restriction,
            p.targets[:, 0] // 1000,
        ]
    ).astype(np.float32)
    offer = np.column_stack(
        [
            o.measure_type,
            o.targets[:, 0] // 1000,
            o.targets[:, 0] % 10,
            o.duration_weeks,
            o.format,
            o.hours_per_week,
            o.part_time_possible,
            o.childcare,
            o.min_german,
        ]
    ).astype(np.float32)
    return np.hstack([profile, offer, pair_block(p, o)])


#: Column of ``outcome_features`` holding the measure type (0 = no measure, else type + 1).
TREATMENT_COLUMN = 18


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


PROFILE_WIDTH = 10 + 3 + 9 + 3 + 7 + 5 + 5 + 5 + 4 + 10 + 16
PAIR_WIDTH = 11
