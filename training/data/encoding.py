"""Numeric arrays for profiles and offers, built from DataFrames or records.

Every vectorised step (ground truth, eligibility, features) works on these arrays so that a
DataFrame of a million episodes and a single ``ProfileRecord`` go through the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from models.columns import OFFER, PROFILE, PROFILE_COLUMNS, ColumnSpec, Kind, code
from models.enums import (
    LONG_TERM_UNEMPLOYMENT_MONTHS,
    NON_MIGRANT_CITIZENSHIPS,
    WOMEN_GENDERS,
    YOUTH_AGE_BANDS,
    AgeBand,
    BenefitRegime,
    Citizenship,
    FocusGroup,
    Funding,
    Gender,
)
from training.data.records import OFFER_RECORD_COLUMNS
from training.data.schema import OfferRecord, ProfileRecord

IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
Arrays = dict[str, npt.NDArray[Any]]

MAX_OCCUPATIONS = 3
FUNDING_ORDER: tuple[Funding, ...] = OFFER["funding"].categories  # type: ignore[assignment]
position = code  # an enum member's code in the arrays (``models.columns.code``)
N_MEASURE_TYPES = len(OFFER["measure_type"].categories)
MAX_GERMAN = len(PROFILE["german_level"].categories) - 1

#: Focus groups in ``FocusGroup`` order (also the column order of ``OfferArrays.target_groups``).
FOCUS_GROUP_KEYS: tuple[str, ...] = tuple(group.value for group in FocusGroup)
# Membership per code, from the one definition in models.enums (see ``focus_groups`` there).
_YOUTH_BY_AGE = np.array([band in YOUTH_AGE_BANDS for band in AgeBand])
_WOMEN_BY_GENDER = np.array([gender in WOMEN_GENDERS for gender in Gender])
_MIGRANT_BY_CITIZENSHIP = np.array([c not in NON_MIGRANT_CITIZENSHIPS for c in Citizenship])

#: Hours per week from which a course without childcare conflicts with care duties.
FULL_TIME_HOURS = 30
#: Array dtype of each scalar column kind (categories are codes: positions in their enum).
_DTYPES: dict[Kind, type] = {
    Kind.CATEGORY: np.int32,
    Kind.FLAG: np.bool_,
    Kind.COUNT: np.int32,
    Kind.CODE: np.int32,
}


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


def _kldb(code: Any) -> int:
    return int(code) if isinstance(code, str) and code.isdigit() else -1


def occupation_matrix(rows: Sequence[Sequence[str] | None]) -> IntArray:
    """KldB 5-digit codes as integers, padded with -1 to ``MAX_OCCUPATIONS`` columns."""
    out = np.full((len(rows), MAX_OCCUPATIONS), -1, dtype=np.int32)
    for i, codes in enumerate(rows):
        if not codes:
            continue
        for j, kldb in enumerate(list(codes)[:MAX_OCCUPATIONS]):
            if kldb and kldb.isdigit():
                out[i, j] = int(kldb)
    return out


def membership_matrix(rows: Sequence[Sequence[Any]], enum: type[StrEnum]) -> BoolArray:
    """One column per member of ``enum`` (in enum order): is it in the row's list?"""
    out = np.zeros((len(rows), len(enum)), dtype=bool)
    for i, values in enumerate(rows):
        for value in values:
            out[i, _code(value, enum)] = True
    return out


def _scalar(spec: ColumnSpec, values: Sequence[Any]) -> npt.NDArray[Any]:
    """One scalar column from plain values (records)."""
    if spec.kind is Kind.CATEGORY:
        assert spec.enum is not None
        enum = spec.enum
        return np.array([_code(v, enum) for v in values], dtype=np.int32)
    if spec.kind is Kind.CODE:
        return np.array([_kldb(v) for v in values], dtype=np.int32)
    return np.array(values, dtype=_DTYPES[spec.kind])


def _scalar_series(spec: ColumnSpec, series: pd.Series[Any]) -> npt.NDArray[Any]:
    """One scalar column from a DataFrame column (vectorised where the kind allows)."""
    if spec.kind is Kind.CATEGORY:
        assert spec.enum is not None
        return _codes(series, spec.enum)
    if spec.kind is Kind.CODE:
        return np.array([_kldb(c) for c in series.to_numpy(dtype=object)], dtype=np.int32)
    return series.to_numpy(dtype=_DTYPES[spec.kind])


def _list_column(spec: ColumnSpec, rows: Sequence[Any]) -> npt.NDArray[Any]:
    if spec.kind is Kind.CODES:
        return occupation_matrix(list(rows))
    assert spec.enum is not None
    return membership_matrix(list(rows), spec.enum)


def encode_columns(specs: Sequence[ColumnSpec], frame: pd.DataFrame) -> Arrays:
    """The array of each column in ``specs`` (kinds with an array encoding) from a DataFrame;
    a column the frame lacks takes the model's default."""
    n = len(frame)
    out: Arrays = {}
    for spec in specs:
        if spec.kind not in _DTYPES and spec.kind not in (Kind.CODES, Kind.CATEGORIES):
            continue
        if spec.name in frame:
            column = frame[spec.name]
        else:
            column = pd.Series([spec.default] * n, dtype=object)
        if spec.kind in _DTYPES:
            out[spec.name] = _scalar_series(spec, column)
        else:
            out[spec.name] = _list_column(spec, list(column))
    return out


def encode_records(specs: Sequence[ColumnSpec], records: Sequence[Any]) -> Arrays:
    """``encode_columns`` for records (attributes), with numpy only (no DataFrame)."""
    out: Arrays = {}
    for spec in specs:
        values = [getattr(r, spec.name, spec.default) for r in records]
        if spec.kind in _DTYPES:
            out[spec.name] = _scalar(spec, values)
        elif spec.kind in (Kind.CODES, Kind.CATEGORIES):
            out[spec.name] = _list_column(spec, values)
    return out


class _Default:
    """A record without any column: ``encode_records`` then reads each column's default."""


class _Columns:
    """Arrays by column name (``models.columns``), one entry per row, read as attributes."""

    __slots__ = ("columns",)
    columns: Arrays

    def __init__(self, columns: Arrays) -> None:
        object.__setattr__(self, "columns", dict(columns))

    def __getattr__(self, name: str) -> npt.NDArray[Any]:
        if name == "columns":
            raise AttributeError(name)
        try:
            return self.columns[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no column {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Columns)
        return self.columns.keys() == other.columns.keys() and all(
            np.array_equal(v, other.columns[k]) for k, v in self.columns.items()
        )

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> Arrays:
        return self.columns

    def __setstate__(self, state: Arrays) -> None:
        object.__setattr__(self, "columns", state)

    def __len__(self) -> int:
        return int(next(iter(self.columns.values())).shape[0])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} rows: {', '.join(self.columns)})"

    def take(self, index: npt.NDArray[np.intp] | IntArray) -> Self:
        return type(self)({name: values[index] for name, values in self.columns.items()})

    def replace(self, **columns: npt.NDArray[Any]) -> Self:
        """A copy with some columns replaced (each must exist)."""
        unknown = set(columns) - set(self.columns)
        if unknown:
            raise KeyError(sorted(unknown))
        return type(self)({**self.columns, **columns})


#: The profile columns with an array encoding (all of ``ProfileBase``'s today).
PROFILE_ARRAY_COLUMNS: tuple[ColumnSpec, ...] = tuple(
    c for c in PROFILE_COLUMNS if c.kind in (*_DTYPES, Kind.CODES, Kind.CATEGORIES)
)


class ProfileArrays(_Columns):
    """Profiles as arrays, one per column of ``models.columns.PROFILE_COLUMNS`` under its name.

    Categories are codes (positions in their enum), flags booleans, counts integers, a KldB code
    an integer (-1 when none) and ``target_occupations`` a (n, ``MAX_OCCUPATIONS``) matrix.
    """

    __slots__ = ()

    def __init__(self, columns: Arrays) -> None:
        """Columns left out (a generator that does not draw one) take the model's default."""
        super().__init__(columns)
        if not columns:
            return
        n = len(self)
        for spec in PROFILE_ARRAY_COLUMNS:
            if spec.name not in self.columns and not spec.required:
                self.columns[spec.name] = encode_records([spec], [_Default()] * n)[spec.name]

    @property
    def sgb2(self) -> BoolArray:
        result: BoolArray = self.benefit_regime == code(BenefitRegime.SGB_II)
        return result

    @property
    def youth(self) -> BoolArray:
        result: BoolArray = _YOUTH_BY_AGE[self.age_band]
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
        return cls(encode_columns(PROFILE_ARRAY_COLUMNS, df))

    @classmethod
    def from_records(cls, records: Sequence[ProfileRecord]) -> ProfileArrays:
        """Encode records directly with numpy (no DataFrame); same arrays as ``from_frame``."""
        return cls(encode_records(PROFILE_ARRAY_COLUMNS, records))

    @classmethod
    def from_record(cls, record: ProfileRecord) -> ProfileArrays:
        """One profile as arrays of length 1 (the per-request path; no pandas)."""
        return cls.from_records([record])


#: The offer content columns of ``OfferRecord`` with an array encoding (``start_dates`` become
#: ``latest_start``; the title is text).
OFFER_ARRAY_COLUMNS: tuple[ColumnSpec, ...] = tuple(
    c for c in OFFER_RECORD_COLUMNS if c.kind in (*_DTYPES, Kind.CODES, Kind.CATEGORIES)
)


class OfferArrays(_Columns):
    """Offers as arrays: one per column of ``OFFER_ARRAY_COLUMNS`` under its name (encoded as
    for profiles; ``funding`` and ``target_groups`` one boolean column per enum member), plus
    ``offer_id``, ``latest_start`` (date ordinal of the last start date, -1 when none, max if
    rolling), ``azav_certified`` and ``provider_id`` (-1 when unknown)."""

    __slots__ = ()

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> OfferArrays:
        latest = np.array(
            [max((_ordinal(s) for s in starts), default=-1) for starts in df["start_dates"]],
            dtype=np.int32,
        )
        columns = encode_columns(OFFER_ARRAY_COLUMNS, df)
        latest[columns["rolling_entry"]] = ROLLING_ENTRY_START
        provider = pd.to_numeric(df["provider_id"]).fillna(-1)
        return cls(
            {
                "offer_id": df["offer_id"].to_numpy(dtype=np.int64),
                **columns,
                "latest_start": latest,
                "azav_certified": df["azav_certified"].to_numpy(dtype=bool),
                "provider_id": np.asarray(provider, dtype=np.int32),
            }
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
    grid_p = ProfileArrays({k: _expand(v, profile_axis=True) for k, v in p.columns.items()})
    grid_o = OfferArrays({k: _expand(v, profile_axis=False) for k, v in o.columns.items()})
    return grid_p, grid_o


#: Profiles per block in :func:`by_profile_blocks`: 256 × 600 offers is a grid of 150,000 pairs.
PROFILE_BLOCK = 256


def by_profile_blocks(
    p: ProfileArrays, compute: Callable[[ProfileArrays], npt.NDArray[Any]]
) -> npt.NDArray[Any]:
    """``compute`` (profiles → one row per profile) over blocks of profiles, stacked: the same
    result as ``compute(p)``, with the (profiles × offers) temporaries of one block only."""
    if len(p) <= PROFILE_BLOCK:
        return compute(p)
    return np.concatenate(
        [
            compute(p.take(np.arange(start, min(start + PROFILE_BLOCK, len(p)))))
            for start in range(0, len(p), PROFILE_BLOCK)
        ]
    )
