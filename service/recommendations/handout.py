"""What a jobseeker needs to act on an offer: provider contact, start, place, cost, what to bring.

Cards, the print view, the handout and its PDF read offers through :func:`offer_views`, which
joins each offer with its provider and works out the next start as of Krefeld's today. The
handout lists the chosen offer, or else the shortlist minus the rejected offers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from pydantic import ConfigDict
from sqlmodel import Session, col, select

from models.enums import DecisionAction, Funding, GermanLevel, MeasureType, OfferFormat
from models.offer import Offer
from models.provider import Provider
from models.recommendation import Decision, Recommendation
from service.recommendations.catalog import ProviderContact, provider_contact

CHOSEN = (DecisionAction.ACCEPTED, DecisionAction.OVERRIDE)
ONLINE = OfferFormat.ONLINE.value

# Documents to bring, as message ids of the handout catalogue (German source text).
BRING_CV = _("Lebenslauf")
BRING_CERTIFICATES = _("Schul- und Arbeitszeugnisse, Nachweise über Abschlüsse")
BRING_ID = _("Personalausweis oder Aufenthaltstitel")
BRING_VOUCHER = _("Bildungsgutschein (wenn Sie ihn schon erhalten haben)")
BRING_AVGS = _("Aktivierungs- und Vermittlungsgutschein (AVGS), wenn vorhanden")
BRING_BAMF = _("Berechtigungsschein oder Verpflichtung zum Kurs (BAMF)")
BRING_FOREIGN = _("Abschlüsse aus dem Ausland mit Übersetzung")
BRING_GERMAN = _("Deutschkenntnisse mindestens auf Stufe %(level)s")


class Contact(ProviderContact):
    """The provider's contact on the handout, with the role to ask for."""

    model_config = ConfigDict(frozen=True)

    role: str


@dataclass(frozen=True, slots=True)
class OfferView:
    """One offer as a person reads it; dates already resolved against ``today``."""

    offer_id: int
    title: str
    measure_type: str
    status: str
    provider: Contact
    place: tuple[str, ...]  # address lines; empty for online courses
    online: bool
    district: str
    next_start: date | None
    later_starts: tuple[date, ...]
    rolling_entry: bool
    registration_url: str
    registration_deadline: date | None
    duration_weeks: int
    hours_per_week: int
    part_time_possible: bool
    childcare: bool
    cost_eur: float | None
    funding: tuple[str, ...]
    funding_note: str
    azav_measure_number: str
    certificate: str
    min_german_level: str
    bring: tuple[tuple[str, dict[str, str]], ...] = field(default=())  # (message id, values)


def _contact(provider: Provider) -> Contact:
    return Contact(**provider_contact(provider), role=provider.contact_role)


def _place(offer: Offer, provider: Provider) -> tuple[str, ...]:
    if offer.format == ONLINE:
        return ()
    if offer.venue_street or offer.venue_postcode or offer.venue_city:
        street, postcode, city = offer.venue_street, offer.venue_postcode, offer.venue_city
    else:
        street, postcode, city = provider.street, provider.postcode, provider.city
    town = " ".join(part for part in (postcode, city) if part)
    return tuple(line for line in (street, town) if line)


def what_to_bring(offer: Offer) -> tuple[tuple[str, dict[str, str]], ...]:
    """Documents and prerequisites, derived from the offer's funding, type and German level."""
    items: list[tuple[str, dict[str, str]]] = [(BRING_CV, {}), (BRING_CERTIFICATES, {})]
    measure = MeasureType(offer.measure_type)
    funding = {Funding(f) for f in offer.funding}
    if measure in (MeasureType.INTEGRATIONSKURS, MeasureType.BERUFSSPRACHKURS):
        items.append((BRING_ID, {}))
        items.append((BRING_BAMF, {}))
    if measure is MeasureType.ANERKENNUNG:
        items.append((BRING_FOREIGN, {}))
    if Funding.BILDUNGSGUTSCHEIN in funding:
        items.append((BRING_VOUCHER, {}))
    if Funding.AVGS in funding:
        items.append((BRING_AVGS, {}))
    if GermanLevel(offer.min_german_level) is not GermanLevel.A0:
        items.append((BRING_GERMAN, {"level": str(offer.min_german_level)}))
    return tuple(items)


def view_of(offer: Offer, provider: Provider, *, today: date) -> OfferView:
    assert offer.id is not None
    upcoming = tuple(d for d in sorted(offer.start_dates) if d >= today)
    next_start = None if offer.rolling_entry or not upcoming else upcoming[0]
    later = upcoming[1:] if next_start is not None else upcoming
    return OfferView(
        offer_id=offer.id,
        title=offer.title,
        measure_type=str(offer.measure_type),
        status=str(offer.status),
        provider=_contact(provider),
        place=_place(offer, provider),
        online=offer.format == ONLINE,
        district=str(offer.district),
        next_start=next_start,
        later_starts=later,
        rolling_entry=offer.rolling_entry,
        registration_url=offer.registration_url,
        registration_deadline=(
            offer.registration_deadline
            if offer.registration_deadline and offer.registration_deadline >= today
            else None
        ),
        duration_weeks=offer.duration_weeks,
        hours_per_week=offer.hours_per_week,
        part_time_possible=offer.part_time_possible,
        childcare=offer.childcare,
        cost_eur=offer.cost_eur,
        funding=tuple(str(f) for f in offer.funding),
        funding_note=offer.funding_note,
        azav_measure_number=offer.azav_measure_number,
        certificate=offer.certificate,
        min_german_level=str(offer.min_german_level),
        bring=what_to_bring(offer),
    )


def offer_views(session: Session, offer_ids: Iterable[int], *, today: date) -> dict[int, OfferView]:
    """Current views of the given offers (any status), keyed by offer id."""
    ids = sorted(set(offer_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(Offer, Provider)
        .join(Provider, Provider.id == Offer.provider_id)  # type: ignore[arg-type]
        .where(col(Offer.id).in_(ids))
    )
    return {offer.id: view_of(offer, provider, today=today) for offer, provider in rows if offer.id}


def handout_offer_ids(rec: Recommendation, decisions: Sequence[Decision]) -> list[int]:
    """The chosen offer when there is one, else the shortlist without rejected offers."""
    chosen = [d.offer_id for d in decisions if d.action in CHOSEN and d.offer_id is not None]
    if chosen:
        return chosen[:1]
    rejected = {d.offer_id for d in decisions if d.action == DecisionAction.REJECTED}
    if any(d.action == DecisionAction.NO_MEASURE for d in decisions):
        return []
    return [int(item["offer_id"]) for item in rec.items if item["offer_id"] not in rejected]
