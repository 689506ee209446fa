"""The rules as a prior for the effect model, and empirical-Bayes shrinkage toward it.

With little data the stage-2 estimates are noisy; ranking by them alone does worse than the
rules. So every estimate is pulled toward a prior built from the rules' judgement ("who it
suits" plus occupation fit), put on the effect scale by a two-parameter regression of the
doubly robust pseudo-outcomes on the rules score. How strongly to pull is learnt per measure type
from the data (method of moments): the spread of the estimates around the prior beyond what their
own standard errors explain is the signal variance ``σ²``; an estimate with variance ``v`` keeps
the share ``σ² / (σ² + v)`` of its distance from the prior. Little evidence → the rules' order;
more evidence → the model's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.enums import MeasureType
from training.data.encoding import ProfileArrays
from training.ranking.rules import suitability

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ArmEvidence:
    """Stage-2 rows of one measure type: rules score, pseudo-outcome, fitted effect."""

    arm: int
    rules: F64
    pseudo: F64
    weight: F64
    effect: F64
    variance: F64


def rule_prior_score(p: ProfileArrays, measure_type: npt.ArrayLike, fit: npt.ArrayLike) -> F64:
    """The rules ranker's score (suitability + 2 × occupation fit), broadcast like its inputs."""
    score: F64 = suitability(p, np.asarray(measure_type)) + 2.0 * np.asarray(fit, dtype=float)
    return score


def fit_prior(evidence: Sequence[ArmEvidence | None]) -> tuple[F64 | None, F64 | None]:
    """``(intercept, slope)`` of the prior and the signal variance per measure type.

    The slope is kept non-negative: a prior may be flat, but never the rules turned upside down.
    Returns ``(None, None)`` when there is no evidence at all.
    """
    arms = [e for e in evidence if e is not None]
    if not arms:
        return None, None
    rules = np.concatenate([e.rules for e in arms])
    pseudo = np.concatenate([e.pseudo for e in arms])
    weight = np.concatenate([e.weight for e in arms])
    slope = _weighted_slope(rules, pseudo, weight)
    intercept = float(np.average(pseudo - slope * rules, weights=weight))
    prior = np.array([intercept, slope])
    signal = np.zeros(len(MeasureType))
    for e in arms:
        gap = e.effect - (intercept + slope * e.rules)
        spread = float(np.average(gap**2, weights=e.weight))
        noise = float(np.average(np.maximum(e.variance, 0.0), weights=e.weight))
        signal[e.arm] = max(spread - noise, 0.0)
    # A type whose estimates show no spread beyond their noise is not known to equal the prior:
    # keep a tenth of the typical signal, so its interval never collapses to a point.
    seen = [e.arm for e in arms]
    signal[seen] = np.maximum(signal[seen], 0.1 * float(signal[seen].mean()))
    return prior, signal


def _weighted_slope(x: F64, y: F64, w: F64) -> float:
    mx, my = np.average(x, weights=w), np.average(y, weights=w)
    var = float(np.average((x - mx) ** 2, weights=w))
    if var <= 0:
        return 0.0
    return max(float(np.average((x - mx) * (y - my), weights=w)) / var, 0.0)


def shrink(
    effect: F64,
    variance: F64,
    *,
    prior: F64 | None,
    signal_variance: F64 | None,
    rules: F64,
    measure_type: npt.NDArray[np.integer],
    prior_only: bool = False,
) -> tuple[F64, F64]:
    """Posterior mean and variance of each effect given the prior (unchanged without one).

    ``prior_only`` ignores the estimates: the prior line with the prior's own spread (the
    signal variance) as uncertainty — the rules' order on the effect scale.
    """
    if prior is None or signal_variance is None:
        return effect, variance
    centre = prior[0] + prior[1] * rules
    s2 = np.broadcast_to(signal_variance[measure_type], effect.shape)
    if prior_only:
        return np.broadcast_to(centre, effect.shape).copy(), s2.copy()
    v = np.maximum(variance, 0.0)
    keep = np.divide(s2, s2 + v, out=np.zeros_like(effect), where=(s2 + v) > 0)
    return centre + keep * (effect - centre), keep * v
