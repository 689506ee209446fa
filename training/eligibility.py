"""Hard eligibility rules for (profile, offer) pairs, each failing with a plain German reason.

``rule_failures`` is elementwise over broadcastable arrays, so one profile against 20,000 offers
and a whole evaluation grid use the same code; ``check_eligibility`` is the one-pair view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntFlag

import numpy as np
import numpy.typing as npt

from models.enums import District, Funding, GermanLevel, OfferFormat
from training.encoding import (
    FUNDING_ORDER,
    BoolArray,
    IntArray,
    OfferArrays,
    ProfileArrays,
)
from training.schema import OfferRecord, ProfileRecord

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
ONLINE = list(OfferFormat).index(OfferFormat.ONLINE)
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
    minutes = TRAVEL_MINUTES[origin, destination].astype(np.float64)
    minutes = np.where(driving_licence, np.ceil(minutes * CAR_FACTOR), minutes)
    result: IntArray = np.where(offer_format == ONLINE, 0, minutes).astype(np.int32)
    return result


def minutes_from(origin: District, *, driving_licence: bool = False) -> dict[District, int]:
    """Minutes from ``origin`` to an in-person course in each district."""
    destinations = np.arange(len(DISTRICT), dtype=np.int32)
    minutes = minutes_between(
        np.full_like(destinations, DISTRICT.index(origin)),
        destinations,
        np.full(destinations.shape, driving_licence),
        np.full_like(destinations, list(OfferFormat).index(OfferFormat.IN_PERSON)),
    )
    return {district: int(minutes[i]) for i, district in enumerate(DISTRICT)}


def rule_failures(p: ProfileArrays, o: OfferArrays, *, as_of: date) -> IntArray:
    """Bitmask of failed ``Rule`` flags per (broadcast) pair; 0 means eligible."""
    full_time_only = ~o.part_time_possible
    needs_care = p.care_duties | p.single_parent
    voucher_only = ~(o.funding & ~VOUCHER_FUNDING).any(axis=-1) & o.funding.any(axis=-1)
    checks: list[tuple[Rule, BoolArray]] = [
        (Rule.GERMAN_LEVEL, p.german < o.min_german),
        (Rule.HOURS, (p.hours_available < o.hours_per_week) & full_time_only),
        (Rule.CHILDCARE, needs_care & ~o.childcare & full_time_only & (o.hours_per_week >= 30)),
        (Rule.FUNDING, voucher_only & ~o.azav_certified),
        (Rule.START_DATE, o.latest_start < as_of.toordinal()),
        (Rule.SEATS, o.seats_free <= 0),
        (Rule.COMMUTE, travel_minutes(p, o) > p.max_commute_minutes),
    ]
    mask = np.zeros(np.broadcast_shapes(p.age.shape, o.offer_id.shape), dtype=np.int32)
    for rule, failed in checks:
        mask |= np.where(failed, int(rule), 0).astype(np.int32)
    return mask


def eligible_mask(p: ProfileArrays, o: OfferArrays, *, as_of: date) -> BoolArray:
    result: BoolArray = rule_failures(p, o, as_of=as_of) == 0
    return result


def _reason(
    rule: Rule, profile: ProfileRecord, offer: OfferRecord, minutes: int, as_of: date
) -> str:
    if rule is Rule.GERMAN_LEVEL:
        return (
            f"Deutschkenntnisse reichen noch nicht ({profile.german_level.value}, "
            f"verlangt {offer.min_german_level.value})"
        )
    if rule is Rule.HOURS:
        return (
            f"Zeitlicher Umfang passt nicht ({offer.hours_per_week} Std./Woche verlangt, "
            f"{profile.hours_available} verfügbar, keine Teilzeit möglich)"
        )
    if rule is Rule.CHILDCARE:
        return "Vollzeit ohne Kinderbetreuung – mit Betreuungspflichten nicht vereinbar"
    if rule is Rule.FUNDING:
        return "Bildungsgutschein/AVGS nur bei AZAV-zertifizierten Angeboten einlösbar"
    if rule is Rule.START_DATE:
        return f"Kein Starttermin nach dem {as_of.strftime('%d.%m.%Y')}"
    if rule is Rule.SEATS:
        return "Keine freien Plätze"
    return (
        f"Anfahrt zu weit (ca. {minutes} Min. von {profile.district.value} nach "
        f"{offer.district.value}, höchstens {profile.max_commute_minutes} Min.)"
    )


def _warnings(profile: ProfileRecord, offer: OfferRecord) -> tuple[str, ...]:
    warnings: list[str] = []
    needs_care = profile.care_duties or profile.single_parent
    if needs_care and not offer.childcare and offer.hours_per_week >= 30:
        warnings.append("Nur in Teilzeit machbar: keine Kinderbetreuung beim Träger")
    if offer.format is OfferFormat.ONLINE and profile.german_level.rank < GermanLevel.B1.rank:
        warnings.append("Online-Format ist bei geringen Deutschkenntnissen anspruchsvoll")
    has_other_funding = any(
        f not in (Funding.BILDUNGSGUTSCHEIN, Funding.AVGS) for f in offer.funding
    )
    if not offer.azav_certified and has_other_funding and len(offer.funding) > 1:
        warnings.append("Nicht AZAV-zertifiziert: Finanzierung ohne Gutschein klären")
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
