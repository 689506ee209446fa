"""Feature distributions of a training population and the population stability index (PSI).

The distributions are stored with each model version, so monitoring can compare today's
profiles with the data the champion learned from, without keeping that data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from models.columns import PROFILE_COLUMNS, Kind

#: Every category and yes/no profile column (``models.columns``), compared by category.
CATEGORICAL: tuple[str, ...] = tuple(
    c.name for c in PROFILE_COLUMNS if c.kind in (Kind.CATEGORY, Kind.FLAG)
)
#: Numeric profile columns, compared by these bins.
NUMERIC_EDGES: dict[str, list[float]] = {
    "unemployment_months": [0, 6, 12, 24, 36, 60],
    "hours_available": [0, 15, 20, 25, 30, 35, 40],
    "max_commute_minutes": [0, 20, 30, 45, 60, 90],
}
EPSILON = 1e-4
#: Rule of thumb: below 0.1 stable, 0.1–0.25 moderate shift, above 0.25 major shift.
PSI_MODERATE, PSI_MAJOR = 0.1, 0.25


def _bucket(series: pd.Series, feature: str) -> pd.Series:
    if feature in NUMERIC_EDGES:
        edges = NUMERIC_EDGES[feature]
        index = np.searchsorted(np.asarray(edges[1:]), series.to_numpy(dtype=float), side="right")
        labels = [f">={edges[i]}" for i in range(len(edges))]
        return pd.Series([labels[i] for i in index], index=series.index)
    return series.astype(str)


def feature_buckets(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Per profile feature: each row's category (or numeric bin), in row order."""
    if frame.empty:
        return {}
    return {
        feature: [str(v) for v in _bucket(frame[feature], feature)]
        for feature in (*CATEGORICAL, *NUMERIC_EDGES)
        if feature in frame.columns
    }


def feature_distributions(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Share of each category (or numeric bin) per profile feature."""
    result: dict[str, dict[str, float]] = {}
    for feature in (*CATEGORICAL, *NUMERIC_EDGES):
        if feature not in frame.columns or frame.empty:
            continue
        shares = _bucket(frame[feature], feature).value_counts(normalize=True)
        result[feature] = {str(k): float(v) for k, v in shares.items()}
    return result


def psi(reference: dict[str, float], current: dict[str, float]) -> float:
    keys = set(reference) | set(current)
    total = 0.0
    for key in keys:
        r = max(reference.get(key, 0.0), EPSILON)
        c = max(current.get(key, 0.0), EPSILON)
        total += (c - r) * float(np.log(c / r))
    return total


def drift_report(
    reference: dict[str, dict[str, float]], current: dict[str, dict[str, float]]
) -> dict[str, Any]:
    """PSI per feature present in both, with a level (stable / moderate / major)."""
    features = {}
    for feature, ref in reference.items():
        if feature not in current:
            continue
        value = psi(ref, current[feature])
        level = "major" if value > PSI_MAJOR else "moderate" if value > PSI_MODERATE else "stable"
        features[feature] = {"psi": round(value, 4), "level": level}
    return features
