"""Evaluate a candidate ranker against the champion and baselines on the same held-out people.

Every policy picks, per person, the best eligible offer (or none) and is valued with the doubly
robust estimator of ``training.evaluation.policy_eval``; differences are paired per person.
The result is a plain dict (percentage points) that feeds the gates, the model card and the plots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from training.data.encoding import (
    FOCUS_GROUP_KEYS,
    FloatArray,
    OfferArrays,
    ProfileArrays,
    broadcast_grid,
    by_profile_blocks,
)
from training.data.features import OfferCatalog, profile_block
from training.evaluation.baselines import PredictedSuccess
from training.evaluation.dr import paired_difference
from training.evaluation.policy_eval import (
    Nuisance,
    dr_scores,
    expected_calibration_error,
    mean_estimate,
    observed_actions,
    policy_actions,
    top_choice,
)
from training.ranking.eligibility import Rule, rule_failures
from training.ranking.ranker import EffectRanker, RankerPrediction
from training.ranking.recommend import MIN_EFFECT
from training.ranking.rules import rules_matrix

#: Historical offers may have expired or be full today; that must not bias the evaluation.
IGNORED_RULES = int(Rule.START_DATE | Rule.SEATS)
IMPORTANCE_FEATURES = (
    "age_band",
    "gender",
    "citizenship",
    "german_level",
    "school_certificate",
    "vocational_qualification",
    "unemployment_months",
    "care_duties",
    "hours_available",
    "district",
)


@dataclass(frozen=True)
class PolicyChoice:
    choice: npt.NDArray[np.int64]  # offer column per person, -1 = none
    estimated_gain: FloatArray  # the policy's own estimate of the chosen offer's effect (or 0)


def group_masks(p: ProfileArrays) -> dict[str, npt.NDArray[np.bool_]]:
    masks = {}
    for key in FOCUS_GROUP_KEYS:
        member = p.focus_group(key)
        masks[key] = member
        masks[f"not_{key}"] = ~member
    return masks


def eligibility(p: ProfileArrays, o: OfferArrays) -> npt.NDArray[np.bool_]:
    """(profiles, offers): which offer each person may take, start dates and free seats aside
    (``IGNORED_RULES``)."""

    def block(b: ProfileArrays) -> npt.NDArray[np.bool_]:
        failures = rule_failures(*broadcast_grid(b, o), as_of=pd.Timestamp.min.date())
        result: npt.NDArray[np.bool_] = (failures & ~IGNORED_RULES) == 0
        return result

    return by_profile_blocks(p, block)


def serving_choice(
    prediction: RankerPrediction, eligible: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """The offer the service would put first (highest score among the offers it would show:
    supported, estimated gain of at least ``MIN_EFFECT``, interval reaching above zero)."""
    shown = (
        eligible
        & (prediction.score > -1.0)
        & (prediction.effect >= MIN_EFFECT)
        & (prediction.effect_high > 0)
    )
    return top_choice(prediction.score, shown, minimum=None)


def _model_choice(
    ranker: EffectRanker, p: ProfileArrays, catalog: OfferCatalog, eligible: npt.NDArray[np.bool_]
) -> tuple[PolicyChoice, Any]:
    prediction = ranker.predict(p, catalog)
    choice = serving_choice(prediction, eligible)
    rows = np.arange(len(p))
    gain = np.where(choice >= 0, prediction.effect[rows, np.maximum(choice, 0)], 0.0)
    return PolicyChoice(choice, gain), prediction


def _calibration(prediction: Any, offers: OfferArrays, test: pd.DataFrame) -> dict[str, Any]:
    y = test["employed_6m"].to_numpy(dtype=float)
    ids = test["offer_id"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
    pos = pd.Index(offers.offer_id).get_indexer(pd.Index(ids))
    untreated, treated = pos < 0, pos >= 0
    rows = np.nonzero(treated)[0]
    ece0, curve0 = expected_calibration_error(prediction.p_without[untreated, 0], y[untreated])
    ece1, curve1 = expected_calibration_error(prediction.p_with[rows, pos[rows]], y[rows])
    return {"p_without": ece0, "p_with": ece1, "curve_p_without": curve0, "curve_p_with": curve1}


def _qini(scores_rec: FloatArray, scores_none: FloatArray, gain: FloatArray) -> list[list[float]]:
    """Cumulative DR gain (pp of the whole group) when treating the top q% by estimated gain."""
    order = np.argsort(-gain, kind="stable")
    uplift = np.cumsum((scores_rec - scores_none)[order]) / max(gain.shape[0], 1)
    points = np.linspace(0, gain.shape[0], 21).astype(int)
    return [
        [float(q / max(gain.shape[0], 1)), float(100 * (uplift[q - 1] if q else 0.0))]
        for q in points
    ]


def evaluate(
    *,
    candidate: EffectRanker,
    champion: EffectRanker | None,
    nuisance: Nuisance,
    success: PredictedSuccess,
    test: pd.DataFrame,
    offers: pd.DataFrame,
    random_state: int = 0,
    importance_rows: int = 300,
) -> dict[str, Any]:
    """All figures the gates, the model card and the plots need (pp unless noted)."""
    p = ProfileArrays.from_frame(test)
    o = OfferArrays.from_frame(offers)
    catalog = OfferCatalog.from_arrays(o)
    eligible = eligibility(p, o)
    x = profile_block(p)
    observed = observed_actions(test, o)
    y = test["employed_6m"].to_numpy(dtype=float)

    cand, cand_pred = _model_choice(candidate, p, catalog, eligible)
    choices: dict[str, PolicyChoice] = {"candidate": cand}
    if champion is not None:
        choices["champion"], champ_pred = _model_choice(champion, p, catalog, eligible)
    rules = rules_matrix(p, o)
    zero = np.zeros(len(p))
    choices["rules"] = PolicyChoice(top_choice(rules, eligible, minimum=None), zero)
    choices["predicted_success"] = PolicyChoice(
        top_choice(success.score(p, o), eligible, minimum=None), zero
    )
    choices["no_measure"] = PolicyChoice(np.full(len(p), -1, dtype=np.int64), zero)
    reference = "champion" if champion is not None else "rules"

    scores = {
        name: dr_scores(nuisance, x, observed, y, policy_actions(c.choice, o))
        for name, c in choices.items()
    }
    policies: dict[str, Any] = {
        name: mean_estimate(s).as_dict()
        | {"no_recommendation_share": float(np.mean(choices[name].choice < 0))}
        for name, s in scores.items()
    }
    policies["observed_practice"] = mean_estimate(y).as_dict()
    groups: dict[str, Any] = {}
    for name, mask in group_masks(p).items():
        groups[name] = {
            "n": int(mask.sum()),
            "comparison": paired_difference(scores["candidate"][mask], scores[reference][mask]),
            "policy_value": {
                k: 100 * float(np.mean(s[mask])) if mask.any() else float("nan")
                for k, s in scores.items()
            },
            "dr_gain_vs_no_measure": paired_difference(
                scores["candidate"][mask], scores["no_measure"][mask]
            ),
            "estimated_gain_pp": 100 * float(np.mean(cand.estimated_gain[mask]))
            if mask.any()
            else float("nan"),
            "recommendation_rate": float(np.mean(cand.choice[mask] >= 0))
            if mask.any()
            else float("nan"),
            "reference_recommendation_rate": float(np.mean(choices[reference].choice[mask] >= 0))
            if mask.any()
            else float("nan"),
        }
    calibration = {"candidate": _calibration(cand_pred, o, test)}
    if champion is not None:
        calibration["champion"] = _calibration(champ_pred, o, test)
    qini = {"candidate": _qini(scores["candidate"], scores["no_measure"], cand.estimated_gain)}
    if champion is not None:
        qini["champion"] = _qini(
            scores["champion"], scores["no_measure"], choices["champion"].estimated_gain
        )
    return {
        "reference": reference,
        "n_eval": len(p),
        "n_offers": len(o),
        "mean_eligible_offers": float(eligible.sum(axis=1).mean()),
        "policies": policies,
        "comparison": paired_difference(scores["candidate"], scores[reference]),
        "calibration": {
            "p_without": calibration["candidate"]["p_without"],
            "p_with": calibration["candidate"]["p_with"],
        },
        "calibration_detail": calibration,
        "groups": groups,
        "no_recommendation_share": {
            "candidate": policies["candidate"]["no_recommendation_share"],
            "reference": policies[reference]["no_recommendation_share"],
        },
        "estimated_gain_pp": 100 * float(np.mean(cand.estimated_gain)),
        "dr_gain_vs_no_measure": paired_difference(scores["candidate"], scores["no_measure"]),
        "qini": qini,
        "feature_importance": permutation_importance(
            candidate, test, catalog, eligible, rows=importance_rows, random_state=random_state
        ),
    }


def permutation_importance(
    ranker: EffectRanker,
    test: pd.DataFrame,
    catalog: OfferCatalog,
    eligible: npt.NDArray[np.bool_],
    *,
    rows: int,
    random_state: int,
) -> dict[str, float]:
    """Mean absolute change (pp) of the best eligible offer's estimated effect when one profile
    feature is shuffled across people: how much the ranking leans on that feature."""
    rng = np.random.default_rng(random_state)
    take = np.sort(rng.choice(len(test), size=min(rows, len(test)), replace=False))
    sample = test.iloc[take].reset_index(drop=True)
    mask = eligible[take]

    def best(frame: pd.DataFrame) -> FloatArray:
        effect = ranker.predict(ProfileArrays.from_frame(frame), catalog).effect
        result: FloatArray = np.where(mask, effect, -np.inf).max(axis=1)
        return np.where(np.isfinite(result), result, 0.0)

    base = best(sample)
    importance = {}
    for feature in IMPORTANCE_FEATURES:
        shuffled = sample.copy()
        shuffled[feature] = rng.permutation(shuffled[feature].to_numpy())
        importance[feature] = float(100 * np.mean(np.abs(best(shuffled) - base)))
    return dict(sorted(importance.items(), key=lambda kv: -kv[1]))
