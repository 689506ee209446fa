"""Liveness and readiness: database reachable, which ranking mode and model are in use."""

from __future__ import annotations

from flask import Response, jsonify
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service.core.db import get_session
from service.ranking.state import ranking_status

bp = APIBlueprint("health", __name__, url_prefix="/api/v1", abp_tags=[Tag(name="Betrieb")])


class RankingHealth(BaseModel):
    mode: str
    configured_mode: str
    model_version: str | None
    #: Whether the serving model passed its gates; null in rules mode (no model serves).
    gates_passed: bool | None = None
    reason: str | None = None


class Health(BaseModel):
    status: str
    database: str
    ranking: RankingHealth


@bp.get("/health", responses={200: Health, 503: Health}, security=[])
def health() -> Response:
    """Zustand des Dienstes (ohne Anmeldung)."""
    session = get_session()
    try:
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        database = "ok"
    except SQLAlchemyError:
        session.rollback()
        database = "unavailable"
    ranking = ranking_status(session) if database == "ok" else None
    body = {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "ranking": ranking
        or {
            "mode": "rules",
            "configured_mode": "unknown",
            "model_version": None,
            "gates_passed": None,
            "reason": "database_unavailable",
        },
    }
    response = jsonify(body)
    response.status_code = 200 if database == "ok" else 503
    return response
