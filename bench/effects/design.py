"""Synthetic jobseekers with known effects and counsellor "creaming", for the coverage study.

Both potential outcomes are known for every person, so the true ATE and ATT are exact
population quantities (computed on a very large draw), not estimates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

OutcomeKind = Literal["binary", "continuous"]
FloatArray = npt.NDArray[np.float64]

#: Population size used to compute the true ATE/ATT; its Monte Carlo error is < 0.05 pp.
TRUTH_SAMPLE = 2_000_000


@dataclass(frozen=True)
class Sample:
    """Observed data plus the per-person true effect and assignment probability."""

    X: pd.DataFrame
    treatment: npt.NDArray[np.int64]
    outcome: FloatArray
    true_effect: FloatArray
    propensity: FloatArray


def _sigmoid(z: FloatArray) -> FloatArray:
    return 1.0 / (1.0 + np.exp(-z))


def _covariates(rng: np.random.Generator, n: int) -> pd.DataFrame:
    female = rng.random(n) < 0.45
    migrant = rng.random(n) < 0.35
    german_level = np.where(migrant, rng.integers(0, 6, n), 5)  # 0 = A0 ... 5 = C2
    return pd.DataFrame(
        {
            "age": rng.integers(18, 65, n),
            "female": female.astype(np.int64),
            "migrant": migrant.astype(np.int64),
            "german_level": german_level,
            "qualification": rng.choice(4, size=n, p=[0.35, 0.40, 0.18, 0.07]),
            "months_unemployed": np.round(rng.gamma(1.3, 10.0, n), 1),
            "care_duties": (rng.random(n) < np.where(female, 0.30, 0.08)).astype(np.int64),
            "sgb2": (rng.random(n) < 0.75).astype(np.int64),
        }
    )


def _employability(x: pd.DataFrame) -> FloatArray:
    """Log-odds of employment without a measure: qualification, language, duration, age."""
    age = x["age"].to_numpy(float)
    months = x["months_unemployed"].to_numpy(float)
    qualification = x["qualification"].to_numpy(float)
    return np.asarray(
        -0.2
        + 0.55 * qualification
        + 0.25 * (x["german_level"].to_numpy(float) - 3.0)
        - 0.85 * np.log1p(months / 6.0)
        - 0.0012 * (age - 38.0) ** 2
        - 0.45 * x["care_duties"].to_numpy(float)
        - 0.3 * x["sgb2"].to_numpy(float)
        + 0.4 * ((qualification >= 2) & (months < 6.0)),
        dtype=np.float64,
    )


def _effect_log_odds(x: pd.DataFrame) -> FloatArray:
    """Measures help most where employability is lowest: low-qualified, long-term unemployed."""
    qualification = x["qualification"].to_numpy(float)
    long_term = x["months_unemployed"].to_numpy(float) >= 12.0
    return np.asarray(
        0.75
        - 0.3 * qualification
        + 0.35 * long_term
        + 0.3 * (x["female"].to_numpy(float) * x["care_duties"].to_numpy(float)),
        dtype=np.float64,
    )


def _propensity(x: pd.DataFrame, employability: FloatArray) -> FloatArray:
    """Creaming: the more employable are sent more often; carers and the young are steered."""
    logit = (
        -0.9
        + 1.3 * employability
        + 0.5 * (x["age"].to_numpy(float) < 25.0)
        - 0.5 * x["care_duties"].to_numpy(float)
        + 0.3 * x["migrant"].to_numpy(float) * (x["german_level"].to_numpy(float) >= 3.0)
    )
    # Keep true overlap within [0.03, 0.97]; the estimator's clip (0.01) then never binds.
    return 0.03 + 0.94 * _sigmoid(logit)


def _potential_outcomes(
    rng: np.random.Generator, x: pd.DataFrame, kind: OutcomeKind
) -> tuple[FloatArray, FloatArray]:
    """Mean outcome without and with the measure (probabilities, or employment days)."""
    employability = _employability(x)
    if kind == "binary":
        return _sigmoid(employability), _sigmoid(employability + _effect_log_odds(x))
    base = 150.0 + 55.0 * employability + 10.0 * np.sin(x["age"].to_numpy(float) / 6.0)
    effect = 12.0 * _effect_log_odds(x) + 8.0 * x["migrant"].to_numpy(float)
    del rng
    return base, base + effect


def draw(seed: int, n: int, kind: OutcomeKind) -> Sample:
    """One observational sample: covariates, creamed assignment, realised outcome."""
    rng = np.random.default_rng(seed)
    x = _covariates(rng, n)
    propensity = _propensity(x, _employability(x))
    treatment = (rng.random(n) < propensity).astype(np.int64)
    mean0, mean1 = _potential_outcomes(rng, x, kind)
    mean = np.where(treatment == 1, mean1, mean0)
    if kind == "binary":
        outcome = (rng.random(n) < mean).astype(np.float64)
    else:
        outcome = mean + rng.normal(0.0, 60.0, n)
    return Sample(x, treatment, outcome, mean1 - mean0, propensity)


def true_effects(kind: OutcomeKind, seed: int = 10_000_019) -> dict[str, float]:
    """Population ATE and ATT: mean effect, and mean effect weighted by the propensity."""
    rng = np.random.default_rng(seed)
    x = _covariates(rng, TRUTH_SAMPLE)
    propensity = _propensity(x, _employability(x))
    mean0, mean1 = _potential_outcomes(rng, x, kind)
    effect = mean1 - mean0
    return {
        "ate": float(effect.mean()),
        "att": float(np.sum(propensity * effect) / np.sum(propensity)),
    }
