"""Outcomes of a recommendation as dated, versioned facts: record, correct, read the current one.

A correction never overwrites: it adds version n + 1 and marks version n superseded, in one
transaction, so the trail stays and retraining reads only what is current.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update
from sqlmodel import Session, col, select

from models.base import utcnow
from models.offer import Offer
from models.recommendation import (
    FINAL_ACTIONS,
    Decision,
    Outcome,
    OutcomeCorrection,
    OutcomeCreate,
    OutcomeFacts,
    Recommendation,
)
from models.user import User
from service.caseload.outcome_checks import OutcomeContext, checked_facts
from service.caseload.profiles import get_owned, get_owned_row, mark_active
from service.core import audit
from service.core.audit import Actor
from service.core.clock import local_today
from service.core.domain_errors import Conflict, Invalid

FACT_FIELDS = tuple(OutcomeFacts.model_fields)


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(details=[{"field": field, "code": "invalid", "message": message}])


def current_final_decision(session: Session, request_id: str) -> Decision | None:
    return session.exec(
        select(Decision).where(
            Decision.request_id == request_id,
            col(Decision.action).in_(FINAL_ACTIONS),
            col(Decision.superseded_at).is_(None),
        )
    ).first()


def _context(session: Session, request_id: str | None, today: date | None) -> OutcomeContext:
    today = today or local_today()  # Krefeld's date, as everywhere else in the service
    if request_id is None:
        return OutcomeContext(today=today)
    rec = session.get(Recommendation, request_id)
    decision = current_final_decision(session, request_id)
    return OutcomeContext(
        today=today,
        recommended_on=rec.created_at.date() if rec is not None else None,
        decided_on=decision.created_at.date() if decision is not None else None,
    )


def _check_references(
    session: Session, profile_id: int, request_id: str | None, offer_id: int | None
) -> None:
    if request_id is not None:
        rec = session.get(Recommendation, request_id)
        if rec is None or rec.profile_id != profile_id:
            raise _invalid("request_id", _("Empfehlung gehört nicht zu diesem Profil."))
    if offer_id is not None and session.get(Offer, offer_id) is None:
        raise _invalid("offer_id", _("Angebot nicht gefunden."))


def record_outcome(
    session: Session,
    profile_id: int,
    data: OutcomeCreate,
    *,
    user: User,
    today: date | None = None,
) -> Outcome:
    profile = get_owned(session, profile_id, owner=user)
    _check_references(session, profile_id, data.request_id, data.offer_id)
    facts = checked_facts(data, _context(session, data.request_id, today))
    outcome = Outcome(
        **facts,
        request_id=data.request_id,
        offer_id=data.offer_id,
        profile_id=profile_id,
        recorded_by_id=user.id,
    )
    session.add(outcome)
    mark_active(session, profile)
    session.flush()
    audit.record(
        session,
        "outcome.create",
        "outcome",
        outcome.id,
        detail={"profile_id": profile_id},
        by=Actor.of(user),
    )
    session.flush()
    return outcome


def _merged(old: Outcome, change: OutcomeCorrection) -> tuple[OutcomeFacts, int | None]:
    """The corrected facts: sent fields replace, the rest is kept. A reference day that was
    not sent is derived again, since a changed end date moves it."""
    sent = change.model_dump(exclude_unset=True)
    values: dict[str, Any] = {name: getattr(old, name) for name in FACT_FIELDS}
    for name in ("employed_6m_on", "employed_12m_on"):
        values[name] = None
    values.update({k: v for k, v in sent.items() if k in FACT_FIELDS})
    offer_id = sent.get("offer_id", old.offer_id)
    return OutcomeFacts.model_validate(values), offer_id


def correct_outcome(
    session: Session,
    outcome_id: int,
    change: OutcomeCorrection,
    *,
    user: User,
    today: date | None = None,
) -> Outcome:
    """Add a corrected version of an outcome; only the current version can be corrected."""
    old = get_owned_row(
        session, Outcome, outcome_id, user=user, missing=_("Ergebnis nicht gefunden.")
    )
    if old.superseded_at is not None:
        raise Conflict(
            _("Diese Fassung wurde bereits korrigiert; bitte die aktuelle Fassung ändern."),
            code="outcome_superseded",
        )
    if not change.model_fields_set:
        raise Invalid(_("Die Korrektur enthält keine Änderung."))
    facts, offer_id = _merged(old, change)
    _check_references(session, old.profile_id, old.request_id, offer_id)
    values = checked_facts(facts, _context(session, old.request_id, today))
    marked = session.execute(
        update(Outcome)
        .where(col(Outcome.id) == old.id, col(Outcome.superseded_at).is_(None))
        .values(superseded_at=utcnow())
    )
    if marked.rowcount != 1:  # type: ignore[attr-defined]  # a concurrent correction won
        session.rollback()
        raise Conflict(_("Das Ergebnis wurde gerade geändert."), code="outcome_superseded")
    new = Outcome(
        **values,
        request_id=old.request_id,
        offer_id=offer_id,
        profile_id=old.profile_id,
        version=old.version + 1,
        corrects_id=old.id,
        recorded_by_id=user.id,
    )
    session.add(new)
    session.flush()
    audit.record(
        session,
        "outcome.correct",
        "outcome",
        new.id,
        detail={
            "profile_id": old.profile_id,
            "corrects": old.id,
            "version": new.version,
            "fields": sorted(change.model_fields_set),
        },
        by=Actor.of(user),
    )
    session.flush()
    session.refresh(old)
    return new
