"""Code-based fit between a person's target occupations and an offer's (KldB 2010 prefixes)."""

from __future__ import annotations

import numpy as np

from training.data.encoding import FloatArray, IntArray


def occupation_fit(profile_targets: IntArray, offer_targets: IntArray) -> FloatArray:
    """Code-based fit in [0, 1] between rows of profile and offer KldB codes (broadcast).

    Same 5-digit type: 1.0; same 4-digit subgroup (other skill level): 0.7; same 3-digit group:
    0.5; same 2-digit main group: 0.25. Offers without target occupations fit 0.
    """
    one_profile = profile_targets.ndim == 1 or (
        profile_targets.ndim == 2 and profile_targets.shape[0] == 1
    )
    if one_profile and offer_targets.ndim == 2:
        return _fit_one(profile_targets.reshape(-1), offer_targets)
    p = profile_targets[..., :, None]
    o = offer_targets[..., None, :]
    valid = (p >= 0) & (o >= 0)
    score = np.where(valid & (p == o), 1.0, 0.0)
    score = np.maximum(score, np.where(valid & (p // 10 == o // 10), 0.7, 0.0))
    score = np.maximum(score, np.where(valid & (p // 100 == o // 100), 0.5, 0.0))
    score = np.maximum(score, np.where(valid & (p // 1000 == o // 1000), 0.25, 0.0))
    result: FloatArray = score.max(axis=(-1, -2))
    return result


_FIT_LEVELS = ((1000, 0.25), (100, 0.5), (10, 0.7), (1, 1.0))


def _fit_one(targets: IntArray, offer_targets: IntArray) -> FloatArray:
    """``occupation_fit`` of one profile against many offers (same values, less work)."""
    result: FloatArray = np.zeros(offer_targets.shape[0])
    wanted = [int(t) for t in targets if t >= 0]
    if not wanted:
        return result
    columns = [offer_targets[:, j] for j in range(offer_targets.shape[1])]
    for divisor, value in _FIT_LEVELS:
        # Missing codes (-1) floor-divide to -1 and never equal a valid code's prefix.
        codes = [c // divisor for c in columns]
        hit = np.zeros(offer_targets.shape[0], dtype=bool)
        for t in {t // divisor for t in wanted}:
            for c in codes:
                hit |= c == t
        result[hit] = value  # levels ascend, so a finer match overwrites a coarser one
    return result
