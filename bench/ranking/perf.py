"""Latency of one recommendation over many offers, and fit time/memory by number of episodes.

Usage: .venv/bin/python bench/ranking/perf.py --offers 20000 --episodes 100000 300000 1000000
(``--episodes 0`` measures latency only). The first request per catalogue builds the per-model
precomputation and is not timed (the service builds its catalogue once per process).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from datetime import date
from pathlib import Path

import numpy as np

from training.data.features import OfferCatalog
from training.data.records import offer_records, profile_records
from training.ranking.ranker import EffectRanker
from training.ranking.recommend import recommend
from training.synthetic import generate_world

AS_OF = date(2025, 1, 1)


def latency(ranker: EffectRanker, n_offers: int, repeats: int) -> dict[str, float]:
    world = generate_world(n_people=200, n_offers=n_offers, n_episodes=10, seed=2)
    profiles = profile_records(world.profiles)
    offers = offer_records(world.offers)
    started = time.perf_counter()
    catalog = OfferCatalog.from_records(offers)
    build = time.perf_counter() - started
    recommend(ranker, profiles[0], catalog, k=10, as_of=AS_OF)  # per-catalogue precomputation
    timings, cpu = [], []
    for i in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        recommend(ranker, profiles[i % len(profiles)], catalog, k=10, as_of=AS_OF)
        cpu.append(time.process_time() - c)
        timings.append(time.perf_counter() - t)
    ms, cpu_ms = np.array(timings) * 1000, np.array(cpu) * 1000
    return {
        "offers": n_offers,
        "catalog_build_ms": round(build * 1000, 1),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
        "cpu_p50_ms": round(float(np.percentile(cpu_ms, 50)), 2),
        "cpu_p99_ms": round(float(np.percentile(cpu_ms, 99)), 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def fit_cost(n_episodes: int) -> dict[str, float]:
    world = generate_world(
        n_people=max(n_episodes // 5, 100), n_offers=1000, n_episodes=n_episodes, seed=3
    )
    started = time.perf_counter()
    ranker = EffectRanker().fit(world.episodes, world.offers)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del ranker
    return {
        "episodes": n_episodes,
        "fit_seconds": round(seconds, 1),
        "peak_rss_mb_process": round(peak_mb),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, nargs="+", default=[2000, 5000, 20000])
    parser.add_argument("--episodes", type=int, nargs="+", default=[50000])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--out", default=str(Path(__file__).with_name("perf.json")))
    args = parser.parse_args()
    small = generate_world(n_people=4000, n_offers=1000, n_episodes=20000, seed=1)
    ranker = EffectRanker().fit(small.episodes, small.offers)
    results = {
        "latency": [latency(ranker, n, args.repeats) for n in args.offers],
        "fit": [fit_cost(n) for n in args.episodes if n > 0],
    }
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
