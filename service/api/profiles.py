"""Profiles of the counsellor's own caseload."""

from __future__ import annotations

from flask import Response, current_app, jsonify
from pydantic import BaseModel, Field

from models.enums import District, Role
from models.profile import ProfileCreate, ProfilePublic, ProfileUpdate
from service.accounts.api_auth import current_user, require_roles
from service.api.blueprint import api_blueprint
from service.api.replies import created
from service.api.schemas import AUTH_ERRORS, Page, PageQuery, responses
from service.caseload import profiles as profile_service
from service.core.config import get_settings
from service.core.db import get_session

bp = api_blueprint("profiles", __name__, "/profiles", "Profile")


class ProfilePath(BaseModel):
    profile_id: int = Field(ge=1, le=2**31 - 1)


class ProfileQuery(PageQuery):
    district: District | None = None
    client_number: str | None = Field(default=None, min_length=3, max_length=32)


class ProfilePage(Page):
    items: list[ProfilePublic]


def _key() -> str:
    return get_settings(current_app).pseudonym_key


@bp.post("", responses=responses(201, ProfilePublic, *AUTH_ERRORS, 409))
@require_roles(Role.COUNSELLOR)
def create_profile(body: ProfileCreate) -> Response:
    """Profil anlegen. Die Kundennummer wird nur als Schlüssel-Hash (Pseudonym) gespeichert."""
    profile = profile_service.create_profile(
        get_session(), body, owner=current_user(), pseudonym_key=_key()
    )
    return created(profile_service.to_public(profile), location=f"/api/v1/profiles/{profile.id}")


@bp.get("", responses=responses(200, ProfilePage, *AUTH_ERRORS))
@require_roles(Role.COUNSELLOR)
def list_profiles(query: ProfileQuery) -> Response:
    """Eigene Fälle auflisten (nur der eigene Fallbestand)."""
    rows, total = profile_service.list_profiles(
        get_session(),
        owner=current_user(),
        limit=query.limit,
        offset=query.offset,
        district=query.district,
        client_number=query.client_number,
        pseudonym_key=_key(),
    )
    return jsonify(query.page([profile_service.to_public(p) for p in rows], total))


@bp.get("/<int:profile_id>", responses=responses(200, ProfilePublic, *AUTH_ERRORS, 404))
@require_roles(Role.COUNSELLOR)
def get_profile(path: ProfilePath) -> Response:
    """Ein Profil lesen (wird protokolliert)."""
    profile = profile_service.read_profile(get_session(), path.profile_id, owner=current_user())
    return jsonify(profile_service.to_public(profile))


@bp.patch("/<int:profile_id>", responses=responses(200, ProfilePublic, *AUTH_ERRORS, 404, 409))
@require_roles(Role.COUNSELLOR)
def update_profile(path: ProfilePath, body: ProfileUpdate) -> Response:
    """Profil ändern; `version` muss der zuletzt gelesenen Version entsprechen."""
    profile = profile_service.update_profile(
        get_session(), path.profile_id, body, owner=current_user()
    )
    return jsonify(profile_service.to_public(profile))


@bp.delete("/<int:profile_id>", responses=responses(204, None, *AUTH_ERRORS, 404))
@require_roles(Role.COUNSELLOR)
def delete_profile(path: ProfilePath) -> Response:
    """Profil endgültig löschen, samt Empfehlungen, Entscheidungen und Ergebnissen."""
    profile_service.delete_profile(get_session(), path.profile_id, owner=current_user())
    return Response(status=204)
