"""Coverage of the ranker's 90 % intervals on the three synthetic worlds, per predict setting.

One ``EffectRanker`` fit per world (default settings, no selection, so that a change of the
interval can be compared on the same picks), then the top-1 picks of each setting of
``training.release.selection.CANDIDATES`` are scored with the world's TRUE effects: share of
picks whose
true effect lies in the interval, and the mean interval width. The truth only scores.

Usage: PYTHONPATH=. python -m bench.ranking.coverage --size 15000 --out coverage.json
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np

from bench.ranking.multiworld import held_out_split, load_world, split_rng, top_k
from training.data.encoding import OfferArrays, ProfileArrays
from training.data.features import OfferCatalog
from training.evaluation.offline_eval import eligibility
from training.ranking.ranker import EffectRanker
from training.ranking.recommend import MIN_EFFECT
from training.release.selection import (
    CANDIDATES,
    DEFAULT_CORRECTION,
    candidate_corrections,
    with_risk_aversion,
)


def run(world_name: str, n_episodes: int, n_test: int, seed: int) -> dict[str, Any]:
    world = load_world(world_name, n_episodes, seed)
    train, test = held_out_split(world, n_test, split_rng(seed))
    p = ProfileArrays.from_frame(test)
    o = OfferArrays.from_frame(world.offers)
    catalog = OfferCatalog.from_arrays(o)
    eligible = eligibility(p, o)
    truth = world.true_effects(test, world.offers)
    started, cpu = time.perf_counter(), time.process_time()
    ranker = EffectRanker(corrections=candidate_corrections(CANDIDATES), random_state=seed).fit(
        train, world.offers
    )
    out: dict[str, Any] = {
        "world": world_name,
        "episodes": n_episodes,
        "fit_seconds": round(time.perf_counter() - started, 1),
        "fit_cpu_seconds": round(time.process_time() - cpu, 1),
        "settings": [],
    }
    for params in CANDIDATES:
        model = ranker.for_correction(params.get("dr_correction", DEFAULT_CORRECTION))
        model.set_params(
            prior_shrinkage=params["prior_shrinkage"],
            prior_only=params.get("prior_only", False),
            risk_aversion=0.0,
        )
        pred = with_risk_aversion(model.predict(p, catalog), params["risk_aversion"])
        shown = (
            eligible & (pred.score > -1.0) & (pred.effect >= MIN_EFFECT) & (pred.effect_high > 0)
        )
        order, ok = top_k(pred.score, shown, 1)
        picked = ok[:, 0]
        col = order[:, 0][picked]
        rows = np.flatnonzero(picked)
        t, lo, hi = truth[rows, col], pred.effect_low[rows, col], pred.effect_high[rows, col]
        out["settings"].append(
            {
                "params": params,
                "picks": int(picked.sum()),
                "coverage_90": float(np.mean((lo <= t) & (t <= hi))),
                "mean_width_pp": 100 * float(np.mean(hi - lo)),
                "true_below_share": float(np.mean(t < lo)),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worlds", nargs="+", default=["current", "world_b", "world_c"])
    parser.add_argument("--size", type=int, default=15_000)
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    runs = []
    for name in args.worlds:
        runs.append(run(name, args.size, args.test, args.seed))
        print(json.dumps(runs[-1]), flush=True)
        with open(args.out, "w") as f:
            json.dump({"args": vars(args), "runs": runs}, f, indent=2)


if __name__ == "__main__":
    main()
