"""Settings selection: a less conservative setting must beat the first by more than its noise."""

from __future__ import annotations

import numpy as np

from training.selection import _one_standard_error_choice

RNG = np.random.default_rng(0)


def test_a_gain_within_the_noise_keeps_the_conservative_setting():
    base = RNG.normal(0.3, 0.5, 400)
    close = base + RNG.normal(0.005, 0.5, 400)  # slightly better on average, mostly noise

    assert _one_standard_error_choice([base, close]) == 0


def test_a_clear_gain_chooses_the_better_setting():
    base = RNG.normal(0.3, 0.5, 4000)
    better = base + RNG.normal(0.05, 0.2, 4000)

    assert _one_standard_error_choice([base, better]) == 1


def test_among_clear_winners_the_best_is_chosen():
    base = RNG.normal(0.3, 0.5, 4000)
    good = base + RNG.normal(0.05, 0.2, 4000)
    best = base + RNG.normal(0.08, 0.2, 4000)

    assert _one_standard_error_choice([base, good, best]) == 2
