"""Retrain end-to-end on N synthetic episodes: wall time and peak memory (RSS).

Usage: .venv/bin/python -m bench.retrain.run_bench --episodes 100000 [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from training.release.retrain import RetrainConfig, run_retrain, synthetic_history


def run(n: int, seed: int, threads: int) -> dict[str, float]:
    started = time.perf_counter()
    episodes, offers = synthetic_history(n, seed=seed)
    generated = time.perf_counter()
    steps: dict[str, float] = {}
    result = run_retrain(
        episodes,
        offers,
        config=RetrainConfig(random_state=seed, threads=threads),
        progress=lambda s: steps.__setitem__(s, round(time.perf_counter() - generated, 1)),
    )
    done = time.perf_counter()
    return {
        "episodes": n,
        "threads": threads,
        "offers": len(offers),
        "generate_s": round(generated - started, 1),
        "retrain_s": round(done - generated, 1),
        "steps_started_at_s": steps,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
        "gates_passed": result.gates.passed,
        "n_train": result.n_train,
        "n_test": result.n_test,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--episodes", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=RetrainConfig().threads)
    args = parser.parse_args()
    print(json.dumps(run(args.episodes, args.seed, args.threads)))


if __name__ == "__main__":
    main()
