"""Partner organisations (Träger), managed by the coordination office."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from models.enums import District, ProviderKind, Role
from models.provider import ProviderCreate, ProviderPublic, ProviderUpdate
from service.accounts.api_auth import current_actor, require_roles
from service.api.blueprint import api_blueprint
from service.api.replies import created
from service.api.schemas import AUTH_ERRORS, Page, PageQuery, responses
from service.core.db import get_session
from service.offers import providers as provider_service

bp = api_blueprint("providers", __name__, "/providers", _("Träger"))

MANAGERS = (Role.COORDINATOR, Role.ADMIN)


class ProviderPath(BaseModel):
    provider_id: int = Field(ge=1, le=2**31 - 1)


class ProviderQuery(PageQuery):
    district: District | None = None
    kind: ProviderKind | None = None
    q: str | None = Field(default=None, min_length=1, max_length=100)


class ProviderPage(Page):
    items: list[ProviderPublic]


@bp.post("", responses=responses(201, ProviderPublic, *AUTH_ERRORS))
@require_roles(*MANAGERS)
def create_provider(body: ProviderCreate) -> Response:
    """Träger anlegen."""
    provider = provider_service.create_provider(get_session(), body, by=current_actor())
    return created(
        provider_service.to_public(provider), location=f"/api/v1/providers/{provider.id}"
    )


@bp.get("", responses=responses(200, ProviderPage, *AUTH_ERRORS))
@require_roles(*MANAGERS)
def list_providers(query: ProviderQuery) -> Response:
    """Träger auflisten; Filter nach Stadtbezirk, Art und Namensteil."""
    rows, total = provider_service.list_providers(
        get_session(),
        limit=query.limit,
        offset=query.offset,
        district=query.district,
        kind=query.kind,
        q=query.q,
    )
    return jsonify(query.page([provider_service.to_public(p) for p in rows], total))


@bp.get("/<int:provider_id>", responses=responses(200, ProviderPublic, *AUTH_ERRORS, 404))
@require_roles(*MANAGERS)
def get_provider(path: ProviderPath) -> Response:
    """Einen Träger lesen."""
    return jsonify(
        provider_service.to_public(provider_service.get_provider(get_session(), path.provider_id))
    )


@bp.patch("/<int:provider_id>", responses=responses(200, ProviderPublic, *AUTH_ERRORS, 404, 409))
@require_roles(*MANAGERS)
def update_provider(path: ProviderPath, body: ProviderUpdate) -> Response:
    """Träger ändern; `version` muss der zuletzt gelesenen Version entsprechen."""
    provider = provider_service.update_provider(
        get_session(), path.provider_id, body, by=current_actor()
    )
    return jsonify(provider_service.to_public(provider))
