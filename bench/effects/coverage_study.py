"""Coverage study: does ``estimate_effect`` recover known effects under creaming, with honest
intervals?

Each replication draws a fresh confounded sample (``design.py``), estimates the ATE and ATT
with the public API and compares the naive difference in means with the doubly robust estimate.
A single large run checks that the remaining bias is not hidden by sampling noise.

Usage::

    .venv/bin/python bench/effects/coverage_study.py --replications 200 --n 2000 --workers 2

Writes a Markdown table to stdout (and ``--output`` if given) and raw rows to ``--raw-csv``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from design import OutcomeKind, draw, true_effects
from threadpoolctl import threadpool_limits

from training.evaluation.effects import Target, estimate_effects

KINDS: tuple[OutcomeKind, ...] = ("binary", "continuous")
TARGETS: tuple[Target, ...] = ("ate", "att")
_THREAD_LIMIT: Any = None


#: What a replication keeps of each estimate.
ESTIMATE_FIELDS = ("estimate", "std_error", "ci_low", "ci_high", "n_clipped")


@dataclass(frozen=True)
class Replication:
    kind: str
    target: str
    seed: int
    n: int
    truth: float
    naive: float
    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    n_clipped: int
    seconds: float
    cpu_seconds: float


def naive_difference(treatment: np.ndarray, outcome: np.ndarray) -> float:
    """Participants' mean outcome minus non-participants': what a success-rate model learns."""
    return float(outcome[treatment == 1].mean() - outcome[treatment == 0].mean())


def run_one(job: tuple[OutcomeKind, int, int, dict[str, float]]) -> list[Replication]:
    """One replication: both targets from one set of cross-fitted models."""
    kind, seed, n, truth = job
    sample = draw(seed, n, kind)
    started, cpu_started = time.perf_counter(), time.process_time()
    results = estimate_effects(
        sample.X, sample.treatment, sample.outcome, targets=TARGETS, random_state=seed
    )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    naive = naive_difference(sample.treatment, sample.outcome)
    return [
        Replication(
            kind=kind,
            target=target,
            seed=seed,
            n=n,
            truth=truth[target],
            naive=naive,
            seconds=seconds,
            cpu_seconds=cpu_seconds,
            **{name: getattr(result, name) for name in ESTIMATE_FIELDS},
        )
        for target, result in results.items()
    ]


def _single_thread() -> None:
    """One OpenMP/BLAS thread per process: small boosting fits gain nothing from threads, and
    on a busy host OpenMP threads spin-wait for each other (measured: 10-40x slower)."""
    global _THREAD_LIMIT
    _THREAD_LIMIT = threadpool_limits(1)


def run_all(
    jobs: Sequence[tuple[OutcomeKind, int, int, dict[str, float]]], workers: int
) -> Iterator[Replication]:
    with ProcessPoolExecutor(max_workers=workers, initializer=_single_thread) as pool:
        for rows in pool.map(run_one, jobs, chunksize=4):
            yield from rows


def summarise(rows: pd.DataFrame) -> pd.DataFrame:
    """Per outcome kind and target: bias, RMSE, coverage (with its Monte Carlo error), width."""
    scale = np.where(rows["kind"] == "binary", 100.0, 1.0)  # binary: percentage points
    scaled = rows.assign(
        truth=rows["truth"] * scale,
        naive=rows["naive"] * scale,
        estimate=rows["estimate"] * scale,
        std_error=rows["std_error"] * scale,
        width=(rows["ci_high"] - rows["ci_low"]) * scale,
        covered=(rows["ci_low"] <= rows["truth"]) & (rows["truth"] <= rows["ci_high"]),
    )
    out = []
    for (kind, target), group in scaled.groupby(["kind", "target"], sort=False):
        truth = float(group["truth"].iloc[0])
        coverage = float(group["covered"].mean())
        out.append(
            {
                "outcome": kind,
                "target": str(target).upper(),
                "n": int(group["n"].iloc[0]),
                "reps": len(group),
                "true effect": truth,
                "naive mean": group["naive"].mean(),
                "naive bias": group["naive"].mean() - truth,
                "DR mean": group["estimate"].mean(),
                "DR bias": group["estimate"].mean() - truth,
                "DR bias MC s.e.": group["estimate"].std(ddof=1) / np.sqrt(len(group)),
                "DR RMSE": float(np.sqrt(np.mean((group["estimate"] - truth) ** 2))),
                "DR sd": group["estimate"].std(ddof=1),
                "mean s.e.": group["std_error"].mean(),
                "coverage 95%": coverage,
                "coverage MC s.e.": float(np.sqrt(coverage * (1 - coverage) / len(group))),
                "mean CI width": group["width"].mean(),
                "mean clipped": group["n_clipped"].mean(),
                "CPU s per rep": group["cpu_seconds"].mean(),
            }
        )
    return pd.DataFrame(out)


def large_runs(n: int, truths: dict[OutcomeKind, dict[str, float]]) -> pd.DataFrame:
    """One big sample per kind: with tiny sampling noise, the bias left is the method's own."""
    rows = []
    for kind in KINDS:
        sample = draw(987_654, n, kind)
        scale = 100.0 if kind == "binary" else 1.0
        naive = naive_difference(sample.treatment, sample.outcome) * scale
        started = time.process_time()
        results = estimate_effects(sample.X, sample.treatment, sample.outcome, targets=TARGETS)
        cpu_seconds = time.process_time() - started
        for target, result in results.items():
            truth = truths[kind][target] * scale
            low, high = result.ci_low * scale, result.ci_high * scale
            rows.append(
                {
                    "outcome": kind,
                    "target": target.upper(),
                    "n": n,
                    "true effect": truth,
                    "naive": naive,
                    "naive bias": naive - truth,
                    "DR": result.estimate * scale,
                    "DR bias": result.estimate * scale - truth,
                    "95% CI": f"[{low:.2f}, {high:.2f}]",
                    "covers truth": low <= truth <= high,
                    "CPU s (both targets)": cpu_seconds,
                }
            )
    return pd.DataFrame(rows)


def markdown_table(frame: pd.DataFrame) -> str:
    """Pipe table without extra dependencies; floats to three decimals."""

    def cell(value: object) -> str:
        if isinstance(value, float | np.floating):
            return f"{value:.3f}"
        return str(value)

    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    # os.cpu_count, not `nproc`: nproc reports OMP_NUM_THREADS when that is set.
    return f"{os.cpu_count()} cores, CPU: {cpu}, Python {platform.python_version()}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--n", type=int, default=2000, help="sample size per replication")
    parser.add_argument("--large-n", type=int, default=50_000, help="0 skips the large run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--output", type=Path, help="also write the Markdown report here")
    parser.add_argument("--raw-csv", type=Path, help="write one row per replication here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    truths = {kind: true_effects(kind) for kind in KINDS}
    jobs = [
        (kind, seed, args.n, truths[kind])
        for kind in args.kinds
        for seed in range(args.replications)
    ]
    rows = pd.DataFrame([asdict(r) for r in run_all(jobs, args.workers)])
    study_seconds = time.perf_counter() - started
    if args.raw_csv:
        rows.to_csv(args.raw_csv, index=False)
    report = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}",
        f"Command: {' '.join([Path(sys.executable).name, *sys.argv])}",
        "",
        "Binary outcome in percentage points, continuous outcome in days employed.",
        "",
        markdown_table(summarise(rows)),
        "",
        f"Replications took {study_seconds:.0f} s wall time with {args.workers} worker(s) "
        f"(load average at the end: {os.getloadavg()[0]:.1f}).",
    ]
    if args.large_n:
        _single_thread()
        large_started = time.perf_counter()
        report += ["", markdown_table(large_runs(args.large_n, truths))]
        report.append(f"Large runs took {time.perf_counter() - large_started:.0f} s wall time.")
    text = "\n".join(report)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
