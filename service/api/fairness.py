"""Fairness and drift monitoring for the coordination office and operators."""

from __future__ import annotations

from flask import Response, jsonify

from models.enums import Role
from service.accounts.api_auth import require_roles
from service.api.blueprint import api_blueprint
from service.api.schemas import AUTH_ERRORS, responses
from service.core.db import get_session
from service.stats.fairness import fairness_report

bp = api_blueprint("fairness", __name__, "/stats", "Statistik")


@bp.get("/fairness", responses=responses(200, None, *AUTH_ERRORS))
@require_roles(Role.COORDINATOR, Role.ADMIN)
def fairness() -> Response:
    """Empfehlungs-, Annahme- und Abweichungsquoten sowie geschätzter Nutzen je Fokusgruppe.
    Anzahlen sind nach dem Cell-Key-Verfahren überlagert (siehe `disclosure_control`), Quoten
    aus überlagerten Anzahlen berechnet; überlagerte Werte unter 5 werden gesperrt."""
    return jsonify(fairness_report(get_session()))
