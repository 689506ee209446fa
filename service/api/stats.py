"""Aggregate statistics for the coordination office (no individual profiles, ever).

Each statistic keeps its logic in ``service/stats/<name>.py`` and adds its route(s) here.
"""

from __future__ import annotations

from typing import Literal

from flask import Response, jsonify
from pydantic import BaseModel, ConfigDict

from models.enums import Role
from service.accounts.api_auth import require_roles
from service.api.blueprint import api_blueprint
from service.api.schemas import AUTH_ERRORS, CSV_CONTENT, responses
from service.core.db import get_session
from service.stats import coverage

bp = api_blueprint("stats", __name__, "/stats", "Statistik")

STATS_READERS = (Role.COORDINATOR, Role.ADMIN)


class FormatQuery(BaseModel):
    format: Literal["json", "csv"] = "json"


class CoverageReport(BaseModel):
    # ``?format=csv`` answers the same operation with a CSV file.
    model_config = ConfigDict(openapi_extra={"content": CSV_CONTENT})  # type: ignore[typeddict-unknown-key]

    generated_at: str
    min_count: int
    disclosure_control: dict[str, object]
    rules: dict[str, str]
    demand: list[dict[str, object]]
    supply: list[dict[str, object]]
    gaps: list[dict[str, object]]


def _csv_response(text: str, filename: str) -> Response:
    return Response(
        text.encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/coverage", responses=responses(200, CoverageReport, *AUTH_ERRORS))
@require_roles(*STATS_READERS)
def coverage_stats(query: FormatQuery) -> Response:
    """Bedarf (Profile je Zielgruppe × Stadtbezirk × Maßnahmefamilie) gegen Angebot (freigegebene
    Angebote und freie Plätze); Lücken absteigend. Jede Bedarfszahl (auch Summen) ist nach dem
    Cell-Key-Verfahren um höchstens ±3 überlagert, in jeder Tabelle und an jedem Tag gleich;
    überlagerte Werte unter 5 werden gesperrt (`null`, `"suppressed": true`). Einzelheiten in
    `disclosure_control`. `?format=csv` liefert CSV."""
    report = coverage.coverage_report(get_session())
    if query.format == "csv":
        return _csv_response(coverage.coverage_csv(report), "versorgung.csv")
    return jsonify(report)


@bp.get("/coverage.csv", responses=responses(200, {"content": CSV_CONTENT}, *AUTH_ERRORS))
@require_roles(*STATS_READERS)
def coverage_stats_csv() -> Response:
    """Wie `/stats/coverage`, als CSV (Semikolon, UTF-8 mit BOM)."""
    report = coverage.coverage_report(get_session())
    return _csv_response(coverage.coverage_csv(report), "versorgung.csv")
