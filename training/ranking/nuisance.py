"""Stage 1 of the effect ranker: cross-fitted nuisance models (outcome and propensity).

Per person fold a gradient-boosted outcome model P(employed | profile, measure type taken or
none, offer) and a multinomial propensity model P(measure type | x), each trained on the other
folds, so that every nuisance prediction for a person comes from models that never saw them.
Also the small logistic helpers the ranker keeps for serving (no sklearn overhead per request).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit, softmax
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from training.data.encoding import N_MEASURE_TYPES, OfferArrays, ProfileArrays
from training.data.features import TREATMENT_COLUMN, outcome_features

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Nuisance:
    """Cross-fitted predictions for every training row, and the per-fold outcome models."""

    p0: F64  # P(employed | no measure, x), from the model that did not see the row
    propensity: F64  # (rows, N_MEASURE_TYPES + 1): no measure, then each measure type
    outcome: list[HistGradientBoostingClassifier]  # one per fold, trained on the other folds

    def outcome_with(
        self,
        p: ProfileArrays,
        o: OfferArrays,
        offer_rows: npt.NDArray[np.intp],
        fold: npt.NDArray[np.intp],
    ) -> F64:
        """P(employed | offer taken) per row, each from the model of the row's own fold."""
        mu = np.zeros(len(p))
        for k, model in enumerate(self.outcome):
            in_k = np.flatnonzero(fold == k)
            if in_k.size:
                features = outcome_features(p.take(in_k), o, offer_rows[in_k])
                mu[in_k] = model.predict_proba(features)[:, 1]
        return mu


@dataclass(frozen=True, slots=True)
class TrainingRows:
    """The training episodes as arrays, one entry per row: who, which offer was taken
    (position in ``offers``, -1 for none), its measure type (-1 for none), the profile block
    of the propensity model, the outcome, and the person fold of cross-fitting."""

    profiles: ProfileArrays
    offers: OfferArrays
    pos: npt.NDArray[np.intp]
    treatment: npt.NDArray[Any]
    x: npt.NDArray[Any]
    y: F64
    fold: npt.NDArray[np.intp]


def logistic(max_iter: int = 150) -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=max_iter)


def subsample(
    rng: np.random.Generator, index: npt.NDArray[np.intp], cap: int
) -> npt.NDArray[np.intp]:
    if index.shape[0] <= cap:
        return index
    return np.sort(rng.choice(index, size=cap, replace=False))


def fit_binary(
    x: npt.NDArray[Any], y: npt.NDArray[Any], min_rows: int = 30
) -> LogisticRegression | float:
    """A logistic model, or the mean outcome when there is too little data to fit one."""
    if y.shape[0] < min_rows or y.min() == y.max():
        return float(y.mean()) if y.shape[0] else 0.0
    with warnings.catch_warnings():
        # An L2-regularised nuisance model stopped at max_iter is close enough for stage 1.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return logistic().fit(x, y)


def fit_multinomial(x: npt.NDArray[Any], label: npt.NDArray[Any]) -> LogisticRegression:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return logistic(100).fit(x, label)


def person_folds(
    rng: np.random.Generator, person: npt.NDArray[Any], n_folds: int
) -> npt.NDArray[np.intp]:
    """A fold per row such that all rows of one person share it."""
    unique, inverse = np.unique(person, return_inverse=True)
    assignment = rng.permutation(unique.shape[0]) % n_folds
    result: npt.NDArray[np.intp] = assignment[inverse]
    return result


def outcome_model(iterations: int, random_state: int) -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        max_iter=iterations,
        learning_rate=0.1,
        max_leaf_nodes=31,
        min_samples_leaf=40,
        l2_regularization=1.0,
        categorical_features=[TREATMENT_COLUMN],
        early_stopping=False,
        random_state=random_state,
    )


def cross_fit(
    rng: np.random.Generator,
    data: TrainingRows,
    *,
    n_folds: int,
    max_rows: int,
    outcome_iterations: int,
    random_state: int,
) -> Nuisance:
    """Per person fold: a gradient-boosted outcome model over (profile, measure taken or none,
    offer) and a propensity model, each trained on the other folds."""
    p, o, pos, y, x, fold = data.profiles, data.offers, data.pos, data.y, data.x, data.fold
    n = y.shape[0]
    p0 = np.zeros(n)
    propensity = np.zeros((n, N_MEASURE_TYPES + 1))
    outcome_models: list[HistGradientBoostingClassifier] = []
    none = np.full(n, -1, dtype=np.intp)
    for k in range(n_folds):
        train, held = fold != k, np.flatnonzero(fold == k)
        rows = subsample(rng, np.nonzero(train)[0], max_rows)
        model = outcome_model(outcome_iterations, random_state).fit(
            outcome_features(p.take(rows), o, pos[rows]), y[rows]
        )
        p0[held] = model.predict_proba(outcome_features(p.take(held), o, none[held]))[:, 1]
        propensity[held] = _propensity(x[rows], data.treatment[rows] + 1, x[held])
        outcome_models.append(model)
    return Nuisance(p0, propensity, outcome_models)


def refit_outcome(
    rng: np.random.Generator,
    base: Nuisance,
    data: TrainingRows,
    weight: F64,
    *,
    max_rows: int,
    outcome_iterations: int,
    random_state: int,
) -> Nuisance:
    """``base`` with its outcome models refitted on the same folds with row weights ``weight``
    (a bootstrap draw over people). The propensities are kept: in the doubly robust part of
    the pseudo-outcome their error enters only at second order."""
    p, o, pos, y, fold = data.profiles, data.offers, data.pos, data.y, data.fold
    n = y.shape[0]
    p0 = np.zeros(n)
    outcome_models: list[HistGradientBoostingClassifier] = []
    none = np.full(n, -1, dtype=np.intp)
    for k in range(len(base.outcome)):
        held = np.flatnonzero(fold == k)
        rows = subsample(rng, np.flatnonzero(fold != k), max_rows)
        model = outcome_model(outcome_iterations, random_state).fit(
            outcome_features(p.take(rows), o, pos[rows]), y[rows], sample_weight=weight[rows]
        )
        p0[held] = model.predict_proba(outcome_features(p.take(held), o, none[held]))[:, 1]
        outcome_models.append(model)
    return Nuisance(p0, base.propensity, outcome_models)


@dataclass(frozen=True)
class Bootstrap:
    """Person index per training row, and per draw the person multipliers and the stage-1
    nuisance refitted with them."""

    person: npt.NDArray[np.intp]
    multipliers: list[F64]
    refits: list[Nuisance]


def bootstrap_refits(
    person: npt.NDArray[np.intp],
    data: TrainingRows,
    nuisance: Nuisance,
    *,
    draws: int,
    max_rows: int,
    outcome_iterations: int,
    random_state: int,
) -> Bootstrap:
    """``draws`` times: person multipliers ω ~ Exp(1) (a Bayesian bootstrap over people) and
    the stage-1 outcome models refitted with them. Drawn from their own random stream, so the
    point estimates do not depend on the number of draws."""
    rng = np.random.default_rng([random_state, 1])
    multipliers, refits = [], []
    for _ in range(draws):
        omega = rng.exponential(size=int(person.max()) + 1)[person]
        multipliers.append(omega)
        refits.append(
            refit_outcome(
                rng,
                nuisance,
                data,
                omega,
                max_rows=max_rows,
                outcome_iterations=outcome_iterations,
                random_state=random_state,
            )
        )
    return Bootstrap(person, multipliers, refits)


def _propensity(x: npt.NDArray[Any], label: npt.NDArray[Any], x_new: npt.NDArray[Any]) -> F64:
    model = fit_multinomial(x, label)
    out = np.full((x_new.shape[0], N_MEASURE_TYPES + 1), 1e-6)
    out[:, model.classes_.astype(int)] = model.predict_proba(x_new)
    return out


def proba_binary(model: LogisticRegression | float, x: npt.NDArray[Any]) -> F64:
    """``predict_proba(x)[:, 1]`` of a fitted binary logistic model, without sklearn overhead."""
    if isinstance(model, float):
        return np.full(x.shape[0], model)
    result: F64 = expit(x.astype(np.float64) @ model.coef_[0] + model.intercept_[0])
    return result


def proba_multinomial(model: LogisticRegression, x: npt.NDArray[Any]) -> F64:
    """P(class) on the full class range 0..N_MEASURE_TYPES (unseen classes get 0)."""
    scores = x.astype(np.float64) @ model.coef_.T + model.intercept_
    out = np.zeros((x.shape[0], N_MEASURE_TYPES + 1))
    if scores.shape[1] == 1:  # two classes: sklearn stores one row of coefficients
        p1 = expit(scores[:, 0])
        out[:, model.classes_.astype(int)] = np.column_stack([1.0 - p1, p1])
    else:
        out[:, model.classes_.astype(int)] = softmax(scores, axis=1)
    return out
