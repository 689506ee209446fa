"""Recommendations for a profile, the counsellor's decision on them, and later outcomes."""

from __future__ import annotations

from datetime import date

from flask import Response, jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from models.enums import Role
from models.recommendation import DecisionCreate, DecisionPublic, OutcomeCreate, OutcomePublic
from service.accounts.api_auth import current_user, require_roles
from service.api.blueprint import api_blueprint
from service.api.profiles import ProfilePath
from service.api.replies import created, public_json
from service.api.schemas import AUTH_ERRORS, responses
from service.caseload import decisions, outcomes
from service.core.db import get_session
from service.recommendations import requests as rec_service
from service.recommendations.catalog import ProviderContact

bp = api_blueprint("recommendations", __name__, "", _("Empfehlungen"))


class RecommendQuery(BaseModel):
    k: int = Field(default=5, ge=1, le=20, description=_("Anzahl der Empfehlungen"))


class RequestPath(BaseModel):
    request_id: str = Field(min_length=36, max_length=36, pattern=r"^[0-9a-f-]{36}$")


class OtherRun(BaseModel):
    offer_id: int
    next_start: date | None = Field(description=_("Nächster Beginn; null bei laufendem Einstieg"))


class RecommendationItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    rank: int
    offer_id: int
    title: str
    measure_type: str
    score: float
    p_without: float | None
    p_with: float | None
    effect_pp: float | None
    effect_interval_pp: list[float] | None
    reasons: list[str]
    warnings: list[str]
    other_runs: list[OtherRun] = Field(
        default_factory=list, description=_("Weitere Termine desselben Kurses (gleicher Träger)")
    )
    provider: ProviderContact | None = Field(
        default=None, description=_("Träger und Kontakt (fehlt nur bei sehr alten Empfehlungen)")
    )
    next_start: date | None = Field(
        default=None,
        description=_(
            "Nächster Starttermin ab dem Tag der Empfehlung; null bei laufendem Einstieg"
        ),
    )


class RecommendationPublic(BaseModel):
    request_id: str
    profile_id: int
    mode: str
    model_version: str | None
    model_sha256: str | None
    k: int
    created_at: str
    message: str | None
    items: list[RecommendationItem]


class RecommendationList(BaseModel):
    items: list[RecommendationPublic]


@bp.post(
    "/profiles/<int:profile_id>/recommendations",
    responses=responses(201, RecommendationPublic, *AUTH_ERRORS, 404),
)
@require_roles(Role.COUNSELLOR)
def create_recommendation(path: ProfilePath, query: RecommendQuery) -> Response:
    """Die Angebote, die die Beschäftigungschance dieser Person am meisten erhöhen.

    Nur freigegebene Angebote mit freien Plätzen, für die die Person die Voraussetzungen
    erfüllt. Bewertet wird der geschätzte Zugewinn (Prozentpunkte) an der Wahrscheinlichkeit,
    sechs Monate nach der Maßnahme sozialversicherungspflichtig beschäftigt zu sein.
    """
    rec = rec_service.create_recommendation(
        get_session(), path.profile_id, user=current_user(), k=query.k
    )
    return created(rec_service.to_public(rec))


@bp.get(
    "/profiles/<int:profile_id>/recommendations",
    responses=responses(200, RecommendationList, *AUTH_ERRORS, 404),
)
@require_roles(Role.COUNSELLOR)
def list_recommendations(path: ProfilePath) -> Response:
    """Frühere Empfehlungen zu einem Profil, neueste zuerst."""
    rows = rec_service.list_for_profile(get_session(), path.profile_id, user=current_user())
    return jsonify({"items": [rec_service.to_public(r) for r in rows]})


@bp.get(
    "/recommendations/<request_id>",
    responses=responses(200, RecommendationPublic, *AUTH_ERRORS, 404),
)
@require_roles(Role.COUNSELLOR)
def get_recommendation(path: RequestPath) -> Response:
    """Gespeicherter Stand einer Empfehlung: Eingaben, Modellversion, Werte, Begründungen."""
    rec = rec_service.get_recommendation(get_session(), path.request_id, user=current_user())
    body = rec_service.to_public(rec)
    body["input"] = rec.input_snapshot
    return jsonify(body)


@bp.post(
    "/recommendations/<request_id>/decision",
    responses=responses(201, DecisionPublic, *AUTH_ERRORS, 404, 409),
)
@require_roles(Role.COUNSELLOR)
def record_decision(path: RequestPath, body: DecisionCreate) -> Response:
    """Entscheidung erfassen: angenommen, abgelehnt, anderes Angebot oder keine Maßnahme.

    Je Empfehlung gibt es genau eine gültige abschließende Entscheidung (auch bei gleichzeitigen
    Anfragen; sonst 409). Korrektur: ``POST /api/v1/decisions/{decision_id}/corrections``.
    """
    decision = decisions.record_decision(get_session(), path.request_id, body, user=current_user())
    return created(public_json(DecisionPublic, decision))


@bp.post(
    "/profiles/<int:profile_id>/outcomes",
    responses=responses(201, OutcomePublic, *AUTH_ERRORS, 404),
)
@require_roles(Role.COUNSELLOR)
def record_outcome(path: ProfilePath, body: OutcomeCreate) -> Response:
    """Verlauf als datierte Fakten erfassen: Beginn und Ende der Maßnahme (oder nicht begonnen)
    und die Beschäftigung 6 und 12 Monate danach.

    Stichtag der Beschäftigung ist 6 (12) Monate nach Maßnahmeende bzw. nach der Entscheidung
    ohne Maßnahme; vorher kann sie nicht erfasst werden. Widersprüche (nicht begonnen, aber
    Beginn angegeben; Ende vor Beginn; Daten in der Zukunft) ergeben 422 mit Feldfehlern.
    Korrekturen: ``PATCH /api/v1/outcomes/{outcome_id}``.
    """
    outcome = outcomes.record_outcome(get_session(), path.profile_id, body, user=current_user())
    return created(public_json(OutcomePublic, outcome))
