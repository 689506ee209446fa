"""Stage 2 of the effect ranker, fitted per measure type.

For one measure type: the people who took it and a sample of the others, each paired with an
offer of the type; the doubly robust pseudo-outcome of that offer against no measure from the
cross-fitted stage 1 (``training.ranking.nuisance``); a weighted ridge regression of it on the
effect design with a bootstrap covariance over people (``training.ranking.stage2``). The
inverse-propensity terms of the pseudo-outcome are scaled by ``dr_correction``: 1 is the full
DR learner, 0 regression adjustment (the stage-1 outcome model's contrast projected on the
design). Several corrections are fitted on the same rows and the same stage 1, so that settings
selection compares them on one fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from training.data.encoding import N_MEASURE_TYPES
from training.data.features import effect_design
from training.data.occupation_fit import occupation_fit
from training.evaluation.dr import aipw_scores, clip_propensity
from training.ranking.nuisance import Bootstrap, Nuisance, TrainingRows, subsample
from training.ranking.prior import ArmEvidence, rule_prior_score
from training.ranking.stage2 import bootstrap_covariance, ridge_fit

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class StageTwo:
    """Per measure type: ridge coefficients, their covariance and the design mean; and the
    rules prior with its signal variance (``None`` without evidence)."""

    coef: F64
    cov: F64
    design_mean: F64
    prior: F64 | None = None
    signal_variance: F64 | None = None

    @classmethod
    def empty(cls, width: int) -> StageTwo:
        coef = np.zeros((N_MEASURE_TYPES, width))
        return cls(coef, np.zeros((N_MEASURE_TYPES, width, width)), np.zeros_like(coef))


@dataclass(frozen=True)
class ArmOptions:
    """The ranker's stage-2 settings (``EffectRanker`` parameters of the same names)."""

    max_rows_per_arm: int
    propensity_clip: float
    ridge_alpha: float


def fit_arm(
    rng: np.random.Generator,
    arm: int,
    data: TrainingRows,
    nuisance: Nuisance,
    draws: Bootstrap,
    fits: dict[float, StageTwo],
    options: ArmOptions,
) -> tuple[int, dict[float, ArmEvidence | None]]:
    """Stage 2 for one measure type, once per ``dr_correction`` (the keys of ``fits``, filled
    in place): the number of people who took the type, and per correction what the prior and
    its strength are fitted on."""
    p, o, pos, treatment = data.profiles, data.offers, data.pos, data.treatment
    treated = np.nonzero(treatment == arm)[0]
    others = np.nonzero(treatment != arm)[0]
    pool = pos[treated] if treated.size else np.nonzero(o.measure_type == arm)[0]
    if pool.size == 0:
        return 0, {lam: None for lam in fits}
    own = subsample(rng, treated, options.max_rows_per_arm)
    other = subsample(rng, others, options.max_rows_per_arm)
    rows = np.concatenate([own, other])
    weight = np.concatenate(
        [
            np.full(own.size, treated.size / max(own.size, 1)),
            np.full(other.size, others.size / max(other.size, 1)),
        ]
    )
    weight = weight / weight.mean()
    offer_rows = np.concatenate([pos[own], rng.choice(pool, size=other.size)])
    people, offered = p.take(rows), o.take(offer_rows)
    design = effect_design(people, offered).astype(np.float64)
    e_arm = clip_propensity(nuisance.propensity[rows, arm + 1], options.propensity_clip)
    e_none = clip_propensity(nuisance.propensity[rows, 0], options.propensity_clip)
    is_arm, is_none = treatment[rows] == arm, treatment[rows] < 0
    y = data.y[rows]
    # The outcome model's predictions do not depend on the correction: once per stage 1.
    fitted = [
        (fit.outcome_with(people, o, offer_rows, data.fold[rows]), fit.p0[rows])
        for fit in (nuisance, *draws.refits)
    ]

    def pseudo_outcome(mu: F64, p0: F64, lam: float) -> F64:
        """AIPW contrast of taking this offer with no measure, the inverse-propensity
        terms scaled by ``dr_correction``."""
        with_offer = aipw_scores(mu, y, is_arm, e_arm, correction=lam)
        return with_offer - aipw_scores(p0, y, is_none, e_none, correction=lam)

    # No one took this type: its fits carry no evidence beyond the prior.
    rules = (
        rule_prior_score(
            people, arm, occupation_fit(people.target_occupations, offered.target_occupations)
        )
        if treated.size
        else None
    )
    found: dict[float, ArmEvidence | None] = {}
    for lam, fit in fits.items():
        pseudo = pseudo_outcome(*fitted[0], lam)
        coef, bread, residual = ridge_fit(design, pseudo, weight, options.ridge_alpha)
        shifts = [
            (pseudo_outcome(mu, p0, lam) - pseudo, omega[rows])
            for (mu, p0), omega in zip(fitted[1:], draws.multipliers, strict=True)
        ]
        fit.coef[arm] = coef
        fit.cov[arm] = bootstrap_covariance(
            design, weight, bread, residual, draws.person[rows], shifts
        )
        fit.design_mean[arm] = np.average(design, axis=0, weights=weight)
        found[lam] = (
            None
            if rules is None
            else ArmEvidence(
                arm=arm,
                rules=rules,
                pseudo=pseudo,
                weight=weight,
                effect=design @ coef,
                variance=((design @ fit.cov[arm]) * design).sum(axis=1),  # BLAS, not einsum
            )
        )
    return int(treated.size), found
