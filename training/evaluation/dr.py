"""The doubly robust (AIPW) core: one implementation for effect estimation, the effect
ranker's pseudo-outcomes, policy evaluation and the paired comparison of policies.

Given an outcome model's prediction ``mu`` for an action, the observed outcome ``y``, whether
the observed action is that action, and the propensity of the observed action, the AIPW score

    score_i = mu_i + 1[A_i = a] / e_i · (y_i − mu_i)

has mean E[Y(a)] when either nuisance model is right. Differences of scores estimate effects;
their means, standard errors and intervals come from the same few functions below.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

F64 = npt.NDArray[np.float64]
Z95 = 1.959963984540054


def clip_propensity(propensity: F64, lower: float, upper: float = 1.0) -> F64:
    """Propensities bounded to ``[lower, upper]``: no inverse weight exceeds ``1 / lower``."""
    result: F64 = np.clip(propensity, lower, upper)
    return result


def aipw_scores(
    mu: F64,
    y: F64,
    follows: npt.ArrayLike,
    propensity: F64,
    *,
    correction: float = 1.0,
) -> F64:
    """Per-row AIPW scores of one action: ``mu`` corrected by the inverse-propensity weighted
    residual where the observed action ``follows`` it. ``correction`` scales that term
    (1 = doubly robust; the effect ranker's ``dr_correction`` may take less)."""
    weight = np.where(follows, 1.0 / propensity, 0.0)
    result: F64 = mu + correction * weight * (y - mu)
    return result


def ate_influence(
    treated: npt.NDArray[np.int64], y: F64, propensity: F64, mu0: F64, mu1: F64
) -> tuple[float, F64]:
    """Average effect of a binary treatment and its influence function (AIPW contrast)."""
    scores = aipw_scores(mu1, y, treated == 1, propensity) - aipw_scores(
        mu0, y, treated == 0, 1.0 - propensity
    )
    theta = float(np.mean(scores))
    return theta, scores - theta


def att_influence(
    treated: npt.NDArray[np.int64], y: F64, propensity: F64, mu0: F64
) -> tuple[float, F64]:
    """DR effect on the treated (Chernozhukov et al. 2018): controls reweighted by the
    propensity odds; its influence function."""
    share_treated = float(np.mean(treated))
    residual = y - mu0
    odds = propensity / (1.0 - propensity)
    numerator = treated * residual - (1 - treated) * odds * residual
    theta = float(np.mean(numerator) / share_treated)
    return theta, (numerator - treated * theta) / share_treated


@dataclass(frozen=True)
class Estimate:
    value: float
    se: float

    def interval(self, level: float) -> tuple[float, float]:
        z = float(norm.ppf(0.5 + level / 2.0))
        return self.value - z * self.se, self.value + z * self.se

    @property
    def ci(self) -> tuple[float, float]:
        return self.value - Z95 * self.se, self.value + Z95 * self.se

    def as_dict(self, scale: float = 100.0) -> dict[str, float]:
        low, high = self.ci
        return {
            "value": scale * self.value,
            "se": scale * self.se,
            "ci_low": scale * low,
            "ci_high": scale * high,
        }


def mean_estimate(scores: F64) -> Estimate:
    """Mean of per-person scores with its standard error (sample standard deviation / √n)."""
    n = scores.shape[0]
    if n == 0:
        return Estimate(float("nan"), float("nan"))
    se = float(scores.std(ddof=1) / np.sqrt(n)) if n > 1 else float("inf")
    return Estimate(float(scores.mean()), se)


def influence_estimate(theta: float, influence: F64) -> Estimate:
    """An estimate with the standard error of its influence function (√(mean(φ²) / n))."""
    return Estimate(theta, float(np.sqrt(np.mean(influence**2) / len(influence))))


def paired_difference(a: F64, b: F64) -> dict[str, float]:
    """Mean paired difference of two policies' scores on the same people, in pp."""
    out = mean_estimate(a - b).as_dict()
    return {
        "diff": out["value"],
        "se": out["se"],
        "ci_low": out["ci_low"],
        "ci_high": out["ci_high"],
    }
