"""Corrections of recorded decisions and outcomes, and the decision trail of a recommendation.

A correction never overwrites: the earlier row stays (superseded) and the audit log names who
corrected what and why.
"""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from sqlmodel import col, select

from models.enums import Role
from models.recommendation import (
    Decision,
    DecisionCorrection,
    DecisionPublic,
    OutcomeCorrection,
    OutcomePublic,
)
from service.accounts.api_auth import current_user, require_roles
from service.api.blueprint import api_blueprint
from service.api.recommendations import RequestPath
from service.api.replies import created, public_json
from service.api.schemas import AUTH_ERRORS, responses
from service.caseload import decisions, outcomes
from service.core.config import get_settings
from service.core.db import get_session
from service.recommendations import requests as rec_service

bp = api_blueprint("corrections", __name__, "", _("Empfehlungen"))


class DecisionPath(BaseModel):
    decision_id: int = Field(ge=1, le=2**31 - 1)


class OutcomePath(BaseModel):
    outcome_id: int = Field(ge=1, le=2**31 - 1)


class DecisionList(BaseModel):
    items: list[DecisionPublic]


@bp.get(
    "/recommendations/<request_id>/decisions",
    responses=responses(200, DecisionList, *AUTH_ERRORS, 404),
)
@require_roles(Role.COUNSELLOR)
def list_decisions(path: RequestPath) -> Response:
    """Alle Entscheidungen zu einer Empfehlung, älteste zuerst – korrigierte eingeschlossen
    (``superseded_at`` gesetzt, ``corrects_id`` verweist auf die ersetzte Entscheidung)."""
    session = get_session()
    rec_service.get_recommendation(session, path.request_id, user=current_user())
    rows = session.exec(
        select(Decision).where(Decision.request_id == path.request_id).order_by(col(Decision.id))
    ).all()
    return jsonify({"items": [public_json(DecisionPublic, d) for d in rows]})


@bp.post(
    "/decisions/<int:decision_id>/corrections",
    responses=responses(201, DecisionPublic, *AUTH_ERRORS, 404, 409),
)
@require_roles(Role.COUNSELLOR)
def correct_decision(path: DecisionPath, body: DecisionCorrection) -> Response:
    """Entscheidung korrigieren (z. B. nach einem Fehlklick), mit Korrekturgrund.

    Nur die aktuelle Entscheidung und nur innerhalb von ``DECISION_CORRECTION_DAYS`` Tagen nach
    der ersten Erfassung (409 sonst). Die frühere Entscheidung bleibt als ersetzt erhalten.
    """
    decision = decisions.correct_decision(
        get_session(),
        path.decision_id,
        body,
        user=current_user(),
        correction_days=get_settings().decision_correction_days,
    )
    return created(public_json(DecisionPublic, decision))


@bp.patch(
    "/outcomes/<int:outcome_id>",
    responses=responses(200, OutcomePublic, *AUTH_ERRORS, 404, 409),
)
@require_roles(Role.COUNSELLOR)
def correct_outcome(path: OutcomePath, body: OutcomeCorrection) -> Response:
    """Ergebnis korrigieren: legt eine neue Fassung an (``version`` + 1, ``corrects_id``).

    Nicht gesendete Felder werden übernommen. Dieselben Plausibilitätsprüfungen wie bei der
    Erfassung (422 mit Feldfehlern); eine bereits ersetzte Fassung ergibt 409. Das Retraining
    liest nur die jeweils aktuelle Fassung.
    """
    outcome = outcomes.correct_outcome(get_session(), path.outcome_id, body, user=current_user())
    return jsonify(public_json(OutcomePublic, outcome))
