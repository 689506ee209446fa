"""Doubly robust effect estimation: recovers known effects where the naive comparison fails."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from training.evaluation.effects import (
    EffectEstimate,
    EffectEstimationError,
    Target,
    estimate_effect,
    estimate_effects,
)

pytestmark = pytest.mark.slow  # each test fits nuisance models

FloatArray = npt.NDArray[np.float64]


@pytest.fixture(autouse=True, scope="module")
def _one_openmp_thread() -> Iterator[None]:
    """Gradient boosting on a few thousand rows is fastest single-threaded, and parallel test
    workers would otherwise oversubscribe the cores."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield


@dataclass(frozen=True)
class CreamedSample:
    """Observational data with known population effects (not estimated from the sample)."""

    X: FloatArray
    treatment: npt.NDArray[np.int64]
    outcome: FloatArray
    true_ate: float
    true_att: float

    @property
    def naive(self) -> float:
        treated = self.treatment == 1
        return float(self.outcome[treated].mean() - self.outcome[~treated].mean())


def _sigmoid(z: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-z))


def _creamed(n: int, seed: int, *, continuous: bool = False) -> CreamedSample:
    """More employable people are treated more often but gain less: the naive contrast
    overstates the effect, and the effect on the treated is below the average effect."""

    def design(rng: np.random.Generator, size: int) -> tuple[FloatArray, FloatArray, FloatArray]:
        x = rng.normal(size=(size, 3))
        employability = 0.9 * x[:, 0] + 0.5 * x[:, 1] - 0.4
        propensity = 0.04 + 0.92 * _sigmoid(-0.8 + 1.6 * employability)
        if continuous:
            base = 100.0 + 40.0 * employability + 10.0 * x[:, 2] ** 2
            return x, propensity, np.stack([base, base + 20.0 - 12.0 * x[:, 0]])
        effect = 1.1 - 0.7 * x[:, 0]
        return x, propensity, np.stack([_sigmoid(employability), _sigmoid(employability + effect)])

    rng = np.random.default_rng(seed)
    x, propensity, means = design(rng, n)
    treatment = (rng.random(n) < propensity).astype(np.int64)
    mean = np.where(treatment == 1, means[1], means[0])
    if continuous:
        outcome = mean + rng.normal(0.0, 25.0, n)
    else:
        outcome = (rng.random(n) < mean).astype(np.float64)

    _, big_propensity, big_means = design(np.random.default_rng(seed + 1), 1_000_000)
    effect = big_means[1] - big_means[0]
    true_att = float(np.sum(big_propensity * effect) / np.sum(big_propensity))
    return CreamedSample(x, treatment, outcome, float(effect.mean()), true_att)


@pytest.fixture(scope="module")
def binary_sample() -> CreamedSample:
    return _creamed(5_000, seed=11)


@pytest.fixture(scope="module")
def binary_effects(binary_sample: CreamedSample) -> dict[Target, EffectEstimate]:
    s = binary_sample
    return estimate_effects(s.X, s.treatment, s.outcome, random_state=3)


@pytest.fixture(scope="module")
def small() -> CreamedSample:
    return _creamed(800, seed=5)


def _linear_learners() -> dict[str, Any]:
    return {"propensity_model": LogisticRegression(), "outcome_model": LogisticRegression()}


def test_naive_difference_overstates_the_effect_under_creaming(
    binary_sample: CreamedSample,
) -> None:
    assert binary_sample.naive - binary_sample.true_ate >= 0.05


@pytest.mark.parametrize("target", ["ate", "att"])
def test_estimate_recovers_the_true_effect_despite_creaming(
    binary_sample: CreamedSample, binary_effects: dict[Target, EffectEstimate], target: Target
) -> None:
    """The ATE over everyone and the ATT over those who took the measure."""
    truth = {"ate": binary_sample.true_ate, "att": binary_sample.true_att}[target]
    result = binary_effects[target]

    assert result.estimate == pytest.approx(truth, abs=0.04)
    assert result.ci_low <= truth <= result.ci_high


def test_att_is_below_ate_when_the_treated_gain_least(
    binary_sample: CreamedSample, binary_effects: dict[Target, EffectEstimate]
) -> None:
    assert binary_sample.true_ate - binary_sample.true_att >= 0.05

    gap = binary_effects["ate"].estimate - binary_effects["att"].estimate

    assert gap >= 0.05


def test_binary_outcome_is_reported_as_probability_difference(
    binary_sample: CreamedSample, binary_effects: dict[Target, EffectEstimate]
) -> None:
    ate = binary_effects["ate"]

    assert (ate.outcome_kind, ate.target, ate.n) == ("binary", "ate", 5_000)
    assert ate.n_treated == int(binary_sample.treatment.sum())
    assert ate.ci_low < ate.estimate < ate.ci_high


def test_continuous_outcome_uses_regression_and_recovers_the_effect() -> None:
    sample = _creamed(2_000, seed=21, continuous=True)
    assert abs(sample.naive - sample.true_ate) >= 5.0

    result = estimate_effect(sample.X, sample.treatment, sample.outcome, random_state=1)

    assert result.outcome_kind == "continuous"
    assert result.estimate == pytest.approx(sample.true_ate, abs=3.0)


def test_dataframe_with_categorical_bool_and_missing_columns_is_encoded() -> None:
    rng = np.random.default_rng(8)
    n = 2_000
    district = rng.choice(["Mitte", "Süd", "Hüls", "Uerdingen"], size=n)
    burdened = np.isin(district, ["Mitte", "Süd"])
    school = np.array(["Hauptschule", "Realschule"], dtype=object)[rng.integers(0, 2, n)]
    school[rng.random(n) < 0.1] = None
    frame = pd.DataFrame(
        {
            "district": pd.Categorical(district),
            "citizenship": rng.choice(["DE", "EU", "Drittstaat"], size=n),
            "school": school,
            "care_duties": rng.random(n) < 0.3,
            "age": rng.integers(18, 65, n),
        }
    )
    treated = pd.Series(rng.random(n) < np.where(burdened, 0.2, 0.6))
    employed = (rng.random(n) < np.where(burdened, 0.2, 0.5) + 0.1 * treated).astype(int)

    result = estimate_effect(frame, treated, pd.Series(employed), random_state=0)

    assert result.estimate == pytest.approx(0.1, abs=0.06)


def test_rare_outcome_in_one_arm_falls_back_to_its_base_rate(small: CreamedSample) -> None:
    treated_rows = np.flatnonzero(small.treatment == 1)
    control_rows = np.flatnonzero(small.treatment == 0)
    outcome = np.zeros(len(small.outcome))
    outcome[treated_rows[:3]] = 1.0
    outcome[control_rows[:60]] = 1.0

    result = estimate_effect(small.X, small.treatment, outcome)

    assert np.isfinite([result.estimate, result.ci_low, result.ci_high]).all()


def test_custom_learners_are_used(small: CreamedSample) -> None:
    prior_only = DummyClassifier(strategy="prior")

    result = estimate_effect(
        small.X,
        small.treatment,
        small.outcome,
        propensity_model=prior_only,
        outcome_model=prior_only,
    )

    # Learners that ignore X cannot adjust for anything: DR collapses to the naive contrast.
    assert result.estimate == pytest.approx(small.naive, abs=0.01)


def test_single_target_matches_shared_fit(small: CreamedSample) -> None:
    shared = estimate_effects(small.X, small.treatment, small.outcome, **_linear_learners())

    single = estimate_effect(
        small.X, small.treatment, small.outcome, target="att", **_linear_learners()
    )

    assert single == shared["att"]


def test_bool_treatment_is_accepted(small: CreamedSample) -> None:
    as_int = estimate_effect(small.X, small.treatment, small.outcome, **_linear_learners())

    as_bool = estimate_effect(
        small.X, small.treatment.astype(bool), small.outcome, **_linear_learners()
    )

    assert as_bool.estimate == pytest.approx(as_int.estimate)


def test_estimate_is_immutable(small: CreamedSample) -> None:
    result = estimate_effect(small.X, small.treatment, small.outcome, **_linear_learners())

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.estimate = 0.0  # type: ignore[misc]


def test_domain_error_is_a_value_error() -> None:
    assert issubclass(EffectEstimationError, ValueError)


def test_mismatched_lengths_are_rejected(small: CreamedSample) -> None:
    with pytest.raises(EffectEstimationError, match="differ in length"):
        estimate_effect(small.X, small.treatment[:-1], small.outcome[:-1])


def test_non_binary_treatment_is_rejected(small: CreamedSample) -> None:
    dose = small.treatment * 2

    with pytest.raises(EffectEstimationError, match="binary"):
        estimate_effect(small.X, dose, small.outcome)


def test_missing_treatment_is_rejected(small: CreamedSample) -> None:
    treatment = small.treatment.astype(float)
    treatment[3] = np.nan

    with pytest.raises(EffectEstimationError, match="treatment contains missing"):
        estimate_effect(small.X, treatment, small.outcome)


def test_missing_outcome_is_rejected(small: CreamedSample) -> None:
    outcome = small.outcome.copy()
    outcome[0] = np.nan

    with pytest.raises(EffectEstimationError, match="outcome contains missing"):
        estimate_effect(small.X, small.treatment, outcome)


@pytest.mark.parametrize("arm", [0, 1], ids=["nobody_treated", "everybody_treated"])
def test_single_arm_is_rejected(small: CreamedSample, arm: int) -> None:
    treatment = np.full(len(small.outcome), arm)

    with pytest.raises(EffectEstimationError, match="Both treated and control"):
        estimate_effect(small.X, treatment, small.outcome)


def test_too_few_units_per_arm_for_the_folds_are_rejected(small: CreamedSample) -> None:
    treatment = np.zeros(len(small.outcome), dtype=int)
    treatment[:9] = 1

    with pytest.raises(EffectEstimationError, match="at least 10"):
        estimate_effect(small.X, treatment, small.outcome, n_folds=5)


def test_unknown_target_is_rejected(small: CreamedSample) -> None:
    with pytest.raises(EffectEstimationError, match="target"):
        estimate_effect(small.X, small.treatment, small.outcome, target="late")  # type: ignore[arg-type]
