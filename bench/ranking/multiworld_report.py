"""Markdown tables from bench/ranking/multiworld*.json.

Usage: PYTHONPATH=. python -m bench.ranking.multiworld_report bench/ranking/multiworld.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

GROUPS = ("overall", "youth", "long_term_unemployed", "women", "migrants")


def _f(value: Any, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def tables(runs: list[dict[str, Any]]) -> str:
    lines = []
    for run in runs:
        lines.append(
            f"\n### {run['world']}, {run['episodes']:,} episodes (seed {run['seed']}, "
            f"{run['n_test']} held-out people, fit {run['fit_seconds']} s, "
            f"chosen {run['ranker_selection']}, calibration scale "
            f"{_f(run['ranker_calibration_scale'], 2)}, shows an offer to "
            f"{100 * run['ranker_show_share']:.0f} %)\n"
        )
        lines.append(
            "| policy | top-1 pp | top-1 % oracle | "
            + " | ".join(f"{g} % oracle" for g in GROUPS[1:])
            + " | top-5 % oracle | negative picks | predicted/true | 90 % coverage |"
        )
        lines.append("|" + " --- |" * (7 + len(GROUPS) - 1))
        for name, pol in run["policies"].items():
            pct = pol["top1_pct_oracle"]
            lines.append(
                f"| {name} | {_f(pol['top1_pp']['overall'], 2)} | {_f(pct['overall'])} | "
                + " | ".join(_f(pct[g]) for g in GROUPS[1:])
                + f" | {_f(pol['top5_pct_oracle']['overall'])}"
                + f" | {_f(pol.get('negative_share'), 2)}"
                + f" | {_f(pol.get('predicted_over_true'), 2)}"
                + f" | {_f(pol.get('coverage_90'), 2)} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    runs = []
    for path in sys.argv[1:]:
        runs.extend(json.loads(Path(path).read_text())["runs"])
    print(tables(runs))
