"""The column specification is read from the models, and its consumers cover every column."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field

from models.columns import OFFER_COLUMNS, PROFILE, PROFILE_COLUMNS, Kind, columns
from models.enums import GermanLevel
from models.offer import OfferBase
from models.profile import KldbCode, ProfileBase
from service.offers.csv_format import COLUMNS
from service.web.forms import ProfileForm
from training.data.records import OFFER_RECORD_COLUMNS
from training.data.schema import OfferRecord, ProfileRecord
from training.release.drift import CATEGORICAL


def test_columns_follow_the_model_fields_in_order() -> None:
    assert [c.name for c in PROFILE_COLUMNS] == list(ProfileBase.model_fields)
    assert [c.name for c in OFFER_COLUMNS] == list(OfferBase.model_fields)
    assert list(ProfileRecord.model_fields) == list(ProfileBase.model_fields)


def test_kinds_categories_bounds_and_defaults_come_from_the_annotations() -> None:
    class Sample(BaseModel):
        level: GermanLevel = GermanLevel.B1
        levels: list[GermanLevel] = Field(default_factory=list, max_length=3)
        hours: int = Field(ge=1, le=50)
        code: KldbCode | None = None
        codes: list[KldbCode] = Field(default_factory=list)
        note: str = ""

    level, levels, hours, code, codes, note = columns(Sample)

    assert (level.kind, level.categories, level.default) == (
        Kind.CATEGORY,
        tuple(GermanLevel),
        GermanLevel.B1,
    )
    assert level.code(GermanLevel.B1) == 3
    assert (levels.kind, levels.max_items, levels.default) == (Kind.CATEGORIES, 3, ())
    assert (hours.kind, hours.low, hours.high, hours.required) == (Kind.COUNT, 1, 50, True)
    assert (code.kind, code.nullable, code.coerce(float("nan"))) == (Kind.CODE, True, None)
    assert (codes.kind, note.kind) == (Kind.CODES, Kind.TEXT)


def test_an_annotation_without_a_kind_is_refused() -> None:
    class Odd(BaseModel):
        values: dict[str, int]

    with pytest.raises(TypeError):
        columns(Odd)


def test_the_offer_record_types_agree_with_the_offer_model() -> None:
    hints = OfferRecord.__annotations__
    for column in OFFER_RECORD_COLUMNS:
        if column.enum is not None:
            assert column.enum.__name__ in str(hints[column.name]), column.name


def test_csv_form_and_drift_cover_every_column() -> None:
    assert [c.field for c in COLUMNS] == [c.name for c in OFFER_COLUMNS]
    assert all(hasattr(ProfileForm, c.name) for c in PROFILE_COLUMNS)
    assert set(CATEGORICAL) == {
        c.name for c in PROFILE_COLUMNS if c.kind in (Kind.CATEGORY, Kind.FLAG)
    }
    assert PROFILE["hours_available"].high == 60
