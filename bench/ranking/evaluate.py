"""Policy evaluation on a synthetic world; writes bench/ranking/results.json.

Usage: .venv/bin/python -m bench.ranking.evaluate --episodes 1000000 --test 1000
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from training.evaluation.worlds import evaluate_policies
from training.ranking.ranker import EffectRanker
from training.synthetic import generate_world


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=0)
    parser.add_argument("--offers", type=int, default=1000)
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dr-correction", type=float, default=0.5)
    parser.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    args = parser.parse_args()
    started = time.perf_counter()
    world = generate_world(
        n_people=args.people or args.episodes // 5,
        n_offers=args.offers,
        n_episodes=args.episodes,
        seed=args.seed,
    )
    ranker = EffectRanker(dr_correction=args.dr_correction, random_state=args.seed)
    results = evaluate_policies(world, n_test=args.test, seed=args.seed, ranker=ranker)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["args"] = vars(args)
    Path(args.out).write_text(json.dumps(results, indent=2))
    for k in ("top1", "top5"):
        print(k)
        for policy, values in results[k].items():
            print(f"  {policy:18s}", " ".join(f"{g}={v:.2f}" for g, v in values.items()))


if __name__ == "__main__":
    main()
