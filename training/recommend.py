"""Rank eligible offers for one profile by estimated benefit (model) or by rules (fallback).

Deterministic: the same profile, offers, date and model give the same items; ties are broken by
``offer_id``. When no eligible offer is expected to help, no items are returned, with a message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt

from models.enums import RankingMode
from training.eligibility import rule_failures, travel_minutes, warnings_for
from training.encoding import ProfileArrays, occupation_fit
from training.explain import reasons_for
from training.features import OfferCatalog
from training.ranker import EffectRanker
from training.rules import suitability
from training.schema import OfferRecord, ProfileRecord

MIN_EFFECT = 0.005  # half a percentage point: below this an offer is not worth the lock-in
NO_HELP_MESSAGE = (
    "Nach unserer Schätzung verbessert keines der passenden Angebote die Beschäftigungschancen "
    "spürbar. Bitte prüfen Sie gemeinsam andere Wege, zum Beispiel eine direkte Vermittlung."
)
NO_ELIGIBLE_MESSAGE = "Derzeit erfüllt kein freigegebenes Angebot die Voraussetzungen."
UNCERTAIN_WARNING = "Wirkung unsicher: Die Spanne schließt auch keinen Zugewinn ein"
OccupationFit = Callable[[tuple[str, ...], tuple[str, ...]], float]


@dataclass(frozen=True, slots=True)
class RecommendationItem:
    rank: int
    offer_id: int
    title: str
    measure_type: str
    score: float
    p_without: float | None
    p_with: float | None
    effect_pp: float | None
    effect_interval_pp: tuple[float, float] | None
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecommendationResult:
    mode: RankingMode
    items: tuple[RecommendationItem, ...]
    message: str | None
    n_offers: int
    n_eligible: int


def _catalog(offers: Sequence[OfferRecord] | OfferCatalog) -> OfferCatalog:
    catalog = offers if isinstance(offers, OfferCatalog) else OfferCatalog.from_records(offers)
    if len(catalog.records) != len(catalog):
        raise ValueError("recommend needs the offer records (OfferCatalog.from_records)")
    return catalog


def _fits(
    profile: ProfileRecord,
    p: ProfileArrays,
    catalog: OfferCatalog,
    idx: npt.NDArray[np.intp],
    custom: OccupationFit | None,
) -> npt.NDArray[np.float64]:
    if custom is None:
        result: npt.NDArray[np.float64] = occupation_fit(p.targets, catalog.arrays.targets[idx])
        return result
    return np.array(
        [custom(profile.target_occupations, catalog.records[i].target_occupations) for i in idx],
        dtype=float,
    )


def _order(
    score: npt.NDArray[np.float64], offer_ids: npt.NDArray[np.int64]
) -> npt.NDArray[np.intp]:
    return np.lexsort((offer_ids, -score))


def recommend(
    ranker: EffectRanker | None,
    profile: ProfileRecord,
    offers: Sequence[OfferRecord] | OfferCatalog,
    *,
    k: int,
    as_of: date,
    mode: Literal["model", "rules"] | RankingMode = "model",
    occupation_fit: OccupationFit | None = None,
    min_effect: float = MIN_EFFECT,
) -> RecommendationResult:
    """Top-k eligible offers with scores, German reasons and warnings."""
    catalog = _catalog(offers)
    p = ProfileArrays.from_records([profile])
    idx = np.nonzero(rule_failures(p, catalog.arrays, as_of=as_of) == 0)[0]
    use_rules = ranker is None or RankingMode(mode) is RankingMode.RULES
    chosen_mode = RankingMode.RULES if use_rules else RankingMode.MODEL
    if idx.size == 0:
        return RecommendationResult(chosen_mode, (), NO_ELIGIBLE_MESSAGE, len(catalog), 0)
    fits = _fits(profile, p, catalog, idx, occupation_fit)
    minutes = travel_minutes(p, catalog.arrays.take(idx))
    if use_rules or ranker is None:
        score = suitability(p, catalog.arrays.measure_type[idx]) + 2.0 * fits
        top = _order(score, catalog.arrays.offer_id[idx])[:k]
        items = tuple(
            _item(
                rank,
                profile,
                catalog.records[idx[j]],
                float(score[j]),
                fits[j],
                int(minutes[j]),
                None,
            )
            for rank, j in enumerate(top, start=1)
        )
        return RecommendationResult(chosen_mode, items, None, len(catalog), int(idx.size))
    pred = ranker.predict_one(p, catalog, idx)
    effect, low, high = pred.effect[0], pred.effect_low[0], pred.effect_high[0]
    helpful = np.nonzero((effect >= min_effect) & (high > 0) & (pred.score[0] > -1.0))[0]
    if helpful.size == 0:
        return RecommendationResult(chosen_mode, (), NO_HELP_MESSAGE, len(catalog), int(idx.size))
    top = helpful[_order(pred.score[0][helpful], catalog.arrays.offer_id[idx[helpful]])][:k]
    items = tuple(
        _item(
            rank,
            profile,
            catalog.records[idx[j]],
            float(effect[j]),
            fits[j],
            int(minutes[j]),
            (
                float(pred.p_without[0, j]),
                float(pred.p_with[0, j]),
                float(effect[j]),
                float(low[j]),
                float(high[j]),
            ),
        )
        for rank, j in enumerate(top, start=1)
    )
    return RecommendationResult(chosen_mode, items, None, len(catalog), int(idx.size))


def _item(
    rank: int,
    profile: ProfileRecord,
    offer: OfferRecord,
    score: float,
    fit: float,
    minutes: int,
    estimate: tuple[float, float, float, float, float] | None,
) -> RecommendationItem:
    warnings = warnings_for(profile, offer)
    if estimate is None:
        return RecommendationItem(
            rank,
            offer.offer_id,
            offer.title,
            offer.measure_type.value,
            round(score, 4),
            None,
            None,
            None,
            None,
            reasons_for(profile, offer, fit=fit, minutes=minutes, effect=None),
            warnings,
        )
    p_without, p_with, effect, low, high = estimate
    if low <= 0:
        warnings = (*warnings, UNCERTAIN_WARNING)
    return RecommendationItem(
        rank,
        offer.offer_id,
        offer.title,
        offer.measure_type.value,
        round(effect, 4),
        round(p_without, 4),
        round(p_with, 4),
        round(100 * effect, 1),
        (round(100 * low, 1), round(100 * high, 1)),
        reasons_for(profile, offer, fit=fit, minutes=minutes, effect=(effect, low, high)),
        warnings,
    )
