"""Fixtures shared by the unit tests of the ranker: one small world, one ranker fitted on it."""

from __future__ import annotations

import pytest

from training.ranking.ranker import EffectRanker
from training.synthetic import SyntheticWorld, generate_world


@pytest.fixture(scope="session")
def small_world() -> SyntheticWorld:
    return generate_world(n_people=1500, n_offers=120, n_episodes=3000, seed=11)


@pytest.fixture(scope="session")
def small_ranker(small_world: SyntheticWorld) -> EffectRanker:
    """Fitted once per test process; tests that need other settings work on a copy."""
    return EffectRanker(max_rows_per_arm=2000, max_nuisance_rows=3000, outcome_iterations=50).fit(
        small_world.episodes, small_world.offers
    )
