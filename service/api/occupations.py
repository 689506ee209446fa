"""Typo-tolerant search in the KldB 2010 job titles."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, Field, RootModel

from models.enums import Role
from models.occupation import OccupationMatchPublic
from service.accounts.api_auth import require_roles
from service.api.blueprint import api_blueprint
from service.api.schemas import AUTH_ERRORS, responses
from service.core.db import get_session
from service.occupations import get_index

bp = api_blueprint("occupations", __name__, "/occupations", _("Berufe (KldB 2010)"))


class SearchQuery(BaseModel):
    q: str = Field(
        min_length=1, max_length=200, description=_("Berufsbezeichnung, auch mit Tippfehlern")
    )
    limit: int = Field(default=10, ge=1, le=50)


class OccupationMatches(RootModel[list[OccupationMatchPublic]]):
    pass


@bp.get("/search", responses=responses(200, OccupationMatches, *AUTH_ERRORS))
@require_roles(*Role)
def search_occupations(query: SearchQuery) -> Response:
    """Berufe suchen: `[{"code", "title", "score"}]`, beste Treffer zuerst."""
    matches = get_index(get_session()).search(query.q, limit=query.limit)
    return jsonify(
        [{"code": m.code, "title": m.title, "score": round(m.score, 1)} for m in matches]
    )
