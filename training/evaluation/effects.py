"""Doubly robust estimates of what a measure changes, from non-randomised historical data.

Counsellors assign measures selectively ("creaming"), so participants and non-participants
differ before any measure starts. Comparing their outcomes mixes the effect with that
difference. The augmented inverse-propensity (AIPW) estimator combines an outcome model with a
propensity model and stays consistent when either one is right; cross-fitting lets both be
flexible learners without overfitting bias, and its influence function gives honest intervals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, Unpack

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import StratifiedKFold

from training.evaluation.dr import ate_influence, att_influence, clip_propensity, influence_estimate
from training.evaluation.effect_inputs import (
    EffectEstimationError,
    FloatArray,
    IntArray,
    binary_treatment,
    check_options,
    check_sample,
    encode_features,
    numeric_outcome,
)

__all__ = [
    "EffectEstimate",
    "EffectEstimationError",
    "EffectOptions",
    "Target",
    "estimate_effect",
    "estimate_effects",
]

Target = Literal["ate", "att"]

#: ATE clips propensities to ``[clip, 1 - clip]``, so no inverse weight exceeds 1 / clip = 100:
#: bounded variance where overlap is poor, at the price of a small bias there. ATT clips only
#: the top (control odds e / (1 - e) <= 99): near-zero propensities give controls unlike any
#: participant a near-zero weight, and raising them would pull the ATT toward the naive
#: contrast when few people are treated.
DEFAULT_PROPENSITY_CLIP = 0.01

#: Fewest cases of the rarer class for which a binary nuisance model is fitted at all.
MIN_CLASS_COUNT = 5


@dataclass(frozen=True, slots=True)
class EffectEstimate:
    """An average effect with its 95% (or chosen level) normal interval.

    For a binary outcome the effect is a difference of probabilities (multiply by 100 for
    percentage points); for a continuous one it is in the outcome's units.
    """

    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    n: int
    n_treated: int
    target: Target
    outcome_kind: Literal["binary", "continuous"]
    confidence: float
    propensity_clip: float
    n_clipped: int

    @property
    def n_control(self) -> int:
        return self.n - self.n_treated


@dataclass(frozen=True, slots=True)
class _Nuisances:
    """Out-of-fold predictions: each row's values come from models that never saw that row."""

    propensity: FloatArray
    control_outcome: FloatArray
    treated_outcome: FloatArray | None


class EffectOptions(TypedDict, total=False):
    """The keyword options :func:`estimate_effect` passes on to :func:`estimate_effects`."""

    n_folds: int
    random_state: int | None
    propensity_model: Any
    outcome_model: Any
    propensity_clip: float
    confidence: float


def estimate_effect(
    X: pd.DataFrame | npt.ArrayLike,
    treatment: pd.Series[Any] | npt.ArrayLike,
    outcome: pd.Series[Any] | npt.ArrayLike,
    *,
    target: Target = "ate",
    **options: Unpack[EffectOptions],
) -> EffectEstimate:
    """Estimate the average effect of ``treatment`` on ``outcome`` adjusting for ``X``.

    :param X: confounders, an array or a DataFrame (non-numeric and bool columns are one-hot
        encoded; missing values are allowed for the default learners).
    :param treatment: 0/1 or bool, one per row.
    :param outcome: binary 0/1 (effects are probability differences) or continuous.
    :param target: ``"ate"`` — effect if everyone took the measure versus no one;
        ``"att"`` — effect on those who actually took it (needs only the control outcome model,
        so it tolerates a treated group too small to model).
    The options below are those of :func:`estimate_effects`, with its defaults.

    :param n_folds: cross-fitting folds, stratified by treatment (and binary outcome).
    :param random_state: seeds the folds and the default learners; ``None`` for fresh splits.
    :param propensity_model: a classifier with ``predict_proba``; default gradient boosting.
    :param outcome_model: a classifier (binary outcome) or regressor, fitted per arm; default
        gradient boosting.
    :param propensity_clip: bound for the estimated propensities, see
        :data:`DEFAULT_PROPENSITY_CLIP`; ``n_clipped`` in the result counts how many hit it.
    :param confidence: level of the normal interval.
    :raises EffectEstimationError: on inputs that cannot identify an effect.
    """
    return estimate_effects(X, treatment, outcome, targets=(target,), **options)[target]


def estimate_effects(
    X: pd.DataFrame | npt.ArrayLike,
    treatment: pd.Series[Any] | npt.ArrayLike,
    outcome: pd.Series[Any] | npt.ArrayLike,
    *,
    targets: Sequence[Target] = ("ate", "att"),
    n_folds: int = 5,
    random_state: int | None = 0,
    propensity_model: Any = None,
    outcome_model: Any = None,
    propensity_clip: float = DEFAULT_PROPENSITY_CLIP,
    confidence: float = 0.95,
) -> dict[Target, EffectEstimate]:
    """Like :func:`estimate_effect` for several targets, sharing one set of nuisance fits.

    Fitting the models dominates the cost, and sharing them makes ATE and ATT comparable:
    they differ only in whom they average over, not in the models' luck.
    """
    check_options(targets, n_folds, propensity_clip, confidence)
    features = encode_features(X)
    treated = binary_treatment(treatment)
    y, is_binary = numeric_outcome(outcome)
    check_sample(features, treated, y, n_folds)

    if propensity_model is None:
        propensity_model = _default_propensity_model(random_state)
    if outcome_model is None:
        outcome_model = _default_outcome_model(is_binary, random_state)
    nuisances = _cross_fit(
        features,
        treated,
        y,
        is_binary=is_binary,
        need_treated_outcome="ate" in targets,
        propensity_model=propensity_model,
        outcome_model=outcome_model,
        n_folds=n_folds,
        random_state=random_state,
    )
    results: dict[Target, EffectEstimate] = {}
    for target in targets:
        lower = propensity_clip if target == "ate" else 0.0
        propensity = clip_propensity(nuisances.propensity, lower, 1.0 - propensity_clip)
        n_clipped = int(np.count_nonzero(propensity != nuisances.propensity))
        if target == "ate":
            assert nuisances.treated_outcome is not None
            theta, influence = ate_influence(
                treated, y, propensity, nuisances.control_outcome, nuisances.treated_outcome
            )
        else:
            theta, influence = att_influence(treated, y, propensity, nuisances.control_outcome)
        estimate = influence_estimate(theta, influence)
        ci_low, ci_high = estimate.interval(confidence)
        results[target] = EffectEstimate(
            estimate=theta,
            std_error=estimate.se,
            ci_low=ci_low,
            ci_high=ci_high,
            n=len(y),
            n_treated=int(treated.sum()),
            target=target,
            outcome_kind="binary" if is_binary else "continuous",
            confidence=confidence,
            propensity_clip=propensity_clip,
            n_clipped=n_clipped,
        )
    return results


def _cross_fit(
    features: FloatArray,
    treated: IntArray,
    y: FloatArray,
    *,
    is_binary: bool,
    need_treated_outcome: bool,
    propensity_model: Any,
    outcome_model: Any,
    n_folds: int,
    random_state: int | None,
) -> _Nuisances:
    n = len(y)
    propensity = np.empty(n)
    mu0 = np.empty(n)
    mu1 = np.empty(n) if need_treated_outcome else None
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=random_state)
    strata = _strata(treated, y, is_binary=is_binary, n_folds=n_folds)
    for train, test in folds.split(features, strata):
        x_train, t_train, y_train = features[train], treated[train], y[train]
        propensity[test] = _fit_predict(
            propensity_model, x_train, t_train.astype(np.float64), features[test], binary=True
        )
        control = t_train == 0
        mu0[test] = _fit_predict(
            outcome_model, x_train[control], y_train[control], features[test], binary=is_binary
        )
        if mu1 is not None:
            mu1[test] = _fit_predict(
                outcome_model,
                x_train[~control],
                y_train[~control],
                features[test],
                binary=is_binary,
            )
    return _Nuisances(propensity=propensity, control_outcome=mu0, treated_outcome=mu1)


def _strata(treated: IntArray, y: FloatArray, *, is_binary: bool, n_folds: int) -> IntArray:
    """Stratify by arm, and by outcome too when every arm-outcome cell fills all folds."""
    if is_binary:
        cells = treated * 2 + y.astype(np.int64)
        if np.bincount(cells, minlength=4).min() >= n_folds:
            return cells
    return treated


def _fit_predict(
    model: Any, x_train: FloatArray, y_train: FloatArray, x_test: FloatArray, *, binary: bool
) -> FloatArray:
    """Fit a fresh clone and predict.

    A binary target with fewer than :data:`MIN_CLASS_COUNT` cases of either class gets its
    base rate: no learner can say more, and many refuse to fit (or to hold out a validation
    split) at all.
    """
    if binary:
        positives = int(y_train.sum())
        if min(positives, len(y_train) - positives) < MIN_CLASS_COUNT:
            return np.full(len(x_test), positives / len(y_train))
        fitted = clone(model).fit(x_train, y_train.astype(np.int64))
        return np.asarray(fitted.predict_proba(x_test)[:, 1], dtype=np.float64)
    fitted = clone(model).fit(x_train, y_train)
    return np.asarray(fitted.predict(x_test), dtype=np.float64)


def _default_propensity_model(random_state: int | None) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(**_boosting_params(random_state))


def _default_outcome_model(
    is_binary: bool, random_state: int | None
) -> HistGradientBoostingClassifier | HistGradientBoostingRegressor:
    if is_binary:
        return HistGradientBoostingClassifier(**_boosting_params(random_state))
    return HistGradientBoostingRegressor(**_boosting_params(random_state))


def _boosting_params(random_state: int | None) -> dict[str, Any]:
    """Small, regularised trees; the number of rounds is picked on held-out rows of each fit.

    Complexity then grows with the data. Regularisation matters most for the propensity: with
    few participants among many non-participants (LaLonde's CPS sample), unregularised
    boosting separates them almost perfectly, and the resulting extreme weights made the ATT
    interval several times wider (see ``bench/effects/RESULTS.md``).
    """
    return {
        "learning_rate": 0.1,
        "max_iter": 500,
        "max_leaf_nodes": 8,
        "min_samples_leaf": 40,
        "l2_regularization": 1.0,
        "early_stopping": True,
        "validation_fraction": 0.15,
        "n_iter_no_change": 10,
        "random_state": random_state,
    }
