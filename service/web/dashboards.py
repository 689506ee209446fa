"""Coordinator dashboards: supply against demand, and fairness per focus group.

Figures come from the statistics modules as they are (already perturbed by the cell key method
and withheld below 5); this module only arranges them into tables and server-rendered SVG bars.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from models.enums import FocusGroup, MeasureFamily, Role
from service.core.db import get_session
from service.stats.coverage import ALL, GROUPS, TOTAL, coverage_csv, coverage_report
from service.stats.fairness import fairness_report
from service.web.auth import role_required

bp = Blueprint("dashboards", __name__, url_prefix="/koordination")
FAMILY_LABELS = {
    MeasureFamily.VOCATIONAL.value: _("Berufliche Qualifizierung"),
    MeasureFamily.LANGUAGE.value: _("Sprache und Grundbildung"),
    MeasureFamily.YOUTH_TRANSITION.value: _("Übergang Schule–Beruf"),
    MeasureFamily.ACTIVATION.value: _("Aktivierung"),
}
GROUP_LABELS = {
    ALL: "alle Personen",
    "rest": _("keine Zielgruppe"),
    "overall": "alle",
    **{g.value: g.value for g in FocusGroup},
}


@bp.route("/versorgung", endpoint="coverage")
@role_required(Role.COORDINATOR)
def coverage() -> Any:
    report = coverage_report(get_session())
    group = request.args.get("gruppe", ALL)
    if group not in GROUPS:
        group = ALL
    demand = {
        (c["district"], c["family"]): c for c in report["demand"] if c["focus_group"] == group
    }
    seats: dict[str, int] = {}
    for cell in report["supply"]:
        seats[cell["district"]] = seats.get(cell["district"], 0) + cell["free_seats"]
    districts = [d for (d, f) in demand if f == TOTAL and d != TOTAL]
    bars = [
        {"district": d, "demand": demand[(d, TOTAL)]["count"], "seats": seats.get(d, 0)}
        for d in districts
    ]
    return render_template(
        "coordinator/coverage.html",
        report=report,
        group=group,
        groups=GROUPS,
        demand=demand,
        districts=districts,
        families=list(FAMILY_LABELS),
        family_labels=FAMILY_LABELS,
        bars=bars,
        bar_max=max([1, *[b["seats"] for b in bars], *[b["demand"] or 0 for b in bars]]),
        gaps=[g for g in report["gaps"] if g["gap"] is not None][:10],
    )


@bp.route("/versorgung.csv", endpoint="coverage_csv")
@role_required(Role.COORDINATOR)
def coverage_download() -> Response:
    body = coverage_csv(coverage_report(get_session()))
    return Response(
        body.encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="versorgung.csv"'},
    )


@bp.route("/fairness", endpoint="fairness")
@role_required(Role.COORDINATOR)
def fairness() -> Any:
    report = fairness_report(get_session())
    rows = [{"name": name, **values} for name, values in report["groups"].items()]
    return render_template("coordinator/fairness.html", report=report, rows=rows)
