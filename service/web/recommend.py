"""Counsellor's recommendation pages: ranked offers, decisions, outcomes, printable summary.

Ranking, decisions and outcomes are the recommendation service's; this module only renders them
and turns form posts into its calls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from pydantic import ValidationError
from sqlmodel import col, select

from models.base import utcnow
from models.enums import DecisionAction, District, OfferStatus, Role
from models.recommendation import (
    Decision,
    DecisionCorrection,
    DecisionCreate,
    Outcome,
    OutcomeCreate,
    Recommendation,
)
from service import offers
from service.caseload import decisions, outcomes
from service.core.clock import local_today
from service.core.config import get_settings
from service.core.db import get_session
from service.core.domain_errors import DomainError, NotFound
from service.recommendations import requests as rec_service
from service.recommendations.handout import offer_views
from service.web.auth import role_required, web_user
from service.web.catalogue import SearchForm, run_search
from service.web.forms import (
    ConfirmForm,
    DecisionCorrectionForm,
    DecisionForm,
    OutcomeForm,
    parse_date,
)
from service.web.reads import own_recommendation

bp = Blueprint("recommend", __name__, url_prefix="/beratung")
TOP_K = 5
PICKER_SIZE = 10
CHOSEN = (DecisionAction.ACCEPTED.value, DecisionAction.OVERRIDE.value)


@bp.route("/profile/<int:profile_id>/empfehlung", methods=["POST"])
@role_required(Role.COUNSELLOR)
def request_recommendation(profile_id: int) -> Any:
    try:
        session = get_session()
        rec = rec_service.create_recommendation(session, profile_id, user=web_user(), k=TOP_K)
        session.commit()
    except DomainError as exc:
        if isinstance(exc, NotFound):
            abort(404)
        flash(exc.message, "error")
        return redirect(url_for("counsellor.profile", profile_id=profile_id))
    return redirect(url_for("recommend.page", request_id=rec.request_id))


@bp.route("/empfehlungen/<request_id>")
@role_required(Role.COUNSELLOR)
def page(request_id: str) -> Any:
    return render_template("counsellor/recommendation.html", **_context(request_id))


@bp.route("/empfehlungen/<request_id>/druck")
@role_required(Role.COUNSELLOR)
def printable(request_id: str) -> Any:
    return render_template("counsellor/recommendation_print.html", **_context(request_id))


def _apply(change: Callable[[], None], request_id: str, incomplete: str, done: str) -> Any:
    """Run a decision change; its outcome as a message on the recommendation page."""
    try:
        change()
        get_session().commit()
    except ValidationError:
        flash(incomplete, "error")
    except DomainError as exc:
        if isinstance(exc, NotFound):
            abort(404)
        flash(" ".join(d["message"] for d in exc.details) or exc.message, "error")
    else:
        flash(done, "success")
    return redirect(url_for("recommend.page", request_id=request_id) + "#entscheidung")


@bp.route("/empfehlungen/<request_id>/entscheidung", methods=["POST"])
@role_required(Role.COUNSELLOR)
def decide(request_id: str) -> Any:
    form = DecisionForm()
    action = request.form.get("action", "")
    if action not in {a.value for a in DecisionAction}:
        abort(400)
    if not form.validate_on_submit():
        flash(gettext("Bitte eine Begründung auswählen."), "error")
        return redirect(url_for("recommend.page", request_id=request_id))
    offer_id = int(form.offer_id.data) if (form.offer_id.data or "").isdigit() else None

    def record() -> None:
        data = DecisionCreate.model_validate(
            {"action": action, "offer_id": offer_id, "reason_code": form.reason_code.data}
        )
        decisions.record_decision(get_session(), request_id, data, user=web_user())

    incomplete = gettext("Die Entscheidung ist unvollständig.")
    return _apply(record, request_id, incomplete, _decided_message(action))


@bp.route("/empfehlungen/<request_id>/ergebnis", methods=["POST"])
@role_required(Role.COUNSELLOR)
def outcome(request_id: str) -> Any:
    session = get_session()
    rec = own_recommendation(request_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        offer_id = int(form.offer_id.data) if (form.offer_id.data or "").isdigit() else None
        try:
            data = OutcomeCreate(
                request_id=request_id,
                offer_id=offer_id,
                status=form.status.data,
                started_on=parse_date(form.started_on.data),
                ended_on=parse_date(form.ended_on.data),
                employed_6m=OutcomeForm.tri_state(form.employed_6m.data),
                employed_12m=OutcomeForm.tri_state(form.employed_12m.data),
            )
            outcomes.record_outcome(session, rec.profile_id, data, user=web_user())
            session.commit()
        except ValidationError:
            flash(gettext("Das Ergebnis konnte nicht gespeichert werden."), "error")
        except DomainError as exc:
            flash(" ".join(d["message"] for d in exc.details) or exc.message, "error")
        else:
            flash(gettext("Das Ergebnis wurde gespeichert."), "success")
    else:
        messages = [m for errors in form.errors.values() for m in errors]
        flash(" ".join(messages) or gettext("Bitte den Stand der Maßnahme auswählen."), "error")
    return redirect(url_for("recommend.page", request_id=request_id) + "#ergebnis")


@bp.route("/entscheidungen/<int:decision_id>/korrektur", methods=["POST"])
@role_required(Role.COUNSELLOR)
def correct(decision_id: int) -> Any:
    session = get_session()
    old = session.get(Decision, decision_id)
    if old is None:
        abort(404)
    request_id = old.request_id
    own_recommendation(request_id)  # 404 for another caseload
    form = DecisionCorrectionForm()
    action = request.form.get("action", "")
    if action not in {a.value for a in DecisionAction} or not form.validate_on_submit():
        flash(gettext("Bitte Entscheidung, Begründung und Korrekturgrund auswählen."), "error")
        return redirect(url_for("recommend.page", request_id=request_id) + "#entscheidung")
    offer_id = int(form.offer_id.data) if (form.offer_id.data or "").isdigit() else None

    def change() -> None:
        data = DecisionCorrection.model_validate(
            {
                "action": action,
                "offer_id": None if action == DecisionAction.NO_MEASURE else offer_id,
                "reason_code": form.reason_code.data,
                "correction_reason": form.correction_reason.data,
            }
        )
        decisions.correct_decision(
            session,
            decision_id,
            data,
            user=web_user(),
            correction_days=get_settings().decision_correction_days,
        )

    done = gettext("Die Entscheidung wurde korrigiert; die frühere bleibt im Verlauf.")
    return _apply(change, request_id, gettext("Die Korrektur ist unvollständig."), done)


def _context(request_id: str) -> dict[str, Any]:
    session = get_session()
    rec = own_recommendation(request_id)
    public = rec_service.to_public(rec)
    decisions = list(
        session.exec(
            select(Decision).where(Decision.request_id == request_id).order_by(col(Decision.id))
        )
    )
    outcomes = list(
        session.exec(
            select(Outcome).where(Outcome.request_id == request_id).order_by(col(Outcome.id))
        )
    )
    current = [d for d in decisions if d.superseded_at is None]
    chosen = next((d for d in current if d.action in CHOSEN), None)
    final = next((d for d in current if d.action != DecisionAction.REJECTED), None)
    return {
        "rec": public,
        "details": {o["offer_id"]: o for o in rec.offer_snapshot},
        "views": offer_views(
            session, [item["offer_id"] for item in public["items"]], today=local_today()
        ),
        "scale": _scale(public["items"]),
        "decisions": decisions,
        "final": final,
        "rejected": {d.offer_id for d in current if d.action == DecisionAction.REJECTED},
        "corrections": [d for d in decisions if d.superseded_at is not None or d.corrects_id],
        "correctable": final is not None and _correctable(final),
        "correction_form": DecisionCorrectionForm(),
        "correction_days": get_settings().decision_correction_days,
        "chosen_offer_id": chosen.offer_id if chosen else None,
        "outcomes": outcomes,
        "picker": _alternatives(rec, public["items"]) if final is None else None,
        "other_offers": _other_offers(public["items"]) if final is not None else [],
        "decision_form": DecisionForm(),
        "outcome_form": OutcomeForm(),
        "confirm": ConfirmForm(),
    }


def _correctable(decision: Decision) -> bool:
    first = decision
    while first.corrects_id is not None:
        earlier = get_session().get(Decision, first.corrects_id)
        if earlier is None:
            break
        first = earlier
    days = get_settings().decision_correction_days
    return bool(utcnow() <= first.created_at + timedelta(days=days))


def _scale(items: list[dict[str, Any]]) -> dict[str, float]:
    """One axis for all bars on the page, always including zero, in percentage points."""
    lows = [min(i.get("effect_interval_pp") or [i.get("effect_pp") or 0]) for i in items]
    highs = [max(i.get("effect_interval_pp") or [i.get("effect_pp") or 0]) for i in items]
    low = min([0.0, *lows])
    high = max([5.0, *highs])
    return {"low": float(low), "high": float(high)}


def _alternatives(rec: Recommendation, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The override picker: the catalogue search (a GET form on this page), by default the
    approved offers nearest to the person's district; offers already ranked are left out."""
    form = SearchForm(formdata=request.args or None)
    district = (rec.input_snapshot or {}).get("district")
    if not request.args and district in {d.value for d in District}:
        form.sort.data, form.from_district.data = "travel", district
    results = run_search(form, limit=PICKER_SIZE) if form.validate() else None
    ranked = {item["offer_id"] for item in items}
    cards = [c for c in results.cards if c.id not in ranked] if results else []
    return {"form": form, "cards": cards, "total": results.total if results else 0}


def _other_offers(items: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Other approved offers a decision may be corrected to (override)."""
    ranked = {item["offer_id"] for item in items}
    rows, _ = offers.list_offers(
        get_session(),
        user=web_user(),
        limit=300,
        offset=0,
        filters=offers.OfferFilters(status=OfferStatus.APPROVED),
    )
    return [(o.id, o.title) for o in rows if o.id is not None and o.id not in ranked]


def _decided_message(action: str) -> str:
    messages: dict[str, str] = {
        "accepted": gettext("Die Annahme wurde gespeichert."),
        "rejected": gettext("Die Ablehnung wurde gespeichert."),
        "override": gettext("Das gewählte andere Angebot wurde gespeichert."),
        "no_measure": gettext("„Keine Maßnahme“ wurde gespeichert."),
    }
    return messages[action]
