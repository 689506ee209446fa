"""The review workflow: draft → submitted → approved | changes_requested | rejected;
approved → withdrawn | expired; changes_requested → (edit) → submitted.

Every step writes an :class:`~models.offer.OfferReview` row (the trail the partner sees) and an
audit event, and bumps the offer's version. An approved offer with ``pending_changes`` is
reviewed in place: approving applies the change, rejecting or requesting changes discards it
and leaves the approved version untouched.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from models.base import utcnow
from models.enums import OfferStatus, Role
from models.offer import Offer, OfferReview
from models.user import User
from service.core.audit import CLI, Actor
from service.core.clock import local_today
from service.core.domain_errors import Conflict, Forbidden, Invalid
from service.offers import access
from service.offers.fields import content_of, merged, storage_values
from service.offers.quality import compute_flags
from service.offers.store import ReviewStep, check_version, save_recorded

S = OfferStatus
TRANSITIONS: frozenset[tuple[OfferStatus, OfferStatus]] = frozenset(
    {
        (S.DRAFT, S.SUBMITTED),
        (S.CHANGES_REQUESTED, S.SUBMITTED),
        (S.SUBMITTED, S.APPROVED),
        (S.SUBMITTED, S.CHANGES_REQUESTED),
        (S.SUBMITTED, S.REJECTED),
        (S.APPROVED, S.WITHDRAWN),
        (S.APPROVED, S.EXPIRED),
    }
)
LABELS = {
    S.DRAFT: "Entwurf",
    S.SUBMITTED: "eingereicht",
    S.APPROVED: "freigegeben",
    S.CHANGES_REQUESTED: _("Änderungen angefordert"),
    S.REJECTED: "abgelehnt",
    S.WITHDRAWN: _("zurückgezogen"),
    S.EXPIRED: "abgelaufen",
}


class Decision(StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


DECISION_TARGET = {
    Decision.APPROVE: S.APPROVED,
    Decision.REQUEST_CHANGES: S.CHANGES_REQUESTED,
    Decision.REJECT: S.REJECTED,
}


def invalid_transition(source: OfferStatus, target: OfferStatus) -> Conflict:
    return Conflict(
        _(
            "Statuswechsel von „%(source_label)s“ (%(source)s) nach „%(target_label)s“ "
            "(%(target)s) ist nicht erlaubt.",
            source_label=LABELS[source],
            source=source.value,
            target_label=LABELS[target],
            target=target.value,
        ),
        code="invalid_transition",
        extra={"from_status": source.value, "to_status": target.value},
    )


def _move(
    session: Session,
    offer: Offer,
    target: OfferStatus,
    *,
    by: Actor,
    reason: str | None = None,
    values: dict[str, Any] | None = None,
) -> None:
    source = OfferStatus(offer.status)
    if (source, target) not in TRANSITIONS:
        raise invalid_transition(source, target)
    save_recorded(
        session,
        offer,
        {"status": target, **(values or {})},
        action=f"offer.{target.value}",
        detail={"from": source.value, "to": target.value},
        by=by,
        step=ReviewStep(source, target, reason),
    )


def submit_offer(
    session: Session,
    offer_id: int,
    *,
    user: User,
    version: int | None = None,
    today: date | None = None,
) -> Offer:
    """Hand an offer to the coordination office; quality flags are recomputed now."""
    offer = access.editable_offer(session, offer_id, user)
    check_version(offer, version)
    flags = compute_flags(
        session,
        content_of(offer),
        provider_id=offer.provider_id,
        offer_id=offer.id,
        today=today or local_today(),
    )
    _move(
        session,
        offer,
        S.SUBMITTED,
        by=Actor.of(user),
        values={"quality_flags": flags, "submitted_at": utcnow(), "review_reason": None},
    )
    session.commit()
    return offer


def review_offer(
    session: Session,
    offer_id: int,
    *,
    user: User,
    decision: Decision,
    reason: str | None,
    version: int | None = None,
) -> Offer:
    if not access.is_manager(user):
        raise Forbidden(_("Nur die Koordinierungsstelle prüft Angebote."))
    reason = (reason or "").strip() or None
    if decision != Decision.APPROVE and reason is None:
        raise Invalid(
            _("Für Ablehnung oder Änderungswunsch ist eine Begründung nötig."),
            details=[{"field": "reason", "code": "missing", "message": _("Begründung fehlt.")}],
        )
    offer = access.visible_offer(session, offer_id, user)
    check_version(offer, version)
    if offer.status == S.APPROVED and offer.pending_changes:
        _review_change(session, offer, user=user, decision=decision, reason=reason)
    else:
        values: dict[str, Any] = {"review_reason": reason}
        if decision == Decision.APPROVE:
            values["approved_at"] = utcnow()
        _move(
            session,
            offer,
            DECISION_TARGET[decision],
            by=Actor.of(user),
            reason=reason,
            values=values,
        )
    session.commit()
    return offer


def _review_change(
    session: Session, offer: Offer, *, user: User, decision: Decision, reason: str | None
) -> None:
    """Decide on a proposed change to an approved offer; the offer stays approved."""
    pending = dict(offer.pending_changes or {})
    values: dict[str, Any] = {"pending_changes": None, "review_reason": reason}
    if decision == Decision.APPROVE:
        values |= storage_values(merged(offer, pending)) | {"approved_at": utcnow()}
    verdict = {
        Decision.APPROVE: _("Änderung freigegeben"),
        Decision.REQUEST_CHANGES: _("Änderung nicht übernommen, Überarbeitung erbeten"),
        Decision.REJECT: _("Änderung abgelehnt"),
    }[decision]
    save_recorded(
        session,
        offer,
        values,
        action=f"offer.change_{decision.value}",
        detail={"fields": sorted(pending)},
        by=Actor.of(user),
        step=ReviewStep(S.APPROVED, S.APPROVED, f"{verdict}: {reason}" if reason else verdict),
    )


def withdraw_offer(
    session: Session,
    offer_id: int,
    *,
    user: User,
    version: int | None = None,
    reason: str | None = None,
) -> Offer:
    offer = access.editable_offer(session, offer_id, user)
    check_version(offer, version)
    _move(
        session,
        offer,
        S.WITHDRAWN,
        by=Actor.of(user),
        reason=reason,
        values={"pending_changes": None},
    )
    session.commit()
    return offer


def list_reviews(session: Session, offer_id: int, *, user: User) -> list[OfferReview]:
    if user.role == Role.COUNSELLOR:
        raise Forbidden()
    access.visible_offer(session, offer_id, user)
    query = (
        select(OfferReview)
        .where(OfferReview.offer_id == offer_id)
        .order_by(col(OfferReview.created_at), col(OfferReview.id))
    )
    return list(session.exec(query))


def expire_offers(session: Session, *, today: date | None = None, by: Actor = CLI) -> list[int]:
    """Approved offers whose last start date has passed (none today or later) expire;
    offers with rolling entry stay open."""
    today = today or local_today()
    expired = []
    for offer in session.exec(select(Offer).where(Offer.status == S.APPROVED)).all():
        starts = content_of(offer).start_dates
        if starts and starts[-1] < today and not offer.rolling_entry:
            offer_id = offer.id
            _move(
                session,
                offer,
                S.EXPIRED,
                by=by,
                reason=_("Letzter Starttermin ist vorbei."),
                values={"pending_changes": None},
            )
            expired.append(offer_id)
    session.commit()
    return [i for i in expired if i is not None]
