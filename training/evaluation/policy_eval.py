"""Off-policy evaluation on observed outcomes: what would employment be under a ranking policy?

No ground truth exists for real data, so a policy's value is estimated with the doubly robust
(DR) estimator at the level of the measure type (15 actions: no measure + 14 types):

    score_i = mu(x_i, pi_i) + 1[A_i = pi_i] / e(A_i | x_i) * (Y_i - mu(x_i, A_i))

``mu`` (outcome model) and ``e`` (the counsellors' propensity) are nuisance models fitted on the
training split only, so they never saw the held-out rows. Scores are per person, which gives
standard errors and paired differences between policies (candidate minus champion) for free.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from training.data.encoding import N_MEASURE_TYPES, FloatArray, OfferArrays, ProfileArrays
from training.data.features import profile_block
from training.evaluation.dr import Z95, Estimate, aipw_scores, clip_propensity, mean_estimate

__all__ = [
    "Z95",
    "Estimate",
    "Nuisance",
    "dr_scores",
    "expected_calibration_error",
    "fit_nuisance",
    "mean_estimate",
    "observed_actions",
    "policy_actions",
    "top_choice",
]

BoolArray = npt.NDArray[np.bool_]
ActionArray = npt.NDArray[np.int64]  # -1 = no measure, 0..13 = measure type
PROPENSITY_FLOOR = 0.02


@dataclass(frozen=True)
class Nuisance:
    """Outcome and propensity models for the DR estimator (fitted on training rows)."""

    outcome: HistGradientBoostingClassifier
    propensity: LogisticRegression

    def mu(self, x: npt.NDArray[np.float32], actions: ActionArray) -> FloatArray:
        design = np.hstack([x, _action_one_hot(actions)])
        result: FloatArray = self.outcome.predict_proba(design)[:, 1]
        return result

    def propensity_of(self, x: npt.NDArray[np.float32], actions: ActionArray) -> FloatArray:
        proba = np.full((x.shape[0], N_MEASURE_TYPES + 1), 1e-6)
        proba[:, self.propensity.classes_.astype(int)] = self.propensity.predict_proba(x)
        chosen: FloatArray = proba[np.arange(x.shape[0]), actions + 1]
        return clip_propensity(chosen, PROPENSITY_FLOOR)


def _action_one_hot(actions: ActionArray) -> npt.NDArray[np.float32]:
    out = np.zeros((actions.shape[0], N_MEASURE_TYPES + 1), dtype=np.float32)
    out[np.arange(actions.shape[0]), actions + 1] = 1.0
    return out


def observed_actions(episodes: pd.DataFrame, offers: OfferArrays) -> ActionArray:
    """Measure type index each episode actually took (-1 when none)."""
    ids = episodes["offer_id"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
    pos = pd.Index(offers.offer_id).get_indexer(pd.Index(ids))
    result: ActionArray = np.where(pos >= 0, offers.measure_type[np.maximum(pos, 0)], -1).astype(
        np.int64
    )
    return result


def fit_nuisance(
    train: pd.DataFrame, offers: OfferArrays, *, max_rows: int = 40_000, random_state: int = 0
) -> Nuisance:
    rng = np.random.default_rng(random_state)
    if len(train) > max_rows:
        train = train.iloc[np.sort(rng.choice(len(train), size=max_rows, replace=False))]
    x = profile_block(ProfileArrays.from_frame(train))
    actions = observed_actions(train, offers)
    y = train["employed_6m"].to_numpy(dtype=bool)
    outcome = HistGradientBoostingClassifier(
        max_iter=150,
        learning_rate=0.08,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        random_state=random_state,
    ).fit(np.hstack([x, _action_one_hot(actions)]), y)
    propensity = LogisticRegression(C=1.0, max_iter=300).fit(x, actions + 1)
    return Nuisance(outcome=outcome, propensity=propensity)


def dr_scores(
    nuisance: Nuisance,
    x: npt.NDArray[np.float32],
    observed: ActionArray,
    y: FloatArray,
    policy: ActionArray,
) -> FloatArray:
    """Per-person DR scores of ``policy``; their mean is the policy's employment rate."""
    return aipw_scores(
        nuisance.mu(x, policy), y, observed == policy, nuisance.propensity_of(x, observed)
    )


def expected_calibration_error(
    predicted: FloatArray, observed: FloatArray, *, bins: int = 10
) -> tuple[float, list[dict[str, float]]]:
    """ECE over equal-frequency bins, plus the curve (mean predicted vs observed per bin)."""
    if predicted.shape[0] == 0:
        return float("nan"), []
    order = np.argsort(predicted, kind="stable")
    chunks = [c for c in np.array_split(order, min(bins, predicted.shape[0])) if c.size]
    curve = [
        {
            "predicted": float(predicted[c].mean()),
            "observed": float(observed[c].mean()),
            "n": int(c.size),
        }
        for c in chunks
    ]
    ece = sum(abs(p["predicted"] - p["observed"]) * p["n"] for p in curve) / predicted.shape[0]
    return float(ece), curve


def top_choice(
    scores: FloatArray, eligible: BoolArray, *, minimum: float | None
) -> npt.NDArray[np.int64]:
    """Column of the best eligible offer per row; -1 when none qualifies (or none beats
    ``minimum``, e.g. an effect of 0 for the effect ranker)."""
    masked = np.where(eligible, scores, -np.inf)
    best = np.argmax(masked, axis=1)
    best_score = masked[np.arange(masked.shape[0]), best]
    ok = np.isfinite(best_score)
    if minimum is not None:
        ok &= best_score > minimum
    result: npt.NDArray[np.int64] = np.where(ok, best, -1).astype(np.int64)
    return result


def policy_actions(choice: npt.NDArray[np.int64], offers: OfferArrays) -> ActionArray:
    result: ActionArray = np.where(
        choice >= 0, offers.measure_type[np.maximum(choice, 0)], -1
    ).astype(np.int64)
    return result
