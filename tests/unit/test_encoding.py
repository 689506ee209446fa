"""Codes and widths derived from models.enums keep the values trained artifacts were built with."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from models.columns import OFFER_COLUMNS, PROFILE, PROFILE_COLUMNS, code
from models.enums import FocusGroup, UnemploymentBand
from models.profile import profile_focus_groups
from training.data import encoding, features
from training.data.encoding import FOCUS_GROUP_KEYS, OfferArrays, ProfileArrays, broadcast_grid
from training.data.features import PAIR_WIDTH, PROFILE_WIDTH, pair_block, profile_block
from training.data.records import profile_records
from training.ranking.eligibility import Rule, rule_failures
from training.synthetic import generate_world


@pytest.fixture(scope="module")
def world():
    return generate_world(n_people=600, n_offers=300, n_episodes=10, seed=13)


def test_codes_are_the_positions_of_the_members_in_their_enums() -> None:
    for spec in (*PROFILE_COLUMNS, *OFFER_COLUMNS):
        assert [spec.code(member) for member in spec.categories] == list(
            range(len(spec.enum or ()))
        )
        assert [code(member) for member in spec.categories] == list(range(len(spec.categories)))


def test_widths_keep_their_values() -> None:
    assert encoding.N_MEASURE_TYPES == 14
    assert encoding.MAX_GERMAN == 6
    assert [len(PROFILE[name].categories) for name, _ in features.PROFILE_ONE_HOTS] == [
        10,
        3,
        9,
        3,
        7,
        5,
        5,
        5,
    ]
    assert features.TREATMENT_COLUMN == 18
    assert PROFILE_WIDTH == 10 + 3 + 9 + 3 + 7 + 5 + 5 + 5 + 4 + 10 + 16
    assert PAIR_WIDTH == 11
    assert FOCUS_GROUP_KEYS == ("youth", "long_term_unemployed", "women", "migrants")
    assert features.UNEMPLOYMENT_BAND_STARTS.tolist() == [6, 12, 24]


def test_blocks_have_the_declared_widths_and_treatment_column(world) -> None:
    p = ProfileArrays.from_frame(world.profiles)
    o = OfferArrays.from_frame(world.offers)
    pos = np.arange(len(p)) % len(o)
    x = features.outcome_features(p, o, pos)

    assert profile_block(p).shape[1] == PROFILE_WIDTH
    assert pair_block(p, o.take(pos)).shape[1] == PAIR_WIDTH
    assert np.array_equal(x[:, features.TREATMENT_COLUMN], o.measure_type[pos] + 1)


def test_unemployment_band_one_hot_follows_the_enum() -> None:
    months = np.arange(0, 60, dtype=np.int32)
    band = np.searchsorted(features.UNEMPLOYMENT_BAND_STARTS, months, side="right")
    expected = [list(UnemploymentBand).index(UnemploymentBand.from_months(m)) for m in months]

    assert band.tolist() == expected


def test_focus_group_masks_follow_the_definition_in_models(world) -> None:
    records = profile_records(world.profiles)
    p = ProfileArrays.from_records(records)
    expected = [profile_focus_groups(r) for r in records]
    for group in FocusGroup:
        mask = p.focus_group(group.value)
        assert mask.tolist() == [group in groups for groups in expected]
        assert 0 < mask.sum() < len(p)  # the sample has members and non-members
    with pytest.raises(KeyError):
        p.focus_group("retirees")


def test_childcare_feature_is_the_conflict_the_rule_refuses_without_part_time(world) -> None:
    p = ProfileArrays.from_frame(world.profiles)
    o = OfferArrays.from_frame(world.offers)
    grid_p, grid_o = broadcast_grid(p, o)
    conflict = pair_block(grid_p, grid_o)[..., 3] > 0
    refused = (rule_failures(grid_p, grid_o, as_of=date(2025, 1, 1)) & Rule.CHILDCARE) != 0

    assert np.array_equal(refused, conflict & ~o.part_time_possible[None, :])
    assert refused.any()
    assert (conflict & o.part_time_possible[None, :]).any()  # part time resolves the conflict
