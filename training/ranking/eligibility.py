"""Hard eligibility rules for (profile, offer) pairs, each failing with a plain German reason.

``rule_failures`` is elementwise over broadcastable arrays, so one profile against 20,000 offers
(the per-request path, with the offer-only terms of ``offer_terms`` computed once per catalogue),
a whole evaluation grid and ``check_eligibility`` (one pair, with German reasons) use the same
rules (``_failed_rules``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntFlag

import numpy as np
import numpy.typing as npt

from models.columns import code
from models.enums import District, Funding, GermanLevel, OfferFormat
from training.data.encoding import (
    FUNDING_ORDER,
    BoolArray,
    IntArray,
    OfferArrays,
    ProfileArrays,
    childcare_conflict,
)
from training.data.schema import OfferRecord, ProfileRecord
from training.text import gettext

#: Typical public-transport minutes between Krefeld's Stadtbezirke (order of ``District``).
TRAVEL_MINUTES = np.array(
    [
        [10, 15, 15, 15, 15, 20, 25, 25, 20],
        [15, 10, 20, 25, 20, 15, 30, 35, 15],
        [15, 20, 10, 20, 25, 30, 35, 20, 25],
        [15, 25, 20, 10, 20, 30, 25, 15, 35],
        [15, 20, 25, 20, 10, 20, 15, 30, 30],
        [20, 15, 30, 30, 20, 10, 20, 40, 20],
        [25, 30, 35, 25, 15, 20, 10, 40, 40],
        [25, 35, 20, 15, 30, 40, 40, 10, 40],
        [20, 15, 25, 35, 30, 20, 40, 40, 10],
    ],
    dtype=np.int32,
)
CAR_FACTOR = 0.7  # driving is about a third faster than bus and tram within the city
#: Minutes by (driving licence, origin, destination): bus and tram, or by car.
_MINUTES_BY_MODE = np.stack(
    [TRAVEL_MINUTES, np.ceil(TRAVEL_MINUTES.astype(np.float64) * CAR_FACTOR).astype(np.int32)]
)
VOUCHER_FUNDING = np.array([f in (Funding.BILDUNGSGUTSCHEIN, Funding.AVGS) for f in FUNDING_ORDER])
GERMAN = tuple(GermanLevel)
DISTRICT = tuple(District)


class Rule(IntFlag):
    GERMAN_LEVEL = 1
    HOURS = 2
    CHILDCARE = 4
    FUNDING = 8
    START_DATE = 16
    SEATS = 32
    COMMUTE = 64


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    eligible: bool
    reasons: tuple[str, ...]  # why not, in German; empty when eligible
    warnings: tuple[str, ...]  # allowed, but worth a counsellor's attention


def travel_minutes(p: ProfileArrays, o: OfferArrays) -> IntArray:
    return minutes_between(p.district, o.district, p.driving_licence, o.format)


def minutes_between(
    origin: IntArray, destination: IntArray, driving_licence: BoolArray, offer_format: IntArray
) -> IntArray:
    """Door-to-course minutes for district positions (broadcastable); online courses cost 0."""
    minutes = _MINUTES_BY_MODE[np.asarray(driving_licence, dtype=np.intp), origin, destination]
    result: IntArray = np.where(offer_format == code(OfferFormat.ONLINE), 0, minutes).astype(
        np.int32
    )
    return result


def minutes_from(origin: District, *, driving_licence: bool = False) -> dict[District, int]:
    """Minutes from ``origin`` to an in-person course in each district."""
    destinations = np.arange(len(DISTRICT), dtype=np.int32)
    minutes = minutes_between(
        np.full_like(destinations, DISTRICT.index(origin)),
        destinations,
        np.full(destinations.shape, driving_licence),
        np.full_like(destinations, code(OfferFormat.IN_PERSON)),
    )
    return {district: int(minutes[i]) for i, district in enumerate(DISTRICT)}


@dataclass(frozen=True, slots=True)
class OfferTerms:
    """The parts of the rules that depend on the offers only (same shape as the offers)."""

    full_time_only: BoolArray
    funding_blocked: BoolArray  # only voucher funding, but not AZAV-certified
    no_seats: BoolArray


def offer_terms(o: OfferArrays) -> OfferTerms:
    """``OfferTerms`` of these offers; a catalogue computes them once for every request."""
    voucher_only = ~(o.funding & ~VOUCHER_FUNDING).any(axis=-1) & o.funding.any(axis=-1)
    return OfferTerms(
        full_time_only=~o.part_time_possible,
        funding_blocked=voucher_only & ~o.azav_certified,
        no_seats=o.seats_free <= 0,
    )


def _failed_rules(
    p: ProfileArrays, o: OfferArrays, as_of: date, terms: OfferTerms | None
) -> list[tuple[Rule, BoolArray]]:
    """Each rule with where it fails (broadcast over the pairs): the one definition."""
    t = offer_terms(o) if terms is None else terms
    childcare = childcare_conflict(p.needs_care, o.childcare, o.hours_per_week)
    return [
        (Rule.GERMAN_LEVEL, p.german_level < o.min_german_level),
        (Rule.HOURS, (p.hours_available < o.hours_per_week) & t.full_time_only),
        (Rule.CHILDCARE, childcare & t.full_time_only),
        (Rule.FUNDING, t.funding_blocked),
        (Rule.START_DATE, o.latest_start < as_of.toordinal()),
        (Rule.SEATS, t.no_seats),
        (Rule.COMMUTE, travel_minutes(p, o) > p.max_commute_minutes),
    ]


def _pair_shape(p: ProfileArrays, o: OfferArrays) -> tuple[int, ...]:
    return np.broadcast_shapes(p.age_band.shape, o.offer_id.shape)


def rule_failures(
    p: ProfileArrays, o: OfferArrays, *, as_of: date, terms: OfferTerms | None = None
) -> IntArray:
    """Bitmask of failed ``Rule`` flags per (broadcast) pair; 0 means eligible.

    ``terms`` may pass the already computed ``offer_terms(o)``.
    """
    mask = np.zeros(_pair_shape(p, o), dtype=np.int32)
    for rule, failed in _failed_rules(p, o, as_of, terms):
        mask |= np.where(failed, int(rule), 0).astype(np.int32)
    return mask


def eligible_mask(
    p: ProfileArrays, o: OfferArrays, *, as_of: date, terms: OfferTerms | None = None
) -> BoolArray:
    """``rule_failures(p, o) == 0`` without building the bitmask (the per-request path)."""
    failed = np.zeros(_pair_shape(p, o), dtype=bool)
    for _, fails in _failed_rules(p, o, as_of, terms):
        failed |= fails
    result: BoolArray = ~failed
    return result


def _reason(
    rule: Rule, profile: ProfileRecord, offer: OfferRecord, minutes: int, as_of: date
) -> str:
    if rule is Rule.GERMAN_LEVEL:
        return gettext(
            "Deutschkenntnisse reichen noch nicht (%(level)s, verlangt %(required)s)",
            level=profile.german_level.value,
            required=offer.min_german_level.value,
        )
    if rule is Rule.HOURS:
        return gettext(
            "Zeitlicher Umfang passt nicht (%(hours_per_week)s Std./Woche verlangt, "
            "%(hours_available)s verfügbar, keine Teilzeit möglich)",
            hours_per_week=offer.hours_per_week,
            hours_available=profile.hours_available,
        )
    if rule is Rule.CHILDCARE:
        return gettext("Vollzeit ohne Kinderbetreuung – mit Betreuungspflichten nicht vereinbar")
    if rule is Rule.FUNDING:
        return gettext("Bildungsgutschein/AVGS nur bei AZAV-zertifizierten Angeboten einlösbar")
    if rule is Rule.START_DATE:
        return gettext(
            "Kein Starttermin nach dem %(strftime)s", strftime=as_of.strftime("%d.%m.%Y")
        )
    if rule is Rule.SEATS:
        return gettext("Keine freien Plätze")
    return gettext(
        "Anfahrt zu weit (ca. %(minutes)s Min. von %(home)s nach %(venue)s, höchstens "
        "%(max_commute_minutes)s Min.)",
        minutes=minutes,
        home=profile.district.value,
        venue=offer.district.value,
        max_commute_minutes=profile.max_commute_minutes,
    )


def _warnings(profile: ProfileRecord, offer: OfferRecord) -> tuple[str, ...]:
    warnings: list[str] = []
    needs_care = profile.care_duties or profile.single_parent
    if childcare_conflict(needs_care, offer.childcare, offer.hours_per_week):
        warnings.append(gettext("Nur in Teilzeit machbar: keine Kinderbetreuung beim Träger"))
    if offer.format is OfferFormat.ONLINE and profile.german_level.rank < GermanLevel.B1.rank:
        warnings.append(gettext("Online-Format ist bei geringen Deutschkenntnissen anspruchsvoll"))
    has_other_funding = any(
        f not in (Funding.BILDUNGSGUTSCHEIN, Funding.AVGS) for f in offer.funding
    )
    if not offer.azav_certified and has_other_funding and len(offer.funding) > 1:
        warnings.append(gettext("Nicht AZAV-zertifiziert: Finanzierung ohne Gutschein klären"))
    return tuple(warnings)


def check_eligibility(
    profile: ProfileRecord, offer: OfferRecord, *, as_of: date
) -> EligibilityResult:
    """All hard rules for one pair, with every failed rule's German reason."""
    p = ProfileArrays.from_records([profile])
    o = OfferArrays.from_records([offer])
    failures = int(rule_failures(p, o, as_of=as_of)[0])
    minutes = int(travel_minutes(p, o)[0])
    reasons = tuple(
        _reason(rule, profile, offer, minutes, as_of) for rule in Rule if failures & rule
    )
    return EligibilityResult(
        eligible=not reasons,
        reasons=reasons,
        warnings=_warnings(profile, offer) if not reasons else (),
    )


def check_eligibility_many(
    profile: ProfileRecord, offers: OfferArrays, *, as_of: date
) -> npt.NDArray[np.int32]:
    """Failure bitmask of one profile against many offers (0 = eligible)."""
    return rule_failures(ProfileArrays.from_records([profile]), offers, as_of=as_of)


def warnings_for(profile: ProfileRecord, offer: OfferRecord) -> tuple[str, ...]:
    return _warnings(profile, offer)


def german_level_name(rank: int) -> str:
    return GERMAN[rank].value


def district_name(index: int) -> str:
    return DISTRICT[index].value
