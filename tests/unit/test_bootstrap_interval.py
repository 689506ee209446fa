"""Intervals from a bootstrap over people: stage-2 clustering exact, stage-1 refits added."""

from __future__ import annotations

import numpy as np

from training.ranking.ranker import EffectRanker
from training.ranking.stage2 import bootstrap_covariance, ridge_fit, weighted_ridge
from training.synthetic import SyntheticWorld


def _data(n: int, people: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    person = np.sort(rng.integers(0, people, size=n))
    design = np.column_stack([np.ones(n), rng.normal(size=(n, 3))])
    # A person effect shared by all of a person's rows: rows of one person are correlated.
    target = design @ [0.1, 0.2, -0.1, 0.0] + rng.normal(size=people)[person] + rng.normal(size=n)
    weight = rng.uniform(0.5, 1.5, size=n)
    return design, target, weight / weight.mean(), person


def test_with_one_row_per_person_and_no_draws_it_is_the_sandwich() -> None:
    design, target, weight, _ = _data(400, 400, 1)
    _, bread, residual = ridge_fit(design, target, weight, 1.0)
    _, sandwich = weighted_ridge(design, target, weight, 1.0)
    cov = bootstrap_covariance(design, weight, bread, residual, np.arange(400))
    np.testing.assert_allclose(cov, sandwich, rtol=1e-9, atol=1e-15)


def test_it_matches_refits_under_person_multipliers() -> None:
    """The closed form is the limit of refitting stage 2 with person weights ω ~ Exp(1)."""
    design, target, weight, person = _data(3000, 600, 2)
    _, bread, residual = ridge_fit(design, target, weight, 1.0)
    cov = bootstrap_covariance(design, weight, bread, residual, person)
    rng = np.random.default_rng(3)
    draws = np.array(
        [
            ridge_fit(design, target, weight * rng.exponential(size=600)[person], 1.0)[0]
            for _ in range(800)
        ]
    )
    empirical = np.cov(draws.T)
    np.testing.assert_allclose(np.diag(cov), np.diag(empirical), rtol=0.15)
    # Clustering matters here: the row-level sandwich is clearly too small.
    _, sandwich = weighted_ridge(design, target, weight, 1.0)
    assert np.diag(cov)[0] > 1.5 * np.diag(sandwich)[0]


def test_a_stage1_shift_adds_its_outer_product() -> None:
    design, target, weight, person = _data(500, 100, 4)
    _, bread, residual = ridge_fit(design, target, weight, 1.0)
    base = bootstrap_covariance(design, weight, bread, residual, person)
    shift = np.random.default_rng(5).normal(scale=0.1, size=500)
    with_shift = bootstrap_covariance(
        design, weight, bread, residual, person, [(shift, np.ones(500))]
    )
    s = bread @ (design.T @ (weight * shift))
    np.testing.assert_allclose(with_shift, base + np.outer(s, s), rtol=1e-9, atol=1e-15)


def test_the_result_is_positive_semidefinite() -> None:
    design, target, weight, person = _data(300, 50, 6)
    _, bread, residual = ridge_fit(design, target, weight, 1.0)
    rng = np.random.default_rng(7)
    draws = [(rng.normal(size=300), rng.exponential(size=50)[person]) for _ in range(2)]
    cov = bootstrap_covariance(design, weight, bread, residual, person, draws)
    assert np.linalg.eigvalsh(cov).min() >= -1e-15
    np.testing.assert_allclose(cov, cov.T)


def test_draws_change_the_intervals_but_not_the_estimates(
    small_world: SyntheticWorld, small_ranker: EffectRanker
) -> None:
    assert small_ranker.bootstrap_draws > 0
    plain = EffectRanker(
        max_rows_per_arm=2000, max_nuisance_rows=3000, outcome_iterations=50, bootstrap_draws=0
    ).fit(small_world.episodes, small_world.offers)
    np.testing.assert_array_equal(plain.coef_, small_ranker.coef_)
    fitted = small_ranker.arm_rows_ > 0
    with_stage1 = np.trace(small_ranker.cov_[fitted], axis1=1, axis2=2)
    stage2_only = np.trace(plain.cov_[fitted], axis1=1, axis2=2)
    assert np.median(with_stage1 / stage2_only) > 1.0
