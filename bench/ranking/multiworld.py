"""The ranker against baselines, a library-style peer and the oracle on several synthetic worlds.

For each world (current, B, C) and history size, ``training.fit_ranker`` is fitted on the
training people and every policy is scored with the world's TRUE effects on the same held-out
people. Writes bench/ranking/multiworld.json.

Usage: PYTHONPATH=. python -m bench.ranking.multiworld --sizes 15000 50000 --test 1000
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from bench.ranking.econml_peer import EconmlDRPeer
from bench.ranking.worlds import world_b, world_c
from training.data.encoding import (
    FOCUS_GROUP_KEYS,
    FloatArray,
    OfferArrays,
    ProfileArrays,
)
from training.data.features import OfferCatalog, profile_block, raw_features
from training.evaluation.baselines import PredictedSuccess
from training.evaluation.offline_eval import eligibility, serving_choice
from training.ranking.recommend import MIN_EFFECT
from training.ranking.rules import rules_matrix
from training.release.retrain import RetrainConfig
from training.release.selection import fit_ranker
from training.synthetic import generate_world

Mask = npt.NDArray[np.bool_]


class TLearner:
    """Peer: one outcome model for participants (profile × offer) and one for non-participants."""

    def fit(self, episodes: pd.DataFrame, offers: pd.DataFrame) -> TLearner:
        o = OfferArrays.from_frame(offers)
        treated = episodes[episodes["offer_id"].notna()]
        control = episodes[episodes["offer_id"].isna()]
        pos = pd.Index(o.offer_id).get_indexer(pd.Index(treated["offer_id"].astype("int64")))
        x1 = raw_features(ProfileArrays.from_frame(treated), o.take(pos))
        x0 = profile_block(ProfileArrays.from_frame(control))
        kw: dict[str, Any] = {"max_iter": 150, "learning_rate": 0.1, "random_state": 0}
        self.m1 = HistGradientBoostingClassifier(**kw).fit(x1, treated["employed_6m"])
        self.m0 = HistGradientBoostingClassifier(**kw).fit(x0, control["employed_6m"])
        return self

    def effect(self, p: ProfileArrays, o: OfferArrays) -> FloatArray:
        rows = np.repeat(np.arange(len(p)), len(o))
        cols = np.tile(np.arange(len(o)), len(p))
        p1 = self.m1.predict_proba(raw_features(p.take(rows), o.take(cols)))[:, 1]
        p0 = self.m0.predict_proba(profile_block(p))[:, 1]
        result: FloatArray = p1.reshape(len(p), len(o)) - p0[:, None]
        return result


def top_k(scores: FloatArray, allowed: Mask, k: int) -> tuple[npt.NDArray[np.intp], Mask]:
    masked = np.where(allowed, scores, -np.inf)
    order = np.argsort(-masked, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(allowed, order, axis=1)


def metrics(
    name: str,
    scores: FloatArray,
    allowed: Mask,
    truth: FloatArray,
    groups: dict[str, Mask],
    predicted: FloatArray | None = None,
    low: FloatArray | None = None,
    high: FloatArray | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in (1, 5):
        order, ok = top_k(scores, allowed, k)
        gains = np.take_along_axis(truth, order, axis=1)
        per = np.where(ok.sum(1) > 0, np.where(ok, gains, 0).sum(1) / np.maximum(ok.sum(1), 1), 0)
        out[f"top{k}_pp"] = {g: 100 * float(per[m].mean()) for g, m in groups.items()}
        if k == 1:
            picked = ok[:, 0]
            true_pick = gains[:, 0][picked]
            out["picks"] = int(picked.sum())
            out["negative_share"] = float(np.mean(true_pick < 0)) if picked.any() else None
            if predicted is not None and picked.any():
                pred = np.take_along_axis(predicted, order, axis=1)[:, 0][picked]
                out["predicted_pp"] = 100 * float(pred.mean())
                out["true_of_picks_pp"] = 100 * float(true_pick.mean())
                out["predicted_over_true"] = float(pred.mean() / true_pick.mean())
            if low is not None and high is not None and picked.any():
                lo = np.take_along_axis(low, order, axis=1)[:, 0][picked]
                hi = np.take_along_axis(high, order, axis=1)[:, 0][picked]
                out["coverage_90"] = float(np.mean((lo <= true_pick) & (true_pick <= hi)))
    return out


def split_rng(seed: int) -> np.random.Generator:
    """The generator of the held-out split; ``run_one`` draws the random policy from it next."""
    return np.random.default_rng([seed, 7919])


def load_world(world_name: str, n_episodes: int, seed: int) -> Any:
    """The synthetic world ``current``, ``world_b`` or ``world_c`` with that much history."""
    if world_name == "current":
        return generate_world(
            n_people=n_episodes // 5, n_offers=1000, n_episodes=n_episodes, seed=seed
        )
    return {"world_b": world_b, "world_c": world_c}[world_name].generate(
        n_episodes=n_episodes, seed=seed
    )


def held_out_split(
    world: Any, n_test: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training episodes without the held-out people, and up to ``n_test`` of those people.

    The benches draw it from ``split_rng(seed)`` so that they score the same people.
    """
    persons = world.profiles["person_id"].to_numpy()
    held = rng.random(persons.shape[0]) < 0.2
    train = world.episodes[~world.episodes["person_id"].isin(persons[held])]
    test_people = world.profiles[held]
    take = np.sort(rng.choice(len(test_people), size=min(n_test, len(test_people)), replace=False))
    test = test_people.iloc[take].reset_index(drop=True)
    return train, test


def run_one(
    world_name: str, n_episodes: int, n_test: int, seed: int, *, econml: bool = False
) -> dict[str, Any]:
    started = time.perf_counter()
    world = load_world(world_name, n_episodes, seed)
    rng = split_rng(seed)
    train, test = held_out_split(world, n_test, rng)
    p = ProfileArrays.from_frame(test)
    o = OfferArrays.from_frame(world.offers)
    eligible = eligibility(p, o)
    truth = world.true_effects(test, world.offers)
    groups = {"overall": np.ones(len(p), dtype=bool)} | {
        key: p.focus_group(key) for key in FOCUS_GROUP_KEYS
    }
    t0 = time.perf_counter()
    ranker = fit_ranker(train, world.offers, random_state=seed)
    fit_seconds = time.perf_counter() - t0
    prediction = ranker.predict(p, OfferCatalog.from_arrays(o))
    shown = (
        eligible
        & (prediction.score > -1.0)
        & (prediction.effect >= MIN_EFFECT)
        & (prediction.effect_high > 0)
    )
    assert (
        serving_choice(prediction, eligible)
        == np.where(shown.any(1), top_k(prediction.score, shown, 1)[0][:, 0], -1)
    ).all()
    success = PredictedSuccess(random_state=seed).fit(train, world.offers)
    peer = TLearner().fit(train, world.offers)
    peer_effect = peer.effect(p, o)
    rules = rules_matrix(p, o)
    policies = {
        "random": metrics("random", rng.random(truth.shape), eligible, truth, groups),
        "rules": metrics("rules", rules, eligible, truth, groups),
        "predicted_success": metrics(
            "predicted_success", success.score(p, o), eligible, truth, groups
        ),
        "ranker": metrics(
            "ranker",
            prediction.score,
            shown,
            truth,
            groups,
            prediction.effect,
            prediction.effect_low,
            prediction.effect_high,
        ),
        "peer_t_learner": metrics(
            "peer", peer_effect, eligible, truth, groups, predicted=peer_effect
        ),
        "oracle": metrics("oracle", truth, eligible, truth, groups),
    }
    if econml:  # bench-only extra `peers`
        dr_effect = EconmlDRPeer().fit(train, world.offers).effect(p, o)
        policies["peer_econml_dr"] = metrics(
            "peer", dr_effect, eligible, truth, groups, predicted=dr_effect
        )
    for pol in policies.values():
        for k in ("top1_pp", "top5_pp"):
            pol[k.replace("_pp", "_pct_oracle")] = {
                g: 100 * v / policies["oracle"][k][g] for g, v in pol[k].items()
            }
    return {
        "world": world_name,
        "episodes": n_episodes,
        "seed": seed,
        "n_test": len(p),
        "group_sizes": {g: int(m.sum()) for g, m in groups.items()},
        "ranker_selection": ranker.selection_["chosen"],
        "ranker_calibration_scale": ranker.selection_["calibration"].get("scale"),
        # Each candidate's held-out DR gain over the first and its standard error (pp).
        "ranker_candidates": [
            {k: c[k] for k in ("params", "vs_first_pp", "vs_first_se_pp", "vs_rules_pp")}
            for c in ranker.selection_["candidates"]
        ],
        "ranker_show_share": float(shown.any(1).mean()),
        "fit_seconds": round(fit_seconds, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "load_average": os.getloadavg(),
        "policies": policies,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worlds", nargs="+", default=["current", "world_b", "world_c"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[15_000, 50_000])
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(Path(__file__).with_name("multiworld.json")))
    parser.add_argument("--threads", type=int, default=RetrainConfig().threads)
    parser.add_argument("--econml", action="store_true", help="add econml's DRLearner (extra)")
    args = parser.parse_args()
    threadpool_limits(limits=args.threads)  # as `qualimatch retrain` computes
    results = []
    for size in args.sizes:
        for name in args.worlds:
            r = run_one(name, size, args.test, args.seed, econml=args.econml)
            results.append(r)
            pol = r["policies"]
            print(
                name,
                size,
                r["fit_seconds"],
                {k: round(v["top1_pct_oracle"]["overall"], 1) for k, v in pol.items()},
                flush=True,
            )
            Path(args.out).write_text(json.dumps({"args": vars(args), "runs": results}, indent=2))


if __name__ == "__main__":
    main()
