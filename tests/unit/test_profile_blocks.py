"""Whole-catalogue matrices computed a block of profiles at a time equal the one-piece result."""

from __future__ import annotations

import numpy as np
import pandas as pd

from training.data.encoding import PROFILE_BLOCK, OfferArrays, ProfileArrays, broadcast_grid
from training.evaluation.baselines import PredictedSuccess
from training.evaluation.offline_eval import IGNORED_RULES, eligibility
from training.ranking.eligibility import rule_failures
from training.ranking.rules import rules_matrix, rules_scores
from training.synthetic import generate_world


def test_blocks_give_the_one_piece_matrices():
    world = generate_world(n_people=2 * PROFILE_BLOCK + 37, n_offers=25, n_episodes=1500, seed=4)
    p = ProfileArrays.from_frame(world.profiles)
    o = OfferArrays.from_frame(world.offers)
    grid = broadcast_grid(p, o)
    failures = rule_failures(*grid, as_of=pd.Timestamp.min.date())

    assert len(p) > 2 * PROFILE_BLOCK
    np.testing.assert_array_equal(eligibility(p, o), (failures & ~IGNORED_RULES) == 0)
    np.testing.assert_array_equal(
        rules_matrix(p, o), np.broadcast_to(rules_scores(*grid), (len(p), len(o)))
    )
    success = PredictedSuccess(random_state=0).fit(world.episodes, world.offers)
    np.testing.assert_array_equal(success.score(p, o), success._score_block(p, o))
