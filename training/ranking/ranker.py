"""EffectRanker: a cross-fitted doubly robust (DR) learner of the gain from each offer.

Stage 1 (cross-fitted by person): P(employed | no measure, x), the counsellors' propensity of
each measure type given x, and P(employed | offer, x) per measure type. Stage 2: per measure type
a weighted ridge regression of DR pseudo-outcomes on [1, profile, pair, offer] features, with
covariance from a bootstrap over people (stage-2 clustered sandwich plus stage-1 refits) for the
interval (``training.ranking.stage2_fit``); ``dr_correction`` scales the pseudo-outcomes'
inverse-propensity terms, down to 0, regression adjustment. See docs/ranking.md.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import BaseEstimator

from training.data.encoding import (
    N_MEASURE_TYPES,
    FloatArray,
    OfferArrays,
    ProfileArrays,
    broadcast_grid,
)
from training.data.features import (
    PAIR_FIT,
    OfferCatalog,
    effect_design,
    pair_block,
    profile_block,
)
from training.data.schema import ProfileRecord
from training.ranking.nuisance import (
    TrainingRows,
    bootstrap_refits,
    cross_fit,
    fit_binary,
    fit_multinomial,
    person_folds,
    proba_binary,
    proba_multinomial,
    subsample,
)
from training.ranking.prior import ArmEvidence, fit_prior, rule_prior_score, shrink
from training.ranking.stage2 import (
    OfferTerms,
    estimate,
    offer_terms,
    pair_view,
    z_score,
)
from training.ranking.stage2_fit import ArmOptions, StageTwo, fit_arm

__all__ = ["PREDICT_CHUNK", "EffectRanker", "RankerPrediction", "z_score"]

F64 = npt.NDArray[np.float64]
#: Profiles per block in ``EffectRanker.predict`` (bounds the (profiles, offers, pair) array).
PREDICT_CHUNK = 128


@dataclass(frozen=True)
class RankerPrediction:
    """Arrays of shape (n_profiles, n_offers); probabilities and effects as fractions."""

    p_without: FloatArray
    p_with: FloatArray
    effect: FloatArray
    effect_low: FloatArray
    effect_high: FloatArray
    score: FloatArray  # effect shrunk by its uncertainty: effect − risk_aversion · se


class EffectRanker(BaseEstimator):  # type: ignore[misc]
    """Estimates P(employed at 6 months | offer) − P(employed | no measure) for any pair."""

    def __init__(
        self,
        *,
        n_folds: int = 2,
        propensity_clip: float = 0.05,
        ridge_alpha: float = 1.0,
        max_rows_per_arm: int = 60_000,
        max_nuisance_rows: int = 200_000,
        interval_level: float = 0.9,
        dr_correction: float = 0.5,
        risk_aversion: float = 0.5,
        min_overlap: float = 0.01,
        outcome_iterations: int = 200,
        prior_shrinkage: bool = True,
        prior_only: bool = False,
        effect_scale: float = 1.0,
        bootstrap_draws: int = 2,
        corrections: tuple[float, ...] = (),
        random_state: int = 0,
    ) -> None:
        self.n_folds = n_folds
        self.propensity_clip = propensity_clip
        self.ridge_alpha = ridge_alpha
        self.max_rows_per_arm = max_rows_per_arm
        self.max_nuisance_rows = max_nuisance_rows
        self.interval_level = interval_level
        self.dr_correction = dr_correction
        self.risk_aversion = risk_aversion
        self.min_overlap = min_overlap
        self.outcome_iterations = outcome_iterations
        self.prior_shrinkage = prior_shrinkage
        self.prior_only = prior_only
        self.effect_scale = effect_scale
        self.bootstrap_draws = bootstrap_draws
        self.corrections = corrections
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------------------
    def fit(self, episodes_df: pd.DataFrame, offers_df: pd.DataFrame) -> EffectRanker:
        rng = np.random.default_rng(self.random_state)
        profiles = ProfileArrays.from_frame(episodes_df)
        offers = OfferArrays.from_frame(offers_df)
        ids = episodes_df["offer_id"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
        pos = pd.Index(offers.offer_id).get_indexer(pd.Index(ids))
        treatment = np.where(pos >= 0, offers.measure_type[np.maximum(pos, 0)], -1)
        y = episodes_df["employed_6m"].to_numpy(dtype=float)
        x = profile_block(profiles)
        fold = person_folds(rng, episodes_df["person_id"].to_numpy(), self.n_folds)
        data = TrainingRows(profiles, offers, pos, treatment, x, y, fold)
        nuisance = cross_fit(
            rng,
            data,
            n_folds=self.n_folds,
            max_rows=self.max_nuisance_rows,
            outcome_iterations=self.outcome_iterations,
            random_state=self.random_state,
        )
        draws = bootstrap_refits(
            np.unique(episodes_df["person_id"].to_numpy(), return_inverse=True)[1],
            data,
            nuisance,
            draws=getattr(self, "bootstrap_draws", 0),
            max_rows=self.max_nuisance_rows,
            outcome_iterations=self.outcome_iterations,
            random_state=self.random_state,
        )
        width = self._width(x, profiles, offers)
        # ``dr_correction`` first, then the other values of ``corrections``: one stage 2 each on
        # the same stage 1 and the same rows (``for_correction`` switches between them).
        lams = tuple(dict.fromkeys((self.dr_correction, *getattr(self, "corrections", ()))))
        fits = {lam: StageTwo.empty(width) for lam in lams}
        self.arm_rows_ = np.zeros(N_MEASURE_TYPES, dtype=np.int64)
        evidence: dict[float, list[ArmEvidence | None]] = {lam: [] for lam in lams}
        for arm in range(N_MEASURE_TYPES):
            treated, found = fit_arm(rng, arm, data, nuisance, draws, fits, self._arm_options())
            self.arm_rows_[arm] = treated
            for lam, arm_evidence in found.items():
                evidence[lam].append(arm_evidence)
        for lam in lams:
            # Always fitted, so that selection can compare with and without it on one fit.
            prior, signal = fit_prior(evidence[lam])
            fits[lam] = replace(fits[lam], prior=prior, signal_variance=signal)
        self._use(fits[self.dr_correction])
        if len(lams) > 1:
            self.alternatives_ = fits  # every fitted correction, so a switched copy can return
        control = np.nonzero(treatment < 0)[0]
        keep = subsample(rng, control, self.max_nuisance_rows)
        self.baseline_ = fit_binary(x[keep], y[keep])
        every = subsample(rng, np.arange(y.shape[0]), self.max_nuisance_rows)
        self.propensity_ = fit_multinomial(x[every], treatment[every] + 1)
        self.n_profile_features_ = x.shape[1]
        return self

    @staticmethod
    def _width(x: npt.NDArray[Any], p: ProfileArrays, o: OfferArrays) -> int:
        return int(effect_design(p.take(np.arange(1)), o.take(np.arange(1))).shape[1])

    def _arm_options(self) -> ArmOptions:
        return ArmOptions(self.max_rows_per_arm, self.propensity_clip, self.ridge_alpha)

    def _use(self, fit: StageTwo) -> None:
        self.coef_, self.cov_ = fit.coef, fit.cov
        # Weighted mean of each type's stage-2 design: the reference the drivers of an
        # estimate are measured from (training.ranking.drivers).
        self.design_mean_ = fit.design_mean
        self.prior_, self.signal_variance_ = fit.prior, fit.signal_variance

    def for_correction(self, dr_correction: float) -> EffectRanker:
        """This ranker with the stage 2 fitted for another value of ``corrections``."""
        if dr_correction == self.dr_correction:
            return self
        other = copy.copy(self)
        other._use(self.alternatives_[dr_correction])
        other.dr_correction = dr_correction
        return other

    # -- prediction --------------------------------------------------------------------------
    def predict(
        self,
        profiles: pd.DataFrame | Sequence[ProfileRecord] | ProfileArrays,
        offers: pd.DataFrame | OfferCatalog,
    ) -> RankerPrediction:
        p = _profiles(profiles)
        catalog = offers if isinstance(offers, OfferCatalog) else OfferCatalog.from_frame(offers)
        parts = [
            self._predict_block(
                p.take(np.arange(start, min(start + PREDICT_CHUNK, len(p)))), catalog
            )
            for start in range(0, len(p), PREDICT_CHUNK)
        ]
        return RankerPrediction(
            *(
                np.vstack([getattr(r, f) for r in parts])
                for f in RankerPrediction.__dataclass_fields__
            )
        )

    def _predict_block(self, p: ProfileArrays, catalog: OfferCatalog) -> RankerPrediction:
        """Many profiles against the whole catalogue at once, for offline evaluation; the same
        algebra (``training.ranking.stage2.estimate``) as ``predict_one``."""
        n = len(p)
        x = profile_block(p)
        head = np.hstack([np.ones((n, 1)), x.astype(np.float64)])
        grid_p, grid_o = broadcast_grid(p, catalog.arrays)
        pair = pair_block(grid_p, grid_o).astype(np.float64)  # (n, m, q)
        effect, variance = estimate(self._offer_terms(catalog), head, pair)
        rules = rule_prior_score(grid_p, grid_o.measure_type, pair[..., PAIR_FIT])
        return self._assemble(x, effect, variance, catalog.arrays.measure_type, rules)

    def predict_one(
        self,
        profile: ProfileArrays,
        catalog: OfferCatalog,
        index: npt.NDArray[np.intp] | None = None,
        *,
        fit: FloatArray | None = None,
    ) -> RankerPrediction:
        """One profile against (a subset of) a prepared catalogue; vectorised over offers.

        ``index`` selects offers of the catalogue (all when ``None``); ``fit`` may pass their
        occupation fit when the caller already has it. The offer-only parts of effect and
        variance are computed once per (model, catalogue) and reused; per request only the
        profile and pair terms are evaluated.
        """
        pre = self._offer_terms(catalog)
        n = len(catalog)
        rows = np.arange(n) if index is None else np.asarray(index, dtype=np.intp)
        where = np.full(n, -1, dtype=np.intp)
        where[rows] = np.arange(rows.size)
        x = profile_block(profile)
        head = np.concatenate([[1.0], x[0].astype(np.float64)])
        pair = pair_block(profile, pair_view(catalog.arrays, rows), fit=fit).astype(np.float64)
        effect, variance = estimate(pre, head[None, :], pair[None, :, :], where)
        measure = catalog.arrays.measure_type[rows]
        rules = rule_prior_score(profile, measure, pair[:, PAIR_FIT])
        return self._assemble(x, effect, variance, measure, rules[None, :])

    def _assemble(
        self,
        x: npt.NDArray[Any],
        effect: F64,
        variance: F64,
        measure_type: npt.NDArray[Any],
        rules: F64,
    ) -> RankerPrediction:
        """From the effect model's raw effect and variance, shape (profiles, offers), to the
        prediction: shrunk toward the rules prior, probabilities clipped to [0, 1], interval,
        and the ranking score."""
        effect, variance = shrink(
            effect,
            variance,
            prior=getattr(self, "prior_", None)
            if getattr(self, "prior_shrinkage", False)
            else None,
            signal_variance=getattr(self, "signal_variance_", None),
            rules=rules,
            measure_type=measure_type,
            prior_only=getattr(self, "prior_only", False),
        )
        # Calibration against held-out DR gains of the chosen offers (training.release.selection).
        scale = getattr(self, "effect_scale", 1.0)  # artifacts from before calibration: 1
        effect = scale * effect
        variance = scale**2 * variance
        se = np.sqrt(np.maximum(variance, 0.0))
        spread = z_score(self.interval_level) * se
        support = proba_multinomial(self.propensity_, x)
        # Positivity guard: measure types that people like this one (almost) never took have no
        # evidence behind their estimate, which would be pure extrapolation.
        supported = support[:, measure_type + 1] >= self.min_overlap
        if getattr(self, "prior_only", False):
            # The prior alone uses no estimate, so there is nothing to extrapolate: like the
            # rules, it ranks every eligible type.
            supported = np.ones_like(supported)
        p_without = proba_binary(self.baseline_, x)[:, None]
        p_with = np.clip(p_without + effect, 0.0, 1.0)
        effect = p_with - p_without
        return RankerPrediction(
            np.broadcast_to(p_without, effect.shape).copy(),
            p_with,
            effect,
            effect - spread,
            effect + spread,
            np.where(supported, effect - self.risk_aversion * se, -1.0),
        )

    def _prior(self) -> F64 | None:
        """The fitted prior when shrinkage is on (artifacts from before it have none)."""
        prior: F64 | None = getattr(self, "prior_", None)
        return prior if getattr(self, "prior_shrinkage", False) else None

    def _offer_terms(self, catalog: OfferCatalog) -> OfferTerms:
        coef, cov = self.coef_, self.cov_
        terms: OfferTerms = catalog.cached(
            self, ("effect-terms", id(coef), id(cov)), lambda: offer_terms(coef, cov, catalog)
        )
        if terms.coef is not coef or terms.cov is not cov:  # ids reused after a refit
            terms = offer_terms(coef, cov, catalog)
        return terms


def _profiles(profiles: pd.DataFrame | Sequence[ProfileRecord] | ProfileArrays) -> ProfileArrays:
    if isinstance(profiles, ProfileArrays):
        return profiles
    if isinstance(profiles, pd.DataFrame):
        return ProfileArrays.from_frame(profiles)
    return ProfileArrays.from_records(list(profiles))
