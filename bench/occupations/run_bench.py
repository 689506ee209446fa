"""Benchmark the occupation search: top-1/top-3 accuracy of the 5-digit code and latency.

The index is built once; every query is timed in-process after a warm-up, as a web worker
would run it. Prints a Markdown report and writes it to ``RESULTS.md`` next to this file.

    .venv/bin/python bench/occupations/run_bench.py [--eval-set PATH] [--output PATH]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shlex
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import rapidfuzz

from service.occupations import (
    OccupationIndex,
    OccupationMatch,
    load_classes,
    load_job_titles,
    normalise,
)

HERE = Path(__file__).parent
LIMIT = 10  # what the API returns by default
WARMUP_QUERIES = 50
TARGETS = {"top-1": 0.90, "top-3": 0.97, "p95 ms": 20.0}


@dataclass(frozen=True)
class Outcome:
    query: str
    expected: str
    kind: str
    source_title: str
    ambiguous: bool
    matches: list[OccupationMatch]
    millis: float
    cpu_millis: float

    @property
    def top1(self) -> bool:
        return bool(self.matches) and self.matches[0].code == self.expected

    @property
    def top3(self) -> bool:
        return self.expected in [m.code for m in self.matches[:3]]


class Ambiguity:
    """Which queries cannot be told apart from another code's title, whatever the matcher."""

    def __init__(self) -> None:
        self.codes_by_form: dict[str, set[str]] = defaultdict(set)
        for title in load_job_titles():
            self.codes_by_form[normalise(title.title)].add(title.kldb5)

    def __call__(self, row: dict[str, str]) -> bool:
        expected = row["expected_kldb5"]
        query = normalise(row["query"])
        if self.codes_by_form[normalise(row["source_title"])] - {expected}:
            return True  # the same title exists under another code
        if self.codes_by_form.get(query, set()) - {expected}:
            return True  # the query spells out another code's title
        if row["variation_kind"] == "drop_suffix":
            codes = {
                code
                for form, form_codes in self.codes_by_form.items()
                if form == query or form.startswith(query + " ")
                for code in form_codes
            }
            return len(codes) > 1  # the shortened title fits several codes
        return False


def run(rows: list[dict[str, str]], index: OccupationIndex) -> list[Outcome]:
    for row in rows[:WARMUP_QUERIES]:
        index.search(row["query"], limit=LIMIT)
    ambiguous = Ambiguity()
    outcomes = []
    for row in rows:
        started, cpu_started = time.perf_counter(), time.thread_time()
        matches = index.search(row["query"], limit=LIMIT)
        millis = (time.perf_counter() - started) * 1000
        cpu_millis = (time.thread_time() - cpu_started) * 1000
        outcomes.append(
            Outcome(
                query=row["query"],
                expected=row["expected_kldb5"],
                kind=row["variation_kind"],
                source_title=row["source_title"],
                ambiguous=ambiguous(row),
                matches=matches,
                millis=millis,
                cpu_millis=cpu_millis,
            )
        )
    return outcomes


def _share(hits: list[bool]) -> str:
    return f"{100 * sum(hits) / len(hits):.1f}%" if hits else "-"


def accuracy_table(outcomes: list[Outcome]) -> list[str]:
    lines = [
        "| variation kind | queries | top-1 | top-3 | ambiguous | top-1 without ambiguous |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    kinds = sorted({o.kind for o in outcomes})
    for label, group in [(k, [o for o in outcomes if o.kind == k]) for k in kinds] + [
        ("**all**", outcomes)
    ]:
        clear = [o.top1 for o in group if not o.ambiguous]
        lines.append(
            f"| {label} | {len(group)} | {_share([o.top1 for o in group])} "
            f"| {_share([o.top3 for o in group])} | {sum(o.ambiguous for o in group)} "
            f"| {_share(clear)} |"
        )
    return lines


def latency_table(outcomes: list[Outcome]) -> list[str]:
    lines = ["| clock | queries | p50 | p95 | p99 | max |", "|---|---:|---:|---:|---:|---:|"]
    for label, values in [
        ("wall (the target)", [o.millis for o in outcomes]),
        ("CPU of the thread", [o.cpu_millis for o in outcomes]),
    ]:
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        lines.append(
            f"| {label} | {len(values)} | {p50:.2f} ms | {p95:.2f} ms | {p99:.2f} ms "
            f"| {max(values):.2f} ms |"
        )
    return lines


def targets_table(outcomes: list[Outcome]) -> list[str]:
    measured = {
        "top-1": float(np.mean([o.top1 for o in outcomes])),
        "top-3": float(np.mean([o.top3 for o in outcomes])),
        "p95 ms": float(np.percentile([o.millis for o in outcomes], 95)),
    }
    lines = ["| target | goal | measured | met |", "|---|---:|---:|---|"]
    for name, goal in TARGETS.items():
        value = measured[name]
        met = value <= goal if name.endswith("ms") else value >= goal
        shown = (
            (f"≤ {goal:.0f}", f"{value:.2f}")
            if name.endswith("ms")
            else (
                f"≥ {100 * goal:.0f}%",
                f"{100 * value:.1f}%",
            )
        )
        lines.append(f"| {name} | {shown[0]} | {shown[1]} | {'yes' if met else 'no'} |")
    return lines


def misses_table(outcomes: list[Outcome]) -> list[str]:
    lines = [
        "| kind | query | expected | got (top-1) | in top-3 | ambiguous |",
        "|---|---|---|---|---|---|",
    ]
    for o in sorted((o for o in outcomes if not o.top1), key=lambda o: (o.kind, o.query)):
        got = f"{o.matches[0].code} {o.matches[0].title}" if o.matches else "(nothing)"
        lines.append(
            f"| {o.kind} | `{o.query}` | {o.expected} {o.source_title} | {got} "
            f"| {'yes' if o.top3 else 'no'} | {'yes' if o.ambiguous else 'no'} |"
        )
    return lines


def machine() -> list[str]:
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return [
        f"- CPU: {model}, `nproc` = {len(os.sched_getaffinity(0))}",
        f"- Python {platform.python_version()}, rapidfuzz {rapidfuzz.__version__}, "
        f"numpy {np.__version__}",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        "- Load average (1/5/15 min) at the end of the run: "
        + " / ".join(f"{load:.2f}" for load in os.getloadavg()),
    ]


def command() -> str:
    python = Path(sys.executable)
    if python.is_relative_to(Path.cwd()):
        python = python.relative_to(Path.cwd())
    return shlex.join([str(python), *sys.argv])


def report(outcomes: list[Outcome], build_seconds: float, entries: int, source: Path) -> str:
    ambiguous = sum(o.ambiguous for o in outcomes)
    return "\n".join(
        [
            "# Occupation search benchmark (KldB 2010)",
            "",
            f"Command (from the repository root): `{command()}`",
            "",
            *machine(),
            f"- Eval set: `{source.name}`, {len(outcomes)} queries; index of {entries} "
            f"normalised title forms built once in {build_seconds:.2f} s; "
            f"`search(query, limit={LIMIT})`, single thread, after {WARMUP_QUERIES} warm-up "
            "queries.",
            "",
            "## Targets",
            "",
            *targets_table(outcomes),
            "",
            "## Accuracy of the 5-digit code",
            "",
            f"{ambiguous} queries are *ambiguous*: the same normalised title exists under "
            "another code, the query spells out another code's title, or (dropped suffix) the "
            "shortened title starts titles of several codes. They stay in every figure; the "
            "last column leaves them out.",
            "",
            *accuracy_table(outcomes),
            "",
            "## Latency per query",
            "",
            "Wall-clock time is what a caller waits; the thread's CPU time shows the work "
            "itself when other processes compete for the two cores.",
            "",
            *latency_table(outcomes),
            "",
            "## Notes",
            "",
            "- The eval set comes from `.venv/bin/python bench/occupations/make_eval_set.py` "
            "(seed 2010, 60 queries per kind, round-robin over the ten KldB areas); the "
            "expected code is always the kldb5 of the source title.",
            "- `abbreviation`, `female_form`, `gender_notation` and `mwd` use spellings the "
            "matcher's rules know; they show the rules work, not how well unseen "
            "abbreviations would fare.",
            "- `drop_suffix` keeps the source title's code as the answer although the "
            "shortened title usually fits several codes; most of its misses are of that kind.",
            "- The scorer's weights were set on sets generated with other seeds (7, 11). The "
            "letter-swap-aware similarity was added after this set's one `typo_swap` miss, so "
            "that kind is not fully held out here.",
            "",
            "## Top-1 misses",
            "",
            *misses_table(outcomes),
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-set", type=Path, default=HERE / "eval_set.csv")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    with args.eval_set.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    started = time.perf_counter()
    index = OccupationIndex.from_entries(load_classes(), load_job_titles())
    build_seconds = time.perf_counter() - started
    outcomes = run(rows, index)
    text = report(outcomes, build_seconds, len(index), args.eval_set)
    args.output.write_text(text, encoding="utf-8")
    print(text.split("## Top-1 misses")[0].rstrip())
    print(f"\n(written to {args.output})")


if __name__ == "__main__":
    main()
