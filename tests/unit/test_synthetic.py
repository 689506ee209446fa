"""The synthetic world: determinism, schema, calibration and the documented ground truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.enums import District, MeasureType
from training.data.schema import OFFER_COLUMNS, PROFILE_COLUMNS
from training.synthetic import SyntheticWorld, generate_world


@pytest.fixture(scope="module")
def world() -> SyntheticWorld:
    return generate_world(n_people=4000, n_offers=300, n_episodes=6000, seed=3)


def test_same_seed_gives_same_world(world: SyntheticWorld) -> None:
    again = generate_world(n_people=4000, n_offers=300, n_episodes=6000, seed=3)

    pd.testing.assert_frame_equal(world.episodes, again.episodes)
    pd.testing.assert_frame_equal(world.offers, again.offers)


def test_frames_carry_the_record_columns(world: SyntheticWorld) -> None:
    assert set(PROFILE_COLUMNS) <= set(world.profiles.columns)
    assert set(OFFER_COLUMNS) <= set(world.offers.columns)
    assert {
        "episode_id",
        "person_id",
        "start_date",
        "offer_id",
        "measure_type",
        "employed_6m",
        "employed_12m",
    } <= set(world.episodes.columns)
    assert str(world.episodes["offer_id"].dtype) == "Int64"


def test_offers_cover_every_measure_type_and_district(world: SyntheticWorld) -> None:
    assert set(world.offers["measure_type"]) == {m.value for m in MeasureType}
    assert set(world.offers["district"]) == {d.value for d in District}


def test_profiles_are_calibrated_to_krefeld() -> None:
    people = generate_world(n_people=40_000, n_offers=50, n_episodes=10, seed=0).profiles

    assert 0.42 < (people["gender"] == "f").mean() < 0.48
    assert 0.07 < people["age_band"].isin(["15-19", "20-24"]).mean() < 0.10
    assert 0.38 < (people["unemployment_months"] >= 12).mean() < 0.47
    assert 0.27 < (people["citizenship"] != "german").mean() < 0.33
    assert 0.70 < (people["benefit_regime"] == "SGB_II").mean() < 0.80


def test_a_sizeable_share_gets_no_measure(world: SyntheticWorld) -> None:
    untreated = world.episodes["offer_id"].isna().mean()

    assert 0.25 < untreated < 0.55


def test_true_effects_have_the_documented_shape(world: SyntheticWorld) -> None:
    effects = world.true_effects(world.profiles.head(50), world.offers)

    assert effects.shape == (50, len(world.offers))
    assert (effects < 0).any()
    assert (effects > 0.05).any()


def test_language_course_harms_people_already_at_b2() -> None:
    small = generate_world(n_people=3000, n_offers=400, n_episodes=10, seed=5)
    people = small.profiles
    course = small.offers[small.offers["measure_type"] == "BERUFSSPRACHKURS"]
    b1 = people[people["german_level"] == "B1"].head(30)
    c1 = people[people["german_level"] == "C1"].head(30)

    assert small.true_effects(b1, course).mean() > 0.03
    assert small.true_effects(c1, course).mean() < 0.0


def test_truth_is_consistent_with_episodes(world: SyntheticWorld) -> None:
    truth = world.truth.episodes
    treated = world.episodes["offer_id"].notna().to_numpy()

    assert np.isnan(truth["effect_6m"].to_numpy()[~treated]).all()
    assert np.allclose(
        truth["p_with_assigned"] - truth["p_without"], truth["effect_6m"], equal_nan=True
    )
