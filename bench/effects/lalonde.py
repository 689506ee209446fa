"""LaLonde check: does ``estimate_effect`` recover the NSW experiment from survey controls?

The NSW job-training experiment (LaLonde 1986; Dehejia & Wahba 1999 sample, 185 treated)
gives an experimental effect on 1978 earnings of about $1,794. Replacing the experimental
controls by 15,992 CPS respondents makes a naive comparison badly negative; a good
observational estimator of the ATT should land near the experiment.

The data come from the ``causaldata`` package (MIT licence), read straight from the Stata files
it ships, so nothing is downloaded at run time and its ``statsmodels`` dependency is not needed::

    pip install --no-deps --target /tmp/causaldata_pkg causaldata
    PYTHONPATH=/tmp/causaldata_pkg .venv/bin/python bench/effects/lalonde.py
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sklearn.linear_model import LinearRegression, LogisticRegression
from threadpoolctl import threadpool_limits

from training.evaluation.effects import estimate_effect

COVARIATES = ["age", "educ", "black", "hisp", "marr", "nodegree", "re74", "re75"]


def data_dir() -> Path | None:
    """Where ``causaldata`` is installed, found without importing it (that needs statsmodels)."""
    spec = importlib.util.find_spec("causaldata")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def load(name: str, root: Path) -> pd.DataFrame:
    return pd.read_stata(root / name / f"{name}.dta")


def features(frame: pd.DataFrame) -> pd.DataFrame:
    """Dehejia-Wahba covariates: zero-earnings indicators and squares for the linear models."""
    x = frame[COVARIATES].astype(float)
    return x.assign(
        u74=(x["re74"] == 0).astype(float),
        u75=(x["re75"] == 0).astype(float),
        age2=x["age"] ** 2,
        educ2=x["educ"] ** 2,
        re74_2=x["re74"] ** 2,
        re75_2=x["re75"] ** 2,
    )


def experimental_benchmark(nsw: pd.DataFrame) -> tuple[float, float]:
    """Randomised difference in means and its Welch standard error."""
    treated = nsw.loc[nsw["treat"] == 1, "re78"].astype(float)
    control = nsw.loc[nsw["treat"] == 0, "re78"].astype(float)
    effect = treated.mean() - control.mean()
    std_error = np.sqrt(treated.var() / len(treated) + control.var() / len(control))
    return float(effect), float(std_error)


def linear_learners() -> dict[str, Any]:
    return {
        "propensity_model": LogisticRegression(max_iter=5_000),
        "outcome_model": LinearRegression(),
    }


def att_row(
    label: str, sample: pd.DataFrame, seeds: Sequence[int], **learners: Any
) -> dict[str, Any]:
    """ATT at seed 0 with its interval, plus the median over cross-fitting seeds."""
    x, t, y = features(sample), sample["treat"].astype(int), sample["re78"].astype(float)
    started = time.process_time()
    estimates = [
        estimate_effect(x, t, y, target="att", random_state=seed, **learners) for seed in seeds
    ]
    first = estimates[0]
    median = statistics.median(e.estimate for e in estimates)
    return {
        "sample / learners": label,
        "treated": first.n_treated,
        "controls": first.n_control,
        "ATT (seed 0)": f"{first.estimate:,.0f}",
        "95% CI": f"[{first.ci_low:,.0f}, {first.ci_high:,.0f}]",
        f"median over {len(seeds)} seeds": f"{median:,.0f}",
        "clipped": first.n_clipped,
        "CPU s": f"{time.process_time() - started:.1f}",
    }


def markdown_table(rows: list[dict[str, Any]]) -> str:
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(row[h]) for h in header) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="cross-fitting seeds per row")
    args = parser.parse_args(argv)
    root = data_dir()
    if root is None:
        print("LaLonde check skipped: the causaldata package is not installed (see docstring).")
        return 0
    limits = threadpool_limits(1)  # see coverage_study._single_thread
    nsw, cps = load("nsw_mixtape", root), load("cps_mixtape", root)
    observational = pd.concat([nsw[nsw["treat"] == 1], cps], ignore_index=True)
    benchmark, benchmark_se = experimental_benchmark(nsw)
    naive, _ = experimental_benchmark(observational)
    seeds = range(args.seeds)
    rows = [
        att_row("NSW experiment, gradient boosting (default)", nsw, seeds),
        att_row("NSW experiment, logistic + linear", nsw, seeds, **linear_learners()),
        att_row("NSW treated + CPS, gradient boosting (default)", observational, seeds),
        att_row("NSW treated + CPS, logistic + linear", observational, seeds, **linear_learners()),
    ]
    print(
        f"Experimental benchmark (difference in means): {benchmark:,.0f} (s.e. {benchmark_se:,.0f})"
    )
    print(f"Naive NSW treated vs CPS controls: {naive:,.0f}")
    print()
    print(markdown_table(rows))
    limits.restore_original_limits()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
