"""The jobseeker's handout: the chosen or shortlisted offers with everything needed to act.

HTML for printing and a PDF download, in German or — for the handout texts only — in the
person's language (``?sprache=tr``). Counsellors only, and only for their own caseload.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_babel import force_locale
from sqlmodel import col, select

from models.enums import Role
from models.recommendation import Decision
from service.core.clock import local_today
from service.core.db import get_session
from service.recommendations.handout import handout_offer_ids, offer_views
from service.web.auth import role_required
from service.web.handout_pdf import render_pdf
from service.web.i18n import LANGUAGES, direction, language
from service.web.reads import own_recommendation

bp = Blueprint("handout", __name__, url_prefix="/beratung")


def _context(request_id: str) -> dict[str, Any]:
    session = get_session()
    rec = own_recommendation(request_id)
    decisions = list(
        session.exec(
            select(Decision).where(Decision.request_id == request_id).order_by(col(Decision.id))
        )
    )
    today = local_today()
    ids = handout_offer_ids(rec, decisions)
    views = offer_views(session, ids, today=today)
    lang = language(request.args.get("sprache"))
    return {
        "rec": rec,
        "offers": [views[i] for i in ids if i in views],
        "chosen": any(d.action in ("accepted", "override") for d in decisions),
        "today": today,
        "lang": lang,
        "dir": direction(lang),
        "languages": LANGUAGES,
    }


@bp.route("/empfehlungen/<request_id>/merkblatt")
@role_required(Role.COUNSELLOR)
def page(request_id: str) -> Any:
    context = _context(request_id)
    with force_locale(context["lang"]):
        return render_template("counsellor/handout.html", **context)


@bp.route("/empfehlungen/<request_id>/merkblatt.pdf")
@role_required(Role.COUNSELLOR)
def pdf(request_id: str) -> Response:
    context = _context(request_id)
    with force_locale(context["lang"]):
        body = render_pdf(context["offers"], today=context["today"], lang=context["lang"])
    response = Response(body, mimetype="application/pdf")
    name = f"merkblatt-{request_id[:8]}-{context['lang']}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
