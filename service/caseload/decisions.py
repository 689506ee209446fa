"""Counsellor decisions on a recommendation: one current final decision per recommendation
(a partial unique index backs the check under concurrency), corrections within a set period.

A correction adds a row pointing at the decision it replaces and marks that one superseded, so
the earlier decision stays in the trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from models.base import utcnow
from models.enums import DecisionAction, OfferStatus
from models.offer import Offer
from models.recommendation import Decision, DecisionCorrection, DecisionCreate, Recommendation
from models.user import User
from service.caseload.outcomes import current_final_decision
from service.caseload.profiles import get_owned_row
from service.core import audit
from service.core.audit import Actor
from service.core.domain_errors import Conflict, Invalid, NotFound

DECISION_EXISTS = _("Zu dieser Empfehlung ist bereits eine Entscheidung erfasst.")


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(details=[{"field": field, "code": "invalid", "message": message}])


def _owned_recommendation(session: Session, request_id: str, *, user: User) -> Recommendation:
    return get_owned_row(
        session, Recommendation, request_id, user=user, missing=_("Empfehlung nicht gefunden.")
    )


def _flush_or_conflict(session: Session) -> None:
    """The unique index decides a race; the loser gets the same 409 as a sequential retry."""
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict(DECISION_EXISTS, code="decision_exists") from None


def _new_decision(
    rec: Recommendation, data: DecisionCreate, *, user: User, rank: int | None, **extra: Any
) -> Decision:
    """A decision on ``rec`` with the request's fields (a correction's include its reason);
    ``extra`` carries what only a correction sets."""
    return Decision(
        request_id=rec.request_id,
        profile_id=rec.profile_id,
        counsellor_id=user.id,
        recommended_rank=rank,
        **data.model_dump(),
        **extra,
    )


def record_decision(
    session: Session, request_id: str, data: DecisionCreate, *, user: User
) -> Decision:
    rec = _owned_recommendation(session, request_id, user=user)
    if current_final_decision(session, request_id) is not None:
        raise Conflict(DECISION_EXISTS, code="decision_exists")
    decision = _new_decision(rec, data, user=user, rank=check_decision(session, rec, data))
    session.add(decision)
    _flush_or_conflict(session)
    audit.record(
        session,
        "decision.create",
        "decision",
        decision.id,
        detail={
            "request_id": request_id,
            "action": data.action.value,
            "reason_code": data.reason_code.value,
        },
        by=Actor.of(user),
    )
    _flush_or_conflict(session)
    return decision


def _first_decided_at(session: Session, decision: Decision) -> datetime:
    """When the decision chain began: corrections do not extend the correction period."""
    first = decision
    while first.corrects_id is not None:
        earlier = session.get(Decision, first.corrects_id)
        if earlier is None:
            break
        first = earlier
    return first.created_at


def correct_decision(
    session: Session,
    decision_id: int,
    data: DecisionCorrection,
    *,
    user: User,
    correction_days: int,
    now: datetime | None = None,
) -> Decision:
    """Replace a current decision by a corrected one (with a reason code), audited."""
    now = now or utcnow()
    old = session.get(Decision, decision_id)
    if old is None:
        raise NotFound(_("Entscheidung nicht gefunden."))
    rec = _owned_recommendation(session, old.request_id, user=user)
    if old.superseded_at is not None:
        raise Conflict(
            _("Diese Entscheidung wurde bereits korrigiert."), code="decision_superseded"
        )
    if now > _first_decided_at(session, old) + timedelta(days=correction_days):
        raise Conflict(
            _(
                "Entscheidungen können nur innerhalb von %(correction_days)s Tagen korrigiert "
                "werden.",
                correction_days=correction_days,
            ),
            code="correction_period_over",
        )
    rank = check_decision(session, rec, data)
    marked = session.execute(
        update(Decision)
        .where(col(Decision.id) == old.id, col(Decision.superseded_at).is_(None))
        .values(superseded_at=now)
    )
    if marked.rowcount != 1:  # type: ignore[attr-defined]  # a concurrent correction won
        session.rollback()
        raise Conflict(
            _("Diese Entscheidung wurde bereits korrigiert."), code="decision_superseded"
        )
    new = _new_decision(rec, data, user=user, rank=rank, corrects_id=old.id, created_at=now)
    session.add(new)
    _flush_or_conflict(session)
    audit.record(
        session,
        "decision.correct",
        "decision",
        new.id,
        detail={
            "request_id": old.request_id,
            "corrects": old.id,
            "previous_action": str(old.action),
            "action": data.action.value,
            "reason_code": data.reason_code.value,
            "correction_reason": data.correction_reason.value,
        },
        by=Actor.of(user),
    )
    _flush_or_conflict(session)
    return new


def check_decision(session: Session, rec: Recommendation, data: DecisionCreate) -> int | None:
    """The rank of the chosen offer in the recommendation, after checking the combination."""
    ranks = {item["offer_id"]: item["rank"] for item in rec.items}
    action = data.action
    if action == DecisionAction.NO_MEASURE:
        if data.offer_id is not None:
            raise _invalid("offer_id", _("Bei „keine Maßnahme“ darf kein Angebot angegeben sein."))
        return None
    if data.offer_id is None:
        raise _invalid("offer_id", _("Bitte das betroffene Angebot angeben."))
    if action in (DecisionAction.ACCEPTED, DecisionAction.REJECTED):
        if data.offer_id not in ranks:
            raise _invalid("offer_id", _("Das Angebot gehört nicht zu dieser Empfehlung."))
        rank: int = ranks[data.offer_id]
        return rank
    offer = session.get(Offer, data.offer_id)  # override: any other approved offer
    if offer is None or offer.status != OfferStatus.APPROVED:
        raise _invalid("offer_id", _("Angebot nicht gefunden oder nicht freigegeben."))
    return ranks.get(data.offer_id)
