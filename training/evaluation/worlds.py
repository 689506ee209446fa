"""Policy evaluation on synthetic worlds: mean TRUE gain of each ranking policy's top-k.

Policies: random eligible, most popular, rules-only, "predicted success" (an outcome model
without causal correction), our EffectRanker and the oracle (true effects). Results are a dict of
overall and per-focus-group values (and their complements), in percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
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
)
from training.data.features import OfferCatalog
from training.evaluation.baselines import PredictedSuccess
from training.ranking.eligibility import rule_failures
from training.ranking.ranker import EffectRanker
from training.ranking.rules import rules_matrix
from training.synthetic import SyntheticWorld, true_effect_matrix

POLICIES = ("random", "popular", "rules", "predicted_success", "effect_ranker", "oracle")
EVAL_AS_OF = date(2025, 1, 1)


@dataclass(frozen=True)
class EvaluationSplit:
    train_episodes: pd.DataFrame
    test_profiles: pd.DataFrame


def person_split(
    world: SyntheticWorld, *, test_share: float = 0.2, n_test: int = 1000, seed: int = 0
) -> EvaluationSplit:
    """Held-out people: none of their episodes is used for training."""
    rng = np.random.default_rng([seed, 7919])  # independent of the world's own stream
    persons = world.profiles["person_id"].to_numpy()
    test = rng.random(persons.shape[0]) < test_share
    train_episodes = world.episodes[~world.episodes["person_id"].isin(persons[test])]
    test_people = world.profiles[test]
    take = np.sort(rng.choice(len(test_people), size=min(n_test, len(test_people)), replace=False))
    return EvaluationSplit(train_episodes, test_people.iloc[take].reset_index(drop=True))


def top_k_gain(
    scores: FloatArray, eligible: npt.NDArray[np.bool_], truth: FloatArray, k: int
) -> FloatArray:
    """Mean true gain of the k best-scored eligible offers per profile (ties: lower offer)."""
    masked = np.where(eligible, scores, -np.inf)
    order = np.argsort(-masked, axis=1, kind="stable")[:, :k]
    chosen_ok = np.take_along_axis(eligible, order, axis=1)
    gains = np.take_along_axis(truth, order, axis=1)
    count = chosen_ok.sum(axis=1)
    total = np.where(chosen_ok, gains, 0.0).sum(axis=1)
    result: FloatArray = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    return result


def policy_scores(
    world: SyntheticWorld,
    split: EvaluationSplit,
    ranker: EffectRanker,
    success: PredictedSuccess,
    p: ProfileArrays,
    o: OfferArrays,
    truth: FloatArray,
    seed: int,
) -> dict[str, FloatArray]:
    rng = np.random.default_rng(seed)
    counts = split.train_episodes["offer_id"].value_counts()
    popularity = counts.reindex(o.offer_id).fillna(0).to_numpy(dtype=float)
    catalog = OfferCatalog.from_arrays(o)
    return {
        "random": rng.random(truth.shape),
        "popular": np.broadcast_to(popularity, truth.shape),
        "rules": rules_matrix(p, o),
        "predicted_success": success.score(p, o),
        "effect_ranker": ranker.predict(p, catalog).score,
        "oracle": truth,
    }


def evaluate_policies(
    world: SyntheticWorld,
    *,
    n_test: int = 1000,
    ks: tuple[int, ...] = (1, 5),
    as_of: date = EVAL_AS_OF,
    seed: int = 0,
    ranker: EffectRanker | None = None,
) -> dict[str, Any]:
    """Fit on training people, score held-out people; gains in percentage points."""
    split = person_split(world, n_test=n_test, seed=seed)
    ranker = ranker if ranker is not None else EffectRanker(random_state=seed)
    ranker = ranker.fit(split.train_episodes, world.offers)
    success = PredictedSuccess(random_state=seed).fit(split.train_episodes, world.offers)
    p = ProfileArrays.from_frame(split.test_profiles)
    o = OfferArrays.from_frame(world.offers)
    grid_p, grid_o = broadcast_grid(p, o)
    eligible = rule_failures(grid_p, grid_o, as_of=as_of) == 0
    truth = true_effect_matrix(p, o, world.truth.quality_for(o.offer_id))
    scores = policy_scores(world, split, ranker, success, p, o, truth, seed)
    groups = {"overall": np.ones(len(p), dtype=bool)}
    for key in FOCUS_GROUP_KEYS:
        member = p.focus_group(key)
        groups[key] = member
        groups[f"not_{key}"] = ~member
    results: dict[str, Any] = {
        "n_test_profiles": len(p),
        "n_offers": len(o),
        "mean_eligible_offers": float(eligible.sum(1).mean()),
    }
    for k in ks:
        per_policy = {name: top_k_gain(s, eligible, truth, k) for name, s in scores.items()}
        results[f"top{k}"] = {
            name: {g: float(100 * gains[mask].mean()) for g, mask in groups.items()}
            for name, gains in per_policy.items()
        }
        results["group_sizes"] = {g: int(mask.sum()) for g, mask in groups.items()}
    return results
