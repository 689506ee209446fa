"""Shrinkage toward the rules prior: little evidence gives the rules' order, much the model's."""

from __future__ import annotations

import numpy as np

from training.ranking.prior import ArmEvidence, fit_prior, shrink

RNG = np.random.default_rng(0)


def _evidence(arm: int, rules: np.ndarray, effect: np.ndarray, variance: float) -> ArmEvidence:
    return ArmEvidence(
        arm=arm,
        rules=rules,
        pseudo=effect + RNG.normal(0, 0.05, rules.shape[0]),
        weight=np.ones(rules.shape[0]),
        effect=effect,
        variance=np.full(rules.shape[0], variance),
    )


def test_prior_puts_the_rules_score_on_the_effect_scale():
    rules = RNG.uniform(0, 5, 4000)
    true = 0.01 + 0.02 * rules

    prior, _ = fit_prior([_evidence(0, rules, true, 1e-4)])

    assert prior is not None
    assert abs(prior[0] - 0.01) < 0.01
    assert abs(prior[1] - 0.02) < 0.004


def test_prior_slope_is_never_negative():
    rules = RNG.uniform(0, 5, 2000)

    prior, _ = fit_prior([_evidence(0, rules, 0.2 - 0.03 * rules, 1e-4)])

    assert prior is not None
    assert prior[1] == 0.0


def test_estimates_no_better_than_their_noise_collapse_to_the_prior_order():
    rules = RNG.uniform(0, 5, 3000)
    centre = 0.01 + 0.02 * rules
    noisy = centre + RNG.normal(0, 0.05, rules.shape[0])  # pure noise around the prior
    prior, signal = fit_prior([_evidence(3, rules, noisy, 0.05**2)])
    assert signal is not None

    posterior, _ = shrink(
        noisy[None, :],
        np.full((1, rules.shape[0]), 0.05**2),
        prior=prior,
        signal_variance=signal,
        rules=rules[None, :],
        measure_type=np.full(rules.shape[0], 3),
    )

    order = np.argsort(-posterior[0])
    assert np.corrcoef(posterior[0], rules)[0, 1] > 0.95
    assert rules[order[0]] > np.quantile(rules, 0.9)


def test_precise_estimates_keep_their_distance_from_the_prior():
    rules = RNG.uniform(0, 5, 3000)
    real = 0.05 * np.sin(rules * 3)  # an effect the rules do not describe
    prior, signal = fit_prior([_evidence(1, rules, real, 1e-6)])
    assert signal is not None

    posterior, variance = shrink(
        real[None, :],
        np.full((1, rules.shape[0]), 1e-6),
        prior=prior,
        signal_variance=signal,
        rules=rules[None, :],
        measure_type=np.full(rules.shape[0], 1),
    )

    assert np.max(np.abs(posterior[0] - real)) < 0.002
    assert np.all(variance <= 1e-6)


def test_a_type_nobody_took_gets_the_prior():
    rules = RNG.uniform(0, 5, 1000)
    prior, signal = fit_prior([_evidence(0, rules, 0.01 + 0.02 * rules, 1e-4), None])
    assert signal is not None
    assert prior is not None

    posterior, _ = shrink(
        np.zeros((1, 3)),
        np.zeros((1, 3)),
        prior=prior,
        signal_variance=signal,
        rules=np.array([[0.0, 2.0, 4.0]]),
        measure_type=np.array([5, 5, 5]),
    )

    np.testing.assert_allclose(posterior[0], prior[0] + prior[1] * np.array([0.0, 2.0, 4.0]))


def test_prior_only_gives_the_prior_line_with_the_prior_spread_as_uncertainty():
    rules = RNG.uniform(0, 5, 2000)
    prior, signal = fit_prior([_evidence(2, rules, 0.01 + 0.03 * np.sin(rules), 1e-4)])
    assert prior is not None
    assert signal is not None

    posterior, variance = shrink(
        np.full((1, 3), 0.5),
        np.full((1, 3), 1e-4),
        prior=prior,
        signal_variance=signal,
        rules=np.array([[0.0, 2.0, 4.0]]),
        measure_type=np.array([2, 2, 2]),
        prior_only=True,
    )

    np.testing.assert_allclose(posterior[0], prior[0] + prior[1] * np.array([0.0, 2.0, 4.0]))
    np.testing.assert_allclose(variance[0], signal[2])
    assert signal[2] > 0
