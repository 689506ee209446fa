"""Operator settings: the ranking kill switch."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from models.enums import RankingMode, Role
from service.accounts.api_auth import current_actor, require_roles
from service.api.blueprint import api_blueprint
from service.api.schemas import AUTH_ERRORS, responses
from service.core.db import get_session
from service.ranking import registry
from service.ranking.state import configured_mode, ranking_status

bp = api_blueprint("settings", __name__, "/settings", "Einstellungen")


class RankingModeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: RankingMode
    reason: str | None = Field(
        default=None,
        max_length=registry.REASON_MAX_LENGTH,
        description=_("Begründung (protokolliert)"),
    )


class RankingModeState(BaseModel):
    mode: RankingMode
    effective_mode: str
    model_version: str | None
    gates_passed: bool | None
    reason: str | None


def _state() -> Response:
    session = get_session()
    status = ranking_status(session)
    return jsonify(
        {
            "mode": configured_mode(session).value,
            "effective_mode": status["mode"],
            "model_version": status["model_version"],
            "gates_passed": status["gates_passed"],
            "reason": status["reason"],
        }
    )


@bp.get("/ranking", responses=responses(200, RankingModeState, *AUTH_ERRORS))
@require_roles(Role.ADMIN)
def get_ranking_mode() -> Response:
    """Eingestellter Ranking-Modus (``model`` oder ``rules``) und was tatsächlich läuft."""
    return _state()


@bp.put("/ranking", responses=responses(200, RankingModeState, *AUTH_ERRORS))
@require_roles(Role.ADMIN)
def put_ranking_mode(body: RankingModeBody) -> Response:
    """Not-Aus: ``rules`` schaltet das Modell sofort ab, ``model`` wieder ein.

    Optional ``reason``: die Begründung, die mit der Umschaltung protokolliert wird.
    """
    session = get_session()
    registry.set_ranking_mode(session, body.mode, by=current_actor(), reason=body.reason)
    session.commit()
    return _state()
