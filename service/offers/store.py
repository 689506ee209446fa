"""Versioned writes: every change to an offer bumps ``version`` exactly once (see
:mod:`service.core.versioning`)."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlmodel import Session

from models.base import utcnow
from models.enums import OfferStatus
from models.offer import Offer, OfferReview
from service.core import audit
from service.core.audit import Actor
from service.core.domain_errors import Conflict
from service.core.versioning import flush_versioned


def stale(current: int) -> Conflict:
    return Conflict(
        _("Das Angebot wurde inzwischen geändert. Bitte neu laden."),
        code="version_conflict",
        extra={"current_version": current},
    )


def check_version(offer: Offer, expected: int | None) -> None:
    if expected is not None and expected != offer.version:
        raise stale(offer.version)


def save(session: Session, offer: Offer, values: dict[str, Any]) -> None:
    """Write ``values`` if nobody changed the offer since it was loaded; 409 otherwise.

    Does not commit, so the caller's audit event and review row share the transaction (or
    savepoint) with the change.
    """
    for name, value in values.items():
        setattr(offer, name, value)
    offer.updated_at = utcnow()
    flush_versioned(session, offer, stale)
    session.expire(offer)  # read back as stored (JSON columns, enum values)


class ReviewStep(NamedTuple):
    """One entry of the review trail the partner sees."""

    source: OfferStatus
    target: OfferStatus
    reason: str | None


def save_recorded(
    session: Session,
    offer: Offer,
    values: dict[str, Any],
    *,
    action: str,
    detail: dict[str, Any],
    by: Actor,
    step: ReviewStep | None = None,
) -> None:
    """:func:`save`, then the review row (if a ``step`` is given) and the audit event, all in
    the caller's transaction."""
    offer_id = offer.id  # read before save() expires the offer
    save(session, offer, values)
    if step is not None:
        session.add(
            OfferReview(
                offer_id=offer_id,  # type: ignore[arg-type]
                actor_id=by.id,
                from_status=step.source,
                to_status=step.target,
                reason=step.reason,
            )
        )
    audit.record(session, action, "offer", offer_id, detail=detail, by=by)
