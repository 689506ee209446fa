"""One column specification for profiles and offers, read from the SQLModel classes.

Every consumer of the profile and offer schema (records, array encodings, feature blocks, the CSV
format, the web forms) reads the columns from here instead of listing them again: a column's
kind, its categories (the enum members, in enum order, which are the codes in the arrays), its
bounds and whether it may be empty all come from the field's annotation in ``models.profile`` or
``models.offer``.
"""

from __future__ import annotations

import math
import types
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import Ge, Le, MaxLen
from pydantic import BaseModel, StringConstraints

from models.offer import OfferBase
from models.profile import ProfileBase


class Kind(StrEnum):
    CATEGORY = "category"  # one member of an enum
    CATEGORIES = "categories"  # a list of members of an enum
    FLAG = "flag"  # yes/no
    COUNT = "count"  # a whole number with bounds
    AMOUNT = "amount"  # a decimal number
    CODE = "code"  # one KldB 2010 five-digit occupation code
    CODES = "codes"  # a list of KldB codes
    TEXT = "text"
    DATE = "date"
    DATES = "dates"


#: The pattern that marks a string as a KldB code (``models.profile.KldbCode``).
KLDB_PATTERN = r"^\d{5}$"


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    kind: Kind
    enum: type[StrEnum] | None = None
    nullable: bool = False
    required: bool = True  # no default in the model
    low: int | None = None
    high: int | None = None
    default: Any = None  # the model's default (None when required or a factory)
    max_items: int | None = None  # for lists
    title: str = ""  # the field's ``title`` (German wording when no catalogue entry exists)

    @property
    def categories(self) -> tuple[StrEnum, ...]:
        """The enum's members in enum order: a member's position is its code in the arrays."""
        return tuple(self.enum) if self.enum is not None else ()

    def code(self, member: StrEnum) -> int:
        """The array code of one member of this column's enum."""
        return self.categories.index(member)

    def coerce(self, value: Any) -> Any:
        """A cell (database row, DataFrame row, snapshot) as the model's Python value."""
        if self.nullable and _missing(value):
            return None
        if self.kind is Kind.CATEGORY:
            assert self.enum is not None
            return self.enum(value)
        if self.kind is Kind.CATEGORIES:
            assert self.enum is not None
            return tuple(self.enum(v) for v in value)
        if self.kind is Kind.FLAG:
            return bool(value)
        if self.kind is Kind.COUNT:
            return int(value)
        if self.kind is Kind.AMOUNT:
            return float(value)
        if self.kind is Kind.CODE:
            return value if isinstance(value, str) else None
        if self.kind in (Kind.CODES, Kind.DATES):
            return tuple(value)
        return value


def _missing(value: Any) -> bool:
    if value is None:
        return True
    return (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType"


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(args) < len(get_args(annotation)):
            return args[0], True
    return annotation, False


def _is_kldb(annotation: Any) -> bool:
    if get_origin(annotation) is not Annotated:
        return False
    base, *meta = get_args(annotation)
    return base is str and any(
        isinstance(m, StringConstraints) and m.pattern == KLDB_PATTERN for m in meta
    )


def _kind(annotation: Any) -> tuple[Kind, type[StrEnum] | None]:
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        if isinstance(item, type) and issubclass(item, Enum):
            return Kind.CATEGORIES, item  # type: ignore[return-value]
        if _is_kldb(item):
            return Kind.CODES, None
        if item is date:
            return Kind.DATES, None
        raise TypeError(f"no column kind for list[{item!r}]")
    if _is_kldb(annotation):
        return Kind.CODE, None
    if isinstance(annotation, type):
        if issubclass(annotation, StrEnum):
            return Kind.CATEGORY, annotation
        simple = {bool: Kind.FLAG, int: Kind.COUNT, float: Kind.AMOUNT, str: Kind.TEXT}
        if annotation in simple:
            return simple[annotation], None
        if annotation is date:
            return Kind.DATE, None
    raise TypeError(f"no column kind for {annotation!r}")


def _default(info: Any) -> Any:
    if info.is_required():
        return None
    value = info.default_factory() if info.default_factory is not None else info.default
    return tuple(value) if isinstance(value, list) else value


def _max_items(info: Any) -> int | None:
    return next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)


def columns(model: type[BaseModel]) -> tuple[ColumnSpec, ...]:
    """The columns of a model, in field order, from each field's annotation and constraints."""
    specs = []
    for name, info in model.model_fields.items():
        annotation, nullable = _unwrap_optional(info.annotation)
        kind, enum = _kind(annotation)
        low = next((m.ge for m in info.metadata if isinstance(m, Ge)), None)
        high = next((m.le for m in info.metadata if isinstance(m, Le)), None)
        specs.append(
            ColumnSpec(
                name=name,
                kind=kind,
                enum=enum,
                nullable=nullable,
                required=info.is_required(),
                low=None if low is None else int(low),  # type: ignore[call-overload]
                high=None if high is None else int(high),  # type: ignore[call-overload]
                default=_default(info),
                max_items=_max_items(info),
                title=info.title or "",
            )
        )
    return tuple(specs)


#: Profile columns (``models.profile.ProfileBase``) and offer content columns (``OfferBase``).
PROFILE_COLUMNS: tuple[ColumnSpec, ...] = columns(ProfileBase)
OFFER_COLUMNS: tuple[ColumnSpec, ...] = columns(OfferBase)
PROFILE: dict[str, ColumnSpec] = {c.name: c for c in PROFILE_COLUMNS}
OFFER: dict[str, ColumnSpec] = {c.name: c for c in OFFER_COLUMNS}


def of_kind(specs: Iterable[ColumnSpec], *kinds: Kind) -> tuple[ColumnSpec, ...]:
    return tuple(c for c in specs if c.kind in kinds)


def code(member: StrEnum) -> int:
    """Array code of an enum member: its position in its enum (the columns' ``categories``)."""
    return list(type(member)).index(member)
