"""The recommendable offers, prepared once per process and rebuilt when the catalogue changes.

Preparing 20,000 offers for the ranker takes far longer than scoring them, so each worker keeps
the prepared catalogue and checks a cheap fingerprint of the ``offer`` table on every request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import Session, col, select

from models.enums import OfferStatus
from models.offer import Offer
from models.provider import Provider
from training.data.features import OfferCatalog
from training.data.records import offer_values
from training.data.schema import OfferRecord

CATALOG_KEY = "qualimatch.offer_catalog"
_lock = threading.Lock()


@dataclass(frozen=True)
class CachedCatalog:
    fingerprint: tuple[Any, ...]
    catalog: OfferCatalog
    offers: dict[int, OfferRecord]
    providers: dict[int, dict[str, str]]  # offer id -> the provider's contact (contract)


class ProviderContact(BaseModel):
    """How to reach the provider (empty strings where the provider has not said)."""

    name: str
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    website: str


def provider_contact(provider: Provider) -> dict[str, str]:
    """How a jobseeker reaches the provider: the ``provider`` of a recommendation item."""
    return ProviderContact.model_validate(provider, from_attributes=True).model_dump()


def offer_record(offer: Offer, *, azav_certified: bool) -> OfferRecord:
    assert offer.id is not None
    return OfferRecord(
        **offer_values(offer),
        offer_id=offer.id,
        azav_certified=azav_certified,
        provider_id=offer.provider_id,
    )


def _recommendable() -> Any:
    return (
        select(Offer, Provider)
        .join(
            Provider,
            Provider.id == Offer.provider_id,  # type: ignore[arg-type]
        )
        .where(Offer.status == OfferStatus.APPROVED, col(Offer.seats_free) > 0)
    )


def _fingerprint(session: Session) -> tuple[Any, ...]:
    row = session.execute(
        select(  # type: ignore[call-overload]
            func.count(),
            func.max(Offer.id),
            func.sum(Offer.version),
            func.sum(Offer.seats_free),
            func.max(Offer.updated_at),
            func.max(Offer.created_at),  # a new offer with a reused id is still new
        ).where(Offer.status == OfferStatus.APPROVED)
    ).one()
    providers = session.execute(
        select(func.count(), func.sum(Provider.version), func.max(Provider.updated_at))
    ).one()
    return (*row, *providers)


def current_catalog(session: Session, app: Flask | None = None) -> CachedCatalog:
    """The approved offers with free seats, as a prepared ``OfferCatalog``."""
    app = app or current_app
    fingerprint = _fingerprint(session)
    cached: CachedCatalog | None = app.extensions.get(CATALOG_KEY)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    with _lock:
        rows = list(session.exec(_recommendable().order_by(col(Offer.id))))
        records = [offer_record(offer, azav_certified=p.azav_certified) for offer, p in rows]
        cached = CachedCatalog(
            fingerprint=fingerprint,
            catalog=OfferCatalog.from_records(records),
            offers={r.offer_id: r for r in records},
            providers={
                r.offer_id: provider_contact(p) for r, (_, p) in zip(records, rows, strict=True)
            },
        )
        app.extensions[CATALOG_KEY] = cached
    return cached
