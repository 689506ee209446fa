"""EffectRanker: a cross-fitted doubly robust (DR) learner of the gain from each offer.

Stage 1 (cross-fitted by person): P(employed | no measure, x), the counsellors' propensity of
each measure type given x, and P(employed | offer, x) per measure type. Stage 2: per measure type
a weighted ridge regression of DR pseudo-outcomes on [1, profile, pair, offer] features, with
heteroscedasticity-robust (sandwich) covariance for the interval. See docs/ranking.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import norm
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from training.encoding import FloatArray, OfferArrays, ProfileArrays
from training.features import N_TYPES, OfferCatalog, effect_design, pair_block, profile_block
from training.schema import ProfileRecord

F64 = npt.NDArray[np.float64]


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


def _predict_proba(model: LogisticRegression | float, x: npt.NDArray[Any]) -> F64:
    if isinstance(model, float):
        return np.full(x.shape[0], model)
    result: F64 = model.predict_proba(x)[:, 1]
    return result


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
        max_rows_per_arm: int = 120_000,
        max_nuisance_rows: int = 200_000,
        interval_level: float = 0.9,
        dr_correction: float = 1.0,
        risk_aversion: float = 1.0,
        min_overlap: float = 0.01,
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
        for arm in range(N_TYPES):
            self._fit_arm(rng, arm, profiles, offers, pos, treatment, y, fold, nuisance)
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
        n = y.shape[0]
        p0 = np.zeros(n)
        propensity = np.zeros((n, N_TYPES + 1))
        outcome_models: list[list[LogisticRegression | float]] = []
        for k in range(self.n_folds):
            train, held = fold != k, fold == k
            control = _subsample(
                rng, np.nonzero(train & (treatment < 0))[0], self.max_nuisance_rows
            )
            p0[held] = _predict_proba(_fit_binary(x[control], y[control]), x[held])
            rows = _subsample(rng, np.nonzero(train)[0], self.max_nuisance_rows)
            propensity[held] = self._propensity(x[rows], treatment[rows] + 1, x[held])
            models: list[LogisticRegression | float] = []
            for arm in range(N_TYPES):
                idx = _subsample(
                    rng, np.nonzero(train & (treatment == arm))[0], self.max_rows_per_arm
                )
                design = effect_design(p.take(idx), o.take(pos[idx]))
                models.append(_fit_binary(design, y[idx]))
            outcome_models.append(models)
        return {"p0": p0, "propensity": propensity, "outcome": outcome_models}

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
    ) -> None:
        treated = np.nonzero(treatment == arm)[0]
        others = np.nonzero(treatment != arm)[0]
        pool = pos[treated] if treated.size else np.nonzero(o.measure_type == arm)[0]
        if pool.size == 0:
            return
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
            in_k = fold[rows] == k
            mu[in_k] = _predict_proba(nuisance["outcome"][k][arm], design[in_k].astype(np.float32))
        p0 = nuisance["p0"][rows]
        e_arm = np.maximum(nuisance["propensity"][rows, arm + 1], self.propensity_clip)
        e_none = np.maximum(nuisance["propensity"][rows, 0], self.propensity_clip)
        is_arm, is_none = treatment[rows] == arm, treatment[rows] < 0
        correction = np.where(is_arm, (y[rows] - mu) / e_arm, 0.0) - np.where(
            is_none, (y[rows] - p0) / e_none, 0.0
        )
        pseudo = mu - p0 + self.dr_correction * correction
        self._solve(arm, design, pseudo, weight / weight.mean())
        self.arm_rows_[arm] = treated.size

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
        parts = [self.predict_one(p.take(np.array([i])), catalog) for i in range(len(p))]
        return RankerPrediction(
            *(
                np.vstack([getattr(r, f) for r in parts])
                for f in RankerPrediction.__dataclass_fields__
            )
        )

    def predict_one(
        self,
        profile: ProfileArrays,
        catalog: OfferCatalog,
        index: npt.NDArray[np.intp] | None = None,
    ) -> RankerPrediction:
        """One profile against (a subset of) a prepared catalogue; vectorised over offers."""
        offers = catalog.arrays if index is None else catalog.arrays.take(index)
        block = catalog.block if index is None else catalog.block[index]
        x = profile_block(profile)
        p_without = float(_predict_proba(self.baseline_, x)[0])
        head = np.concatenate([[1.0], x[0]])
        rest = np.hstack([pair_block(profile, offers).reshape(len(offers), -1), block])
        effect = np.zeros(len(offers))
        variance = np.zeros(len(offers))
        h = head.shape[0]
        for arm in np.unique(offers.measure_type):
            idx = np.nonzero(offers.measure_type == arm)[0]
            coef, cov = self.coef_[arm], self.cov_[arm]
            r = rest[idx].astype(np.float64)
            effect[idx] = head @ coef[:h] + r @ coef[h:]
            cross = 2.0 * (head @ cov[:h, h:])
            variance[idx] = head @ cov[:h, :h] @ head + r @ cross + ((r @ cov[h:, h:]) * r).sum(1)
        z = float(norm.ppf(0.5 + self.interval_level / 2.0))
        se = np.sqrt(np.maximum(variance, 0.0))
        spread = z * se
        support = np.zeros(N_TYPES + 1)
        support[self.propensity_.classes_.astype(int)] = self.propensity_.predict_proba(x)[0]
        # Positivity guard: measure types that people like this one (almost) never took have no
        # evidence behind their estimate, which would be pure extrapolation.
        supported = support[offers.measure_type + 1] >= self.min_overlap
        p_with = np.clip(p_without + effect, 0.0, 1.0)
        effect = p_with - p_without
        row = np.full((1, len(offers)), p_without)
        return RankerPrediction(
            row,
            p_with[None, :],
            effect[None, :],
            (effect - spread)[None, :],
            (effect + spread)[None, :],
            np.where(supported, effect - self.risk_aversion * se, -1.0)[None, :],
        )


def _profiles(profiles: pd.DataFrame | Sequence[ProfileRecord] | ProfileArrays) -> ProfileArrays:
    if isinstance(profiles, ProfileArrays):
        return profiles
    if isinstance(profiles, pd.DataFrame):
        return ProfileArrays.from_frame(profiles)
    return ProfileArrays.from_records(list(profiles))
