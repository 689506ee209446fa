"""Create, read, list and edit offers, within the access rules of :mod:`service.offers.access`.

Editing an *approved* offer does not change what counsellors see: the edit is kept in
``pending_changes`` and the approved version stays visible and recommendable until a coordinator
approves the change (see :mod:`service.offers.workflow`). Only ``seats_free`` applies at once,
because an outdated seat count misleads counsellors more than an unreviewed number does.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.enums import OfferStatus, Role
from models.offer import Offer, OfferBase, OfferCreate, OfferPublic, OfferUpdate
from models.user import User
from service.core import audit
from service.core.audit import Actor
from service.core.clock import local_today
from service.core.domain_errors import Conflict, Invalid
from service.offers import access
from service.offers.fields import (
    changed_fields,
    check_codes,
    content_of,
    merged,
    storage_values,
    validated,
)
from service.offers.quality import DuplicateIndex, compute_flags
from service.offers.search import OfferFilters, search_offers
from service.offers.store import ReviewStep, check_version, save_recorded

EDITABLE = frozenset({OfferStatus.DRAFT, OfferStatus.CHANGES_REQUESTED})
IMMEDIATE_FIELDS = frozenset({"seats_free"})


def to_public(offer: Offer, *, viewer: User | None = None) -> dict[str, Any]:
    data = OfferPublic.model_validate(offer, from_attributes=True).model_dump(mode="json")
    data["review_pending"] = has_pending(offer)
    if viewer is not None and viewer.role == Role.COUNSELLOR:
        data.update(quality_flags=[], pending_changes=None, review_pending=False)
    return data


def has_pending(offer: Offer) -> bool:
    return bool(offer.pending_changes)


def _new_ref() -> str:
    return f"QM-{secrets.token_hex(4).upper()}"


def create_offer(
    session: Session, data: OfferCreate, *, user: User, today: date | None = None
) -> Offer:
    provider_id = access.target_provider(session, user, data.provider_id)
    check_codes(session, data.target_occupations)
    values = data.model_dump(mode="json", exclude={"provider_id"})
    values["external_ref"] = values["external_ref"] or _new_ref()
    content = validated(values)
    _refuse_duplicate_ref(session, provider_id, content.external_ref)
    offer = Offer(
        **storage_values(content),
        provider_id=provider_id,
        created_by_id=user.id,
        quality_flags=compute_flags(
            session,
            content,
            provider_id=provider_id,
            offer_id=None,
            today=today or local_today(),
        ),
    )
    session.add(offer)
    try:
        session.flush()
    except IntegrityError:  # a concurrent request used the same reference
        session.rollback()
        raise _duplicate_ref() from None
    audit.record(session, "offer.create", "offer", offer.id, by=Actor.of(user))
    session.commit()
    return offer


def _refuse_duplicate_ref(session: Session, provider_id: int, ref: str) -> None:
    query = select(Offer.id).where(Offer.provider_id == provider_id, Offer.external_ref == ref)
    if session.exec(query).first() is not None:
        raise _duplicate_ref()


def _duplicate_ref() -> Conflict:
    return Conflict(
        _("Der Träger hat bereits ein Angebot mit dieser Referenz."), code="duplicate_external_ref"
    )


def get_readable(session: Session, offer_id: int, *, user: User) -> Offer:
    return access.visible_offer(session, offer_id, user)


def read_offer(session: Session, offer_id: int, *, user: User) -> Offer:
    return access.visible_offer(session, offer_id, user)


def list_offers(
    session: Session, *, user: User, limit: int, offset: int, filters: OfferFilters | None = None
) -> tuple[list[Offer], int]:
    """A page of visible offers, all unless ``filters`` narrow them (see :func:`search_offers`)."""
    return search_offers(session, filters or OfferFilters(), user=user, limit=limit, offset=offset)


def update_offer(
    session: Session, offer_id: int, data: OfferUpdate, *, user: User, today: date | None = None
) -> Offer:
    offer = access.editable_offer(session, offer_id, user)
    check_version(offer, data.version)
    changes = data.model_dump(mode="json", exclude_unset=True, exclude={"version"})
    check_codes(session, changes.get("target_occupations") or [])
    return apply_edit(session, offer, changes, user=user, today=today or local_today())


def apply_edit(
    session: Session, offer: Offer, changes: dict[str, Any], *, user: User, today: date
) -> Offer:
    """Apply JSON-form ``changes`` according to the offer's status and commit."""
    stage_edit(session, offer, changes, user=user, today=today)
    session.commit()
    return offer


def stage_edit(
    session: Session,
    offer: Offer,
    changes: dict[str, Any],
    *,
    user: User,
    today: date,
    index: DuplicateIndex | None = None,
) -> None:
    """Write an edit without committing (the import runs one savepoint per row)."""
    status = OfferStatus(offer.status)
    if status == OfferStatus.APPROVED:
        _edit_approved(session, offer, changes, user=user, today=today, index=index)
        return
    if status not in EDITABLE:
        raise Conflict(
            _(
                "Ein Angebot im Status „%(status)s“ kann nicht bearbeitet werden.",
                status=status.value,
            ),
            code="offer_not_editable",
            extra={"status": status.value},
        )
    before = content_of(offer)
    content = merged(offer, changes)
    values = storage_values(content)
    values["quality_flags"] = _flags(session, offer, content, today, index)
    save_recorded(
        session,
        offer,
        values,
        action="offer.update",
        detail={"fields": sorted(changed_fields(before, content))},
        by=Actor.of(user),
    )


def _edit_approved(
    session: Session,
    offer: Offer,
    changes: dict[str, Any],
    *,
    user: User,
    today: date,
    index: DuplicateIndex | None,
) -> None:
    current = merged(offer, {})
    pending = dict(offer.pending_changes or {})
    immediate = {k: v for k, v in changes.items() if k in IMMEDIATE_FIELDS}
    proposed = merged(offer, pending | changes)
    try:
        live = merged(offer, immediate)
    except Invalid:  # e.g. more free seats than the approved total: review it
        immediate, live = {}, current
    pending = changed_fields(live, proposed)
    values: dict[str, Any] = {k: v for k, v in storage_values(live).items() if k in immediate}
    values["pending_changes"] = pending or None
    values["quality_flags"] = _flags(session, offer, proposed, today, index)
    step = None
    if pending:
        reason = _("Änderung zur Prüfung eingereicht: ") + ", ".join(sorted(pending))
        step = ReviewStep(OfferStatus.APPROVED, OfferStatus.APPROVED, reason)
    save_recorded(
        session,
        offer,
        values,
        action="offer.change_proposed" if pending else "offer.update",
        detail={"fields": sorted(changed_fields(current, proposed))},
        by=Actor.of(user),
        step=step,
    )


def _flags(
    session: Session,
    offer: Offer,
    content: OfferBase,
    today: date,
    index: DuplicateIndex | None = None,
) -> list[Any]:
    return compute_flags(
        session,
        content,
        provider_id=offer.provider_id,
        offer_id=offer.id,
        today=today,
        index=index,
    )
