"""Bench worlds: deterministic, in the generator's columns, with effect structures of their own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.ranking.worlds import world_b, world_c
from bench.ranking.worlds.common import BenchWorld
from training.synthetic import generate_world

pytestmark = pytest.mark.slow  # each test draws whole synthetic worlds

N = 3000


def _worlds() -> list[BenchWorld]:
    return [world_b.generate(n_episodes=N, seed=3), world_c.generate(n_episodes=N, seed=3)]


def test_worlds_are_deterministic() -> None:
    for first, second in zip(_worlds(), _worlds(), strict=True):
        pd.testing.assert_frame_equal(first.episodes, second.episodes)
        pd.testing.assert_frame_equal(first.offers, second.offers)


def test_worlds_have_the_generator_columns() -> None:
    current = generate_world(n_people=N // 5, n_offers=1000, n_episodes=N, seed=3)
    for world in _worlds():
        assert list(world.episodes.columns) == list(current.episodes.columns)
        assert list(world.offers.columns) == list(current.offers.columns)
        assert list(world.profiles.columns) == list(current.profiles.columns)


def test_true_effects_differ_in_structure_between_worlds() -> None:
    current = generate_world(n_people=N // 5, n_offers=1000, n_episodes=N, seed=3)
    b, c = _worlds()
    # the people and offers are drawn by the same code; score all worlds on the current ones
    people = current.profiles.iloc[:200]
    effects = [current.true_effects(people, current.offers)]
    for world in (b, c):
        relabelled = world.__class__(
            **{**world.__dict__, "latent": pd.Series(0.0, index=people["person_id"].to_numpy())}
        )
        effects.append(relabelled.true_effects(people, current.offers))
    flat = [e.ravel() for e in effects]
    corr = np.asarray(np.corrcoef(flat), dtype=float)
    assert corr[np.triu_indices(3, 1)].max() < 0.75


def test_world_c_has_harmful_measures_for_some_groups() -> None:
    world = world_c.generate(n_episodes=N, seed=3)
    effects = world.true_effects(world.profiles.iloc[:300], world.offers)
    assert (effects.max(axis=0) > 0.03).mean() > 0.5
    assert (effects.min(axis=0) < -0.03).mean() > 0.5
