"""EffectRanker: a cross-fitted doubly robust (DR) learner of the gain from each offer.

Stage 1 (cross-fitted by person): P(employed | no measure, x), the counsellors' propensity of
each measure type given x, and P(employed | offer, x) per measure type. Stage 2: per measure type
a weighted ridge regression of DR pseudo-outcomes on [1, profile, pair, offer] features, with
heteroscedasticity-robust (sandwich) covariance for the interval. See docs/ranking.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import expit, softmax
from scipy.stats import norm
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from training.encoding import (
    FloatArray,
    OfferArrays,
    ProfileArrays,
    broadcast_grid,
    occupation_fit,
)
from training.features import (
    N_TYPES,
    PAIR_WIDTH,
    TREATMENT_COLUMN,
    OfferCatalog,
    effect_design,
    outcome_features,
    pair_block,
    profile_block,
)
from training.prior import ArmEvidence, fit_prior, rule_prior_score, shrink
from training.schema import ProfileRecord

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


def _logistic(max_iter: int = 150) -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=max_iter)


def _subsample(
    rng: np.random.Generator, index: npt.NDArray[np.intp], cap: int
) -> npt.NDArray[np.intp]:
    if index.shape[0] <= cap:
        return index
    return np.sort(rng.choice(index, size=cap, replace=False))


def _fit_binary(
    x: npt.NDArray[Any], y: npt.NDArray[Any], min_rows: int = 30
) -> LogisticRegression | float:
    """A logistic model, or the mean outcome when there is too little data to fit one."""
    if y.shape[0] < min_rows or y.min() == y.max():
        return float(y.mean()) if y.shape[0] else 0.0
    with warnings.catch_warnings():
        # An L2-regularised nuisance model stopped at max_iter is close enough for stage 1.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _logistic().fit(x, y)


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
        fold = self._folds(rng, episodes_df["person_id"].to_numpy())
        nuisance = self._cross_fit(rng, profiles, offers, pos, treatment, y, x, fold)
        self.coef_ = np.zeros((N_TYPES, self._width(x, profiles, offers)))
        self.cov_ = np.zeros((N_TYPES, self.coef_.shape[1], self.coef_.shape[1]))
        self.arm_rows_ = np.zeros(N_TYPES, dtype=np.int64)
        evidence = [
            self._fit_arm(rng, arm, profiles, offers, pos, treatment, y, fold, nuisance)
            for arm in range(N_TYPES)
        ]
        # Always fitted, so that selection can compare with and without it on one fit.
        self.prior_, self.signal_variance_ = fit_prior(evidence)
        control = np.nonzero(treatment < 0)[0]
        keep = _subsample(rng, control, self.max_nuisance_rows)
        self.baseline_ = _fit_binary(x[keep], y[keep])
        every = _subsample(rng, np.arange(y.shape[0]), self.max_nuisance_rows)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.propensity_ = _logistic(100).fit(x[every], treatment[every] + 1)
        self.n_profile_features_ = x.shape[1]
        return self

    @staticmethod
    def _width(x: npt.NDArray[Any], p: ProfileArrays, o: OfferArrays) -> int:
        return int(effect_design(p.take(np.arange(1)), o.take(np.arange(1))).shape[1])

    def _folds(self, rng: np.random.Generator, person: npt.NDArray[Any]) -> npt.NDArray[np.intp]:
        unique, inverse = np.unique(person, return_inverse=True)
        assignment = rng.permutation(unique.shape[0]) % self.n_folds
        result: npt.NDArray[np.intp] = assignment[inverse]
        return result

    def _cross_fit(
        self,
        rng: np.random.Generator,
        p: ProfileArrays,
        o: OfferArrays,
        pos: npt.NDArray[np.intp],
        treatment: npt.NDArray[Any],
        y: F64,
        x: npt.NDArray[Any],
        fold: npt.NDArray[np.intp],
    ) -> dict[str, Any]:
        """Per person fold: a gradient-boosted outcome model over (profile, measure taken or none,
        offer) and a propensity model, each trained on the other folds."""
        n = y.shape[0]
        p0 = np.zeros(n)
        propensity = np.zeros((n, N_TYPES + 1))
        outcome_models: list[HistGradientBoostingClassifier] = []
        none = np.full(n, -1, dtype=np.intp)
        for k in range(self.n_folds):
            train, held = fold != k, np.flatnonzero(fold == k)
            rows = _subsample(rng, np.nonzero(train)[0], self.max_nuisance_rows)
            model = self._outcome_model().fit(outcome_features(p.take(rows), o, pos[rows]), y[rows])
            p0[held] = model.predict_proba(outcome_features(p.take(held), o, none[held]))[:, 1]
            propensity[held] = self._propensity(x[rows], treatment[rows] + 1, x[held])
            outcome_models.append(model)
        return {"p0": p0, "propensity": propensity, "outcome": outcome_models}

    def _outcome_model(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(
            max_iter=self.outcome_iterations,
            learning_rate=0.1,
            max_leaf_nodes=31,
            min_samples_leaf=40,
            l2_regularization=1.0,
            categorical_features=[TREATMENT_COLUMN],
            early_stopping=False,
            random_state=self.random_state,
        )

    @staticmethod
    def _propensity(x: npt.NDArray[Any], label: npt.NDArray[Any], x_new: npt.NDArray[Any]) -> F64:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = _logistic(100).fit(x, label)
        out = np.full((x_new.shape[0], N_TYPES + 1), 1e-6)
        out[:, model.classes_.astype(int)] = model.predict_proba(x_new)
        return out

    def _fit_arm(
        self,
        rng: np.random.Generator,
        arm: int,
        p: ProfileArrays,
        o: OfferArrays,
        pos: npt.NDArray[np.intp],
        treatment: npt.NDArray[Any],
        y: F64,
        fold: npt.NDArray[np.intp],
        nuisance: dict[str, Any],
    ) -> ArmEvidence | None:
        """Stage 2 for one measure type; returns what the prior and its strength are fitted on."""
        treated = np.nonzero(treatment == arm)[0]
        others = np.nonzero(treatment != arm)[0]
        pool = pos[treated] if treated.size else np.nonzero(o.measure_type == arm)[0]
        if pool.size == 0:
            return None
        own = _subsample(rng, treated, self.max_rows_per_arm)
        other = _subsample(rng, others, self.max_rows_per_arm)
        rows = np.concatenate([own, other])
        weight = np.concatenate(
            [
                np.full(own.size, treated.size / max(own.size, 1)),
                np.full(other.size, others.size / max(other.size, 1)),
            ]
        )
        offer_rows = np.concatenate([pos[own], rng.choice(pool, size=other.size)])
        design = effect_design(p.take(rows), o.take(offer_rows)).astype(np.float64)
        mu = np.zeros(rows.size)
        for k in range(self.n_folds):
            in_k = np.flatnonzero(fold[rows] == k)
            if in_k.size:
                features = outcome_features(p.take(rows[in_k]), o, offer_rows[in_k])
                mu[in_k] = nuisance["outcome"][k].predict_proba(features)[:, 1]
        p0 = nuisance["p0"][rows]
        e_arm = np.maximum(nuisance["propensity"][rows, arm + 1], self.propensity_clip)
        e_none = np.maximum(nuisance["propensity"][rows, 0], self.propensity_clip)
        is_arm, is_none = treatment[rows] == arm, treatment[rows] < 0
        correction = np.where(is_arm, (y[rows] - mu) / e_arm, 0.0) - np.where(
            is_none, (y[rows] - p0) / e_none, 0.0
        )
        pseudo = mu - p0 + self.dr_correction * correction
        weight = weight / weight.mean()
        self._solve(arm, design, pseudo, weight)
        self.arm_rows_[arm] = treated.size
        if treated.size == 0:
            return None  # no one took this type: no evidence beyond the prior
        people, offered = p.take(rows), o.take(offer_rows)
        rules = rule_prior_score(people, arm, occupation_fit(people.targets, offered.targets))
        return ArmEvidence(
            arm=arm,
            rules=rules,
            pseudo=pseudo,
            weight=weight,
            effect=design @ self.coef_[arm],
            variance=np.einsum("ij,jk,ik->i", design, self.cov_[arm], design),
        )

    def _solve(self, arm: int, design: F64, target: F64, weight: F64) -> None:
        weighted = design * weight[:, None]
        gram = design.T @ weighted
        penalty = self.ridge_alpha * weight.sum() / 1000.0 * np.eye(gram.shape[0])
        penalty[0, 0] = 0.0
        bread = np.linalg.pinv(gram + penalty)
        coef = bread @ (weighted.T @ target)
        residual = target - design @ coef
        meat = (design * (weight * residual)[:, None]).T @ (design * (weight * residual)[:, None])
        self.coef_[arm] = coef
        self.cov_[arm] = bread @ meat @ bread

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
        """Many profiles against the whole catalogue at once: ``predict_one`` as matrix algebra
        over (profiles, offers), for offline evaluation. Same formulas, same values up to
        floating-point rounding."""
        pre = self._offer_terms(catalog)
        n, m = len(p), len(catalog)
        x = profile_block(p)
        head = np.hstack([np.ones((n, 1)), x.astype(np.float64)])
        grid_p, grid_o = broadcast_grid(p, catalog.arrays)
        pair = pair_block(grid_p, grid_o).astype(np.float64)  # (n, m, q)
        h, q = head.shape[1], pair.shape[2]
        effect = np.zeros((n, m))
        variance = np.zeros((n, m))
        for arm, terms in pre.arms.items():
            coef, cov = self.coef_[arm], self.cov_[arm]
            r = pair[:, terms.rows, :]
            head_pair = head @ cov[h : h + q, :h].T  # (n, q)
            effect[:, terms.rows] = (
                terms.effect[None, :] + (head @ coef[:h])[:, None] + r @ coef[h : h + q]
            )
            variance[:, terms.rows] = (
                terms.variance[None, :]
                + np.einsum("ih,hk,ik->i", head, cov[:h, :h], head)[:, None]
                + 2.0 * (head @ terms.cov_block_head.T) @ terms.block.T
                + 2.0 * np.einsum("ikq,iq->ik", r, head_pair)
                + ((r @ cov[h : h + q, h : h + q]) * r).sum(-1)
                + 2.0 * (r * terms.cov_block_pair[None, :, :]).sum(-1)
            )
        rules = rule_prior_score(grid_p, grid_o.measure_type, pair[..., 0])
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
        pair = pair_block(profile, _pair_view(catalog.arrays, rows), fit=fit).astype(np.float64)
        h, q = head.shape[0], pair.shape[1]
        effect = np.zeros(rows.size)
        variance = np.zeros(rows.size)
        for arm, terms in pre.arms.items():
            out = where[terms.rows]
            chosen = out >= 0
            if not chosen.any():
                continue
            out = out[chosen]
            coef, cov = self.coef_[arm], self.cov_[arm]
            r = pair[out]
            block_head = (terms.block @ (terms.cov_block_head @ head))[chosen]
            effect[out] = terms.effect[chosen] + (head @ coef[:h] + r @ coef[h : h + q])
            variance[out] = (
                terms.variance[chosen]
                + head @ cov[:h, :h] @ head
                + 2.0 * block_head
                + 2.0 * (r @ (cov[h : h + q, :h] @ head))
                + ((r @ cov[h : h + q, h : h + q]) * r).sum(1)
                + 2.0 * (r * terms.cov_block_pair[chosen]).sum(1)
            )
        measure = catalog.arrays.measure_type[rows]
        rules = rule_prior_score(profile, measure, pair[:, 0])
        return self._assemble(x, effect[None, :], variance[None, :], measure, rules[None, :])

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
        # Calibration against held-out DR gains of the chosen offers (training.selection).
        scale = getattr(self, "effect_scale", 1.0)  # artifacts from before calibration: 1
        effect = scale * effect
        variance = scale**2 * variance
        se = np.sqrt(np.maximum(variance, 0.0))
        spread = z_score(self.interval_level) * se
        support = _proba_multinomial(self.propensity_, x)
        # Positivity guard: measure types that people like this one (almost) never took have no
        # evidence behind their estimate, which would be pure extrapolation.
        supported = support[:, measure_type + 1] >= self.min_overlap
        if getattr(self, "prior_only", False):
            # The prior alone uses no estimate, so there is nothing to extrapolate: like the
            # rules, it ranks every eligible type.
            supported = np.ones_like(supported)
        p_without = _proba_binary(self.baseline_, x)[:, None]
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

    def _offer_terms(self, catalog: OfferCatalog) -> _OfferTerms:
        coef, cov = self.coef_, self.cov_
        terms: _OfferTerms = catalog.cached(
            self, ("effect-terms", id(coef), id(cov)), lambda: _offer_terms(coef, cov, catalog)
        )
        if terms.coef is not coef or terms.cov is not cov:  # ids reused after a refit
            terms = _offer_terms(coef, cov, catalog)
        return terms


@dataclass(frozen=True)
class _ArmTerms:
    """The offers of one measure type and the parts of their estimate without the profile."""

    rows: npt.NDArray[np.intp]  # positions in the catalogue
    block: F64  # offer descriptors, contiguous
    effect: F64  # b·coef_b
    variance: F64  # b' C_bb b
    cov_block_head: F64  # C_bh, (n_block, h)
    cov_block_pair: F64  # C_pb b per offer, (n, q)


@dataclass(frozen=True)
class _OfferTerms:
    coef: F64
    cov: F64
    arms: dict[int, _ArmTerms]


def _offer_terms(coef: F64, cov: F64, catalog: OfferCatalog) -> _OfferTerms:
    width = coef.shape[1]
    block = catalog.block.astype(np.float64)
    b = block.shape[1]
    q = PAIR_WIDTH
    h = width - b - q
    measure = catalog.arrays.measure_type
    arms: dict[int, _ArmTerms] = {}
    for arm in np.unique(measure):
        rows = np.flatnonzero(measure == arm)
        c, v = coef[arm], cov[arm]
        bl = np.ascontiguousarray(block[rows])
        arms[int(arm)] = _ArmTerms(
            rows=rows,
            block=bl,
            effect=bl @ c[h + q :],
            variance=((bl @ v[h + q :, h + q :]) * bl).sum(1),
            cov_block_head=np.ascontiguousarray(v[h + q :, :h]),
            cov_block_pair=bl @ v[h + q :, h : h + q],
        )
    return _OfferTerms(coef, cov, arms)


def _pair_view(o: OfferArrays, rows: npt.NDArray[np.intp]) -> OfferArrays:
    """The offer fields ``pair_block`` reads, for ``rows`` (others are left empty)."""
    empty = o.take(rows[:0])
    return replace(
        empty,
        targets=o.targets[rows],
        childcare=o.childcare[rows],
        hours_per_week=o.hours_per_week[rows],
        format=o.format[rows],
        part_time_possible=o.part_time_possible[rows],
        min_german=o.min_german[rows],
    )


@cache
def z_score(level: float) -> float:
    return float(norm.ppf(0.5 + level / 2.0))


def _proba_binary(model: LogisticRegression | float, x: npt.NDArray[Any]) -> F64:
    """``predict_proba(x)[:, 1]`` of a fitted binary logistic model, without sklearn overhead."""
    if isinstance(model, float):
        return np.full(x.shape[0], model)
    result: F64 = expit(x.astype(np.float64) @ model.coef_[0] + model.intercept_[0])
    return result


def _proba_multinomial(model: LogisticRegression, x: npt.NDArray[Any]) -> F64:
    """P(class) on the full class range 0..N_TYPES (unseen classes get 0)."""
    scores = x.astype(np.float64) @ model.coef_.T + model.intercept_
    out = np.zeros((x.shape[0], N_TYPES + 1))
    if scores.shape[1] == 1:  # two classes: sklearn stores one row of coefficients
        p1 = expit(scores[:, 0])
        out[:, model.classes_.astype(int)] = np.column_stack([1.0 - p1, p1])
    else:
        out[:, model.classes_.astype(int)] = softmax(scores, axis=1)
    return out


def _profiles(profiles: pd.DataFrame | Sequence[ProfileRecord] | ProfileArrays) -> ProfileArrays:
    if isinstance(profiles, ProfileArrays):
        return profiles
    if isinstance(profiles, pd.DataFrame):
        return ProfileArrays.from_frame(profiles)
    return ProfileArrays.from_records(list(profiles))
