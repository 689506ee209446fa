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
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import norm
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import OneHotEncoder, StandardScaler

__all__ = [
    "EffectEstimate",
    "EffectEstimationError",
    "Target",
    "estimate_effect",
    "estimate_effects",
]

Target = Literal["ate", "att"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: ATE clips propensities to ``[clip, 1 - clip]``, so no inverse weight exceeds 1 / clip = 100:
#: bounded variance where overlap is poor, at the price of a small bias there. ATT clips only
#: the top (control odds e / (1 - e) <= 99): near-zero propensities give controls unlike any
#: participant a near-zero weight, and raising them would pull the ATT toward the naive
#: contrast when few people are treated.
DEFAULT_PROPENSITY_CLIP = 0.01

#: Fewest cases of the rarer class for which a binary nuisance model is fitted at all.
MIN_CLASS_COUNT = 5


class EffectEstimationError(ValueError):
    """The data cannot support an effect estimate (bad shapes, values or too few people)."""


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


def estimate_effect(
    X: pd.DataFrame | npt.ArrayLike,
    treatment: pd.Series[Any] | npt.ArrayLike,
    outcome: pd.Series[Any] | npt.ArrayLike,
    *,
    target: Target = "ate",
    n_folds: int = 5,
    random_state: int | None = 0,
    propensity_model: Any = None,
    outcome_model: Any = None,
    propensity_clip: float = DEFAULT_PROPENSITY_CLIP,
    confidence: float = 0.95,
) -> EffectEstimate:
    """Estimate the average effect of ``treatment`` on ``outcome`` adjusting for ``X``.

    :param X: confounders, an array or a DataFrame (non-numeric and bool columns are one-hot
        encoded; missing values are allowed for the default learners).
    :param treatment: 0/1 or bool, one per row.
    :param outcome: binary 0/1 (effects are probability differences) or continuous.
    :param target: ``"ate"`` — effect if everyone took the measure versus no one;
        ``"att"`` — effect on those who actually took it (needs only the control outcome model,
        so it tolerates a treated group too small to model).
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
    return estimate_effects(
        X,
        treatment,
        outcome,
        targets=(target,),
        n_folds=n_folds,
        random_state=random_state,
        propensity_model=propensity_model,
        outcome_model=outcome_model,
        propensity_clip=propensity_clip,
        confidence=confidence,
    )[target]


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
    _check_options(targets, n_folds, propensity_clip, confidence)
    features = _encode_features(X)
    treated = _binary_treatment(treatment)
    y, is_binary = _numeric_outcome(outcome)
    _check_sample(features, treated, y, n_folds)

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
        propensity = np.clip(nuisances.propensity, lower, 1.0 - propensity_clip)
        n_clipped = int(np.count_nonzero(propensity != nuisances.propensity))
        if target == "ate":
            assert nuisances.treated_outcome is not None
            theta, influence = _aipw_ate(
                treated, y, propensity, nuisances.control_outcome, nuisances.treated_outcome
            )
        else:
            theta, influence = _dr_att(treated, y, propensity, nuisances.control_outcome)
        std_error, ci_low, ci_high = _normal_interval(theta, influence, confidence)
        results[target] = EffectEstimate(
            estimate=theta,
            std_error=std_error,
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


def _normal_interval(
    theta: float, influence: FloatArray, confidence: float
) -> tuple[float, float, float]:
    """Standard error from the influence function (its variance / n), and the interval."""
    std_error = float(np.sqrt(np.mean(influence**2) / len(influence)))
    z = float(norm.ppf(0.5 + confidence / 2.0))
    return std_error, theta - z * std_error, theta + z * std_error


def _aipw_ate(
    treated: IntArray, y: FloatArray, propensity: FloatArray, mu0: FloatArray, mu1: FloatArray
) -> tuple[float, FloatArray]:
    """AIPW score: the outcome models' contrast, corrected by weighted residuals."""
    scores = (
        mu1
        - mu0
        + treated * (y - mu1) / propensity
        - (1 - treated) * (y - mu0) / (1.0 - propensity)
    )
    theta = float(np.mean(scores))
    return theta, scores - theta


def _dr_att(
    treated: IntArray, y: FloatArray, propensity: FloatArray, mu0: FloatArray
) -> tuple[float, FloatArray]:
    """DR ATT score (Chernozhukov et al. 2018): controls reweighted by the propensity odds."""
    share_treated = float(np.mean(treated))
    residual = y - mu0
    odds = propensity / (1.0 - propensity)
    numerator = treated * residual - (1 - treated) * odds * residual
    theta = float(np.mean(numerator) / share_treated)
    return theta, (numerator - treated * theta) / share_treated


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


def _encode_features(X: pd.DataFrame | npt.ArrayLike) -> FloatArray:
    """Scale numbers and one-hot encode categories once, up front.

    The encoding looks at ``X`` only, never at treatment or outcome, so fitting it on all rows
    keeps the cross-fitted nuisance predictions honest and every fold sees every category.
    """
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(_as_2d(X))
    if frame.shape[1] == 0:
        raise EffectEstimationError("X has no columns.")
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    numeric = [
        c
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    categorical = [c for c in frame.columns if c not in numeric]
    if categorical:
        # One missing-value marker, whatever the column's dtype used (NaN, pd.NA, None).
        frame[categorical] = (
            frame[categorical].astype(object).where(frame[categorical].notna(), None)
        )
    encoder = ColumnTransformer(
        [
            ("numeric", StandardScaler(), numeric),
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                categorical,
            ),
        ],
        sparse_threshold=0.0,
    )
    return np.asarray(encoder.fit_transform(frame), dtype=np.float64)


def _as_2d(X: npt.ArrayLike) -> npt.NDArray[Any]:
    array = np.asarray(X)
    if array.ndim != 2:
        raise EffectEstimationError(f"X must be two-dimensional, got {array.ndim} dimension(s).")
    return array


def _binary_treatment(treatment: pd.Series[Any] | npt.ArrayLike) -> IntArray:
    numeric = _float_vector(treatment, "treatment")
    if not np.isin(numeric, (0.0, 1.0)).all():
        raise EffectEstimationError("treatment must be binary (0/1 or bool).")
    return numeric.astype(np.int64)


def _numeric_outcome(outcome: pd.Series[Any] | npt.ArrayLike) -> tuple[FloatArray, bool]:
    """Return the outcome as floats and whether it is binary (then probabilities are modelled)."""
    y = _float_vector(outcome, "outcome")
    return y, bool(np.isin(y, (0.0, 1.0)).all())


def _float_vector(values: pd.Series[Any] | npt.ArrayLike, name: str) -> FloatArray:
    """Floats by position (a Series' index is ignored); nullable dtypes' NA becomes NaN."""
    try:
        if isinstance(values, pd.Series):
            array = values.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise EffectEstimationError(f"{name} must be numeric or bool.") from exc
    if array.ndim != 1:
        raise EffectEstimationError(f"{name} must be one-dimensional.")
    if not np.isfinite(array).all():
        raise EffectEstimationError(f"{name} contains missing or infinite values.")
    return array


def _check_options(
    targets: Sequence[str], n_folds: int, propensity_clip: float, confidence: float
) -> None:
    if isinstance(targets, str) or not targets:
        raise EffectEstimationError("targets must be a non-empty sequence of 'ate'/'att'.")
    for target in targets:
        if target not in ("ate", "att"):
            raise EffectEstimationError(f"target must be 'ate' or 'att', got {target!r}.")
    if n_folds < 2:
        raise EffectEstimationError("n_folds must be at least 2 for cross-fitting.")
    if not 0.0 < propensity_clip < 0.5:
        raise EffectEstimationError("propensity_clip must lie strictly between 0 and 0.5.")
    if not 0.0 < confidence < 1.0:
        raise EffectEstimationError("confidence must lie strictly between 0 and 1.")


def _check_sample(features: FloatArray, treated: IntArray, y: FloatArray, n_folds: int) -> None:
    if not len(features) == len(treated) == len(y):
        raise EffectEstimationError(
            f"X, treatment and outcome differ in length: {len(features)}, {len(treated)}, {len(y)}."
        )
    n_treated = int(treated.sum())
    n_control = len(treated) - n_treated
    if n_treated == 0 or n_control == 0:
        raise EffectEstimationError("Both treated and control units are needed.")
    minimum = 2 * n_folds
    if min(n_treated, n_control) < minimum:
        raise EffectEstimationError(
            f"Each arm needs at least {minimum} units for {n_folds}-fold cross-fitting; "
            f"got {n_treated} treated and {n_control} controls."
        )
