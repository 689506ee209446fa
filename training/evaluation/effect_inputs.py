"""Inputs of the effect estimator: checked, converted to floats and encoded once, up front.

Everything here raises :class:`EffectEstimationError` for inputs that cannot identify an effect;
``training.evaluation.effects`` estimates from what it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class EffectEstimationError(ValueError):
    """The data cannot support an effect estimate (bad shapes, values or too few people)."""


def encode_features(X: pd.DataFrame | npt.ArrayLike) -> FloatArray:
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


def binary_treatment(treatment: pd.Series[Any] | npt.ArrayLike) -> IntArray:
    numeric = _float_vector(treatment, "treatment")
    if not np.isin(numeric, (0.0, 1.0)).all():
        raise EffectEstimationError("treatment must be binary (0/1 or bool).")
    return numeric.astype(np.int64)


def numeric_outcome(outcome: pd.Series[Any] | npt.ArrayLike) -> tuple[FloatArray, bool]:
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


def check_options(
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


def check_sample(features: FloatArray, treated: IntArray, y: FloatArray, n_folds: int) -> None:
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
