"""Settings selection: a less conservative setting must beat the first beyond its noise."""

from __future__ import annotations

import numpy as np

from training.release.card_selection import selection_lines
from training.release.selection import CANDIDATES, evidence_choice

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


def test_the_family_holds_both_learners_and_the_card_names_regression_adjustment():
    ra = {"dr_correction": 0.0, "prior_shrinkage": False, "risk_aversion": 0.0}
    selection = {
        "n_validation": 800,
        "chosen": CANDIDATES[0],
        "candidates": [
            {"params": CANDIDATES[0], "value_pp": 40.0, "se_pp": 1.0, "vs_rules_pp": 0.0},
            {"params": ra, "value_pp": 40.5, "se_pp": 1.0, "vs_rules_pp": 0.5},
        ],
        "calibration": {},
    }
    lines = selection_lines(selection, {})

    assert {c.get("dr_correction", 0.5) for c in CANDIDATES} == {0.0, 0.5}
    assert ra in CANDIDATES
    assert any(
        line.startswith(
            "| Regressionsanpassung (DR-Korrektur 0), ohne Regel-Prior, Risikoabschlag 0,0"
        )
        for line in lines
    )
