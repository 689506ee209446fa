"""Settings selection: a less conservative setting must beat the first beyond its noise."""

from __future__ import annotations

import numpy as np

from training.release.selection import evidence_choice

RNG = np.random.default_rng(0)


def test_a_gain_within_the_noise_keeps_the_conservative_setting():
    base = RNG.normal(0.3, 0.5, 400)
    close = base + RNG.normal(0.005, 0.5, 400)  # slightly better on average, mostly noise

    assert evidence_choice([base, close]) == 0


def test_a_gain_of_one_and_a_half_standard_errors_is_not_enough_among_six_alternatives():
    base = RNG.normal(0.3, 0.5, 2000)
    noise = RNG.normal(0.0, 0.4, 2000)
    noise -= noise.mean()
    se = noise.std(ddof=1) / np.sqrt(noise.size)
    alternatives = [base + noise + 1.5 * se] + [base + noise - se] * 5

    assert evidence_choice([base, *alternatives]) == 0
    # The same gain alone against the first, at a level without correction, would pass.
    assert evidence_choice([base, alternatives[0]], alpha=0.1) == 1


def test_a_clear_gain_chooses_the_better_setting():
    base = RNG.normal(0.3, 0.5, 4000)
    better = base + RNG.normal(0.05, 0.2, 4000)

    assert evidence_choice([base, better]) == 1


def test_among_clear_winners_the_best_is_chosen():
    base = RNG.normal(0.3, 0.5, 4000)
    good = base + RNG.normal(0.05, 0.2, 4000)
    best = base + RNG.normal(0.08, 0.2, 4000)

    assert evidence_choice([base, good, best]) == 2
