"""Submit all of a provider's drafts in one action (after a CSV import, for instance)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from models.enums import OfferStatus
from models.offer import Offer
from models.user import User
from service.offers import access
from service.offers.workflow import submit_offer


def submit_drafts(
    session: Session, *, user: User, provider_id: int | None = None, today: date | None = None
) -> list[int]:
    """Submit every draft of the provider (partners: their own); the ids, in order.

    Each offer goes through the ordinary submission (flags recomputed, review trail, audit).
    """
    target = access.target_provider(session, user, provider_id)
    ids = list(
        session.exec(
            select(Offer.id)
            .where(Offer.provider_id == target, Offer.status == OfferStatus.DRAFT)
            .order_by(col(Offer.id))
        )
    )
    for offer_id in ids:
        assert offer_id is not None
        submit_offer(session, offer_id, user=user, today=today)
    return [int(i) for i in ids if i is not None]
