"""The main drivers of an estimated gain: the characteristics that raise it most for one person.

For an offer of measure type t the effect model's estimate is d·β_t on the design
d = [1, profile, pair, offer] (``training.data.features.effect_design``). Measured from the training
mean d̄_t of that design (weighted like the regression, ``EffectRanker.design_mean_``) it splits
exactly into contributions (d_j − d̄_j)·β_tj, which are summed into named feature groups
(``training.data.features.design_groups``; an interaction is shared equally among its groups).

When the estimate is shrunk toward the rules prior, the regression keeps the share
σ²/(σ² + v) of it (``training.ranking.prior.shrink``) and its contributions are weighted by
that share; when the prior's share is larger than one half, the rules' suitability of the
measure type is
named first. With the prior alone the estimate is a line in the rules score (suitability + 2 ×
occupation fit), so only those two can be its drivers. Only groups that raise the estimate by at
least ``MIN_CONTRIBUTION`` are named, largest first, ties in the fixed group order.

Computed per returned item from the stored inputs only (profile, offer, model): the same
snapshot and model give the same drivers. Each item is computed on its own, so the result does
not depend on which other items are returned with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from training.data.encoding import OfferArrays, ProfileArrays
from training.data.features import design_groups, effect_design
from training.ranking.ranker import EffectRanker
from training.ranking.rules import suitability

F64 = npt.NDArray[np.float64]
#: At most this many drivers are named per item.
DRIVER_COUNT = 3
#: A driver must raise the estimate by at least 0.1 percentage points.
MIN_CONTRIBUTION = 0.001
RULES_SUITABILITY = "rules_suitability"
OCCUPATION_FIT = "occupation_fit"


@dataclass(frozen=True)
class Contributions:
    """What raises or lowers each estimate, per offer (rows) and feature group (columns)."""

    keys: tuple[str, ...]  # the feature groups of the design, then ``RULES_SUITABILITY``
    value: F64  # (offers, keys), on the effect scale, each weighted by its share of the estimate
    prior_share: F64  # (offers,): the rules prior's share of the estimate (0 without shrinkage)
    prior_only: bool  # the estimate is the rules prior alone


def contributions(
    ranker: EffectRanker, profile: ProfileArrays, offers: OfferArrays, *, fit: F64
) -> Contributions | None:
    """The contributions to the estimates of one profile for ``offers`` (``fit`` their
    occupation fit); ``None`` for a model that predates the stored design means."""
    mean: F64 | None = getattr(ranker, "design_mean_", None)
    if mean is None:
        return None
    n = len(offers)
    fit = np.asarray(fit, dtype=np.float64)
    measure = offers.measure_type
    keys, groups = design_groups()
    value = np.zeros((n, len(keys) + 1))
    share = np.zeros(n)
    scale = float(getattr(ranker, "effect_scale", 1.0))
    prior: F64 | None = getattr(ranker, "prior_", None)
    signal: F64 | None = getattr(ranker, "signal_variance_", None)
    if not getattr(ranker, "prior_shrinkage", False) or prior is None or signal is None:
        prior = signal = None  # as in ``shrink``: the estimate alone
    # The prior's effect per unit of the rules score (suitability + 2 × fit), never negative.
    slope = 0.0 if prior is None else scale * float(prior[1])
    suits = suitability(profile, measure)
    prior_only = prior is not None and bool(getattr(ranker, "prior_only", False))
    if prior_only:
        value[:, keys.index(OCCUPATION_FIT)] = slope * 2.0 * fit
        value[:, -1] = slope * suits
        return Contributions((*keys, RULES_SUITABILITY), value, np.ones(n), True)
    design = effect_design(profile.take(np.zeros(n, dtype=np.intp)), offers, fit=fit)
    for i in range(n):  # one item at a time: the same values whatever else is returned
        arm = int(measure[i])
        d = design[i].astype(np.float64)
        keep = 1.0
        if signal is not None:
            total = float(signal[arm]) + max(float(d @ ranker.cov_[arm] @ d), 0.0)
            keep = float(signal[arm]) / total if total > 0 else 0.0
        share[i] = 1.0 - keep
        contribution = (d - mean[arm]) * ranker.coef_[arm]
        value[i, :-1] = scale * keep * (contribution[:, None] * groups).sum(0)
        value[i, -1] = share[i] * slope * suits[i]
    return Contributions((*keys, RULES_SUITABILITY), value, share, False)


def main_drivers(
    ranker: EffectRanker, profile: ProfileArrays, offers: OfferArrays, *, fit: F64
) -> list[tuple[str, ...]]:
    """Per offer (one profile, offers as rows, ``fit`` their occupation fit): the keys of
    ``training.ranking.labels.DRIVER_LABELS`` that raise the estimate most, largest first; an empty
    tuple when nothing raises it or the model predates the stored design means."""
    found = contributions(ranker, profile, offers, fit=fit)
    if found is None:
        return [()] * len(offers)
    keys = list(found.keys)
    if found.prior_only:  # a line in suitability and occupation fit, nothing else
        pick = [keys.index(RULES_SUITABILITY), keys.index(OCCUPATION_FIT)]
        return [_largest([keys[j] for j in pick], row[pick]) for row in found.value]
    result = []
    for row, share in zip(found.value, found.prior_share, strict=True):
        named = _largest(keys[:-1], row[:-1])
        if share > 0.5 and row[-1] >= MIN_CONTRIBUTION:
            named = (RULES_SUITABILITY, *named)[:DRIVER_COUNT]
        result.append(named)
    return result


def _largest(keys: list[str], contribution: F64) -> tuple[str, ...]:
    """The keys of the largest contributions of at least ``MIN_CONTRIBUTION``, largest first."""
    order = np.argsort(-contribution, kind="stable")
    order = order[contribution[order] >= MIN_CONTRIBUTION][:DRIVER_COUNT]
    return tuple(keys[j] for j in order)
