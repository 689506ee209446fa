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
from training.data.encoding import N_MEASURE_TYPES, ProfileArrays
from training.data.features import OfferCatalog
from training.data.occupation_fit import occupation_fit
from training.data.schema import OfferRecord, ProfileRecord
from training.ranking.drivers import main_drivers
from training.ranking.eligibility import (
    OfferTerms,
    eligible_mask,
    offer_terms,
    travel_minutes,
    warnings_for,
)
from training.ranking.explain import reasons_for
from training.ranking.ranker import EffectRanker
from training.ranking.rules import suitability
from training.ranking.shortlist import DEFAULT_POLICY, Pick, ShortlistPolicy, build_shortlist
from training.text import gettext as _

MIN_EFFECT = 0.005  # half a percentage point: below this an offer is not worth the lock-in
NO_HELP_MESSAGE = _(
    "Nach unserer Schätzung verbessert keines der passenden Angebote die Beschäftigungschancen "
    "spürbar. Bitte prüfen Sie gemeinsam andere Wege, zum Beispiel eine direkte Vermittlung."
)
NO_ELIGIBLE_MESSAGE = _("Derzeit erfüllt kein freigegebenes Angebot die Voraussetzungen.")
UNCERTAIN_WARNING = _("Wirkung unsicher: Die Spanne schließt auch keinen Zugewinn ein")
OccupationFit = Callable[[Sequence[str], Sequence[str]], float]


@dataclass(frozen=True, slots=True)
class OtherRun:
    """Another dated run of a shortlisted course (same provider, same title stem)."""

    offer_id: int
    next_start: date | None


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
    other_runs: tuple[OtherRun, ...] = ()
    next_start: date | None = None  # first start on or after the request date; None if rolling


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


def eligible_offers(
    p: ProfileArrays, catalog: OfferCatalog, *, as_of: date
) -> npt.NDArray[np.intp]:
    """Catalogue positions of the offers one profile is eligible for (ascending).

    ``rule_failures(p, offers) == 0``, with the offer-only terms computed once per catalogue.
    """
    o = catalog.arrays
    terms: OfferTerms = catalog.cached(catalog, ("offer-terms",), lambda: offer_terms(o))
    return np.flatnonzero(eligible_mask(p, o, as_of=as_of, terms=terms))


def _fits(
    profile: ProfileRecord,
    p: ProfileArrays,
    catalog: OfferCatalog,
    idx: npt.NDArray[np.intp],
    custom: OccupationFit | None,
) -> npt.NDArray[np.float64]:
    if custom is None:
        result: npt.NDArray[np.float64] = occupation_fit(
            p.target_occupations, catalog.arrays.target_occupations[idx]
        )
        return result
    return np.array(
        [custom(profile.target_occupations, catalog.records[i].target_occupations) for i in idx],
        dtype=float,
    )


def _minutes(
    p: ProfileArrays, catalog: OfferCatalog, chosen: npt.NDArray[np.intp]
) -> npt.NDArray[np.int32]:
    """Travel minutes for the chosen offers only (needed for their reasons)."""
    minutes: npt.NDArray[np.int32] = travel_minutes(p, catalog.arrays.take(chosen))
    return minutes


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
    policy: ShortlistPolicy = DEFAULT_POLICY,
) -> RecommendationResult:
    """A shortlist of up to k eligible offers with scores, German reasons and warnings."""
    catalog = _catalog(offers)
    p = ProfileArrays.from_record(profile)
    idx = eligible_offers(p, catalog, as_of=as_of)
    use_rules = ranker is None or RankingMode(mode) is RankingMode.RULES
    chosen_mode = RankingMode.RULES if use_rules else RankingMode.MODEL
    if idx.size == 0:
        return RecommendationResult(chosen_mode, (), NO_ELIGIBLE_MESSAGE, len(catalog), 0)
    fits = _fits(profile, p, catalog, idx, occupation_fit)
    # Suitability of every measure type for this profile, computed once per request.
    suits = suitability(p, np.arange(N_MEASURE_TYPES))
    offer_ids = catalog.arrays.offer_id[idx]
    estimates: npt.NDArray[np.float64] | None = None
    if use_rules or ranker is None:
        score = suits[catalog.arrays.measure_type[idx]] + 2.0 * fits
        order = _order(score, offer_ids)
        ranked = order
        harmless = order
    else:
        pred = ranker.predict_one(p, catalog, idx, fit=fits)
        score = pred.score[0]
        effect, high = pred.effect[0], pred.effect_high[0]
        estimates = np.stack(
            [pred.p_without[0], pred.p_with[0], effect, pred.effect_low[0], high], axis=1
        )
        order = _order(score, offer_ids)
        supported = score[order] > -1.0
        ranked = order[supported & (effect[order] >= min_effect) & (high[order] > 0)]
        harmless = order[supported & (effect[order] >= 0)]
        if ranked.size == 0:
            return RecommendationResult(
                chosen_mode, (), NO_HELP_MESSAGE, len(catalog), int(idx.size)
            )
    in_field = np.zeros(len(catalog), dtype=bool)
    in_field[idx] = fits > 0
    picks = build_shortlist(
        idx[ranked],
        catalog,
        k=k,
        as_of=as_of,
        in_target_field=in_field,
        target_candidates=idx[harmless[fits[harmless] > 0]],
        policy=policy,
    )
    local = np.searchsorted(idx, [pick.position for pick in picks])
    minutes = _minutes(p, catalog, idx[local])
    drivers: list[tuple[str, ...]] = [()] * len(picks)
    if estimates is not None and ranker is not None:  # only for the returned items
        drivers = main_drivers(ranker, p, catalog.arrays.take(idx[local]), fit=fits[local])
    items = tuple(
        _item(
            rank,
            profile,
            catalog,
            pick,
            as_of,
            float(score[j]),
            fits[j],
            int(minutes[n]),
            None if estimates is None else tuple(float(v) for v in estimates[j]),
            bool(suits[catalog.arrays.measure_type[pick.position]] > 0),
            drivers[n],
        )
        for n, (rank, j, pick) in enumerate(zip(range(1, k + 1), local, picks, strict=False))
    )
    return RecommendationResult(chosen_mode, items, None, len(catalog), int(idx.size))


def _item(
    rank: int,
    profile: ProfileRecord,
    catalog: OfferCatalog,
    pick: Pick,
    as_of: date,
    score: float,
    fit: float,
    minutes: int,
    estimate: tuple[float, ...] | None,
    suits: bool,
    drivers: tuple[str, ...],
) -> RecommendationItem:
    offer = catalog.records[pick.position]
    warnings = warnings_for(profile, offer)
    if pick.starts_late:
        start = offer.next_start(as_of)
        assert start is not None  # a late start has a date
        warnings = (*warnings, _("Nächster Beginn erst am %(start)s", start=f"{start:%d.%m.%Y}"))
    other_runs = tuple(
        OtherRun(run.offer_id, run.next_start(as_of))
        for run in (catalog.records[q] for q in pick.other_positions)
    )
    next_start = offer.next_start(as_of)
    p_without = p_with = effect_pp = None
    interval_pp = None
    if estimate is None:
        reasons = reasons_for(profile, offer, fit=fit, minutes=minutes, effect=None, suits=suits)
    else:
        p0, p1, effect, low, high = estimate
        if low <= 0:
            warnings = (*warnings, UNCERTAIN_WARNING)
        p_without, p_with, effect_pp = round(p0, 4), round(p1, 4), round(100 * effect, 1)
        interval_pp = (round(100 * low, 1), round(100 * high, 1))
        reasons = reasons_for(
            profile,
            offer,
            fit=fit,
            minutes=minutes,
            effect=(effect, low, high),
            suits=suits,
            drivers=drivers,
        )
    return RecommendationItem(
        rank,
        offer.offer_id,
        offer.title,
        offer.measure_type.value,
        round(score, 4),
        p_without,
        p_with,
        effect_pp,
        interval_pp,
        reasons,
        warnings,
        other_runs,
        next_start,
    )
