"""The model registry: versions with their model cards and plots, promotion and rollback."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Response, jsonify
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.routing import BaseConverter

from models.enums import Role
from models.registry import RankerVersionPublic
from service import registry
from service.api.schemas import AUTH_ERRORS, responses
from service.auth import BEARER_SECURITY, current_user, require_roles
from service.db import get_session
from service.errors import ConflictError, NotFoundError
from training.registry import RegistryError, VersionNotFoundError

bp = APIBlueprint(
    "registry",
    __name__,
    url_prefix="/api/v1/models",
    abp_tags=[Tag(name="Modelle")],
    abp_security=BEARER_SECURITY,
)

#: Versions are dated (``2026-11-25.1``), so they start with a digit: ``/models/rollback`` can
#: never be read as a version, and its 405 names only the methods it really has.
VERSION_REGEX = r"[0-9][0-9A-Za-z.\-_]{0,31}"
VERSION_PATTERN = f"^{VERSION_REGEX}$"


class VersionConverter(BaseConverter):
    regex = VERSION_REGEX


PNG_CONTENT: dict[str, Any] = {"image/png": {"schema": {"type": "string", "format": "binary"}}}


class VersionPath(BaseModel):
    version: str = Field(pattern=VERSION_PATTERN)


class PlotPath(VersionPath):
    name: str = Field(pattern=r"^[a-z0-9_]{1,40}$")


class VersionQuery(BaseModel):
    format: str | None = Field(default=None, pattern="^(json|md)$")


class VersionList(BaseModel):
    items: list[RankerVersionPublic]
    aliases: dict[str, str]


class VersionDetail(RankerVersionPublic):
    # ``?format=md`` answers with the model card alone, as Markdown.
    model_config = ConfigDict(  # type: ignore[assignment]
        openapi_extra={"content": {"text/markdown": {"schema": {"type": "string"}}}}  # type: ignore[typeddict-unknown-key]
    )

    model_card: str
    plots: list[str]


class Aliases(BaseModel):
    aliases: dict[str, str]


def _version_or_404(version: str) -> Any:
    try:
        return registry.get_version(get_session(), version)
    except VersionNotFoundError:
        raise NotFoundError(f"Modellversion {version} gibt es nicht.") from None


@bp.get("", responses=responses(200, VersionList, *AUTH_ERRORS))
@require_roles(Role.ADMIN, Role.COORDINATOR)
def list_models() -> Response:
    """Alle Modellversionen (neueste zuerst) und die Aliase champion/candidate/previous."""
    session = get_session()
    items = registry.list_versions(session)
    return jsonify(
        {
            "items": [item.model_dump(mode="json") for item in items],
            "aliases": registry.current_aliases(session),
        }
    )


@bp.get("/<version:version>", responses=responses(200, VersionDetail, *AUTH_ERRORS, 404))
@require_roles(Role.ADMIN, Role.COORDINATOR)
def get_model(path: VersionPath, query: VersionQuery) -> Response:
    """Eine Version mit Modellkarte; ``?format=md`` lädt die Modellkarte als Markdown herunter."""
    row = _version_or_404(path.version)
    if query.format == "md":
        return Response(
            row.model_card,
            mimetype="text/markdown",
            headers={"Content-Disposition": f'attachment; filename="modellkarte-{row.version}.md"'},
        )
    public = registry.to_public(row, registry.current_aliases(get_session()))
    body = public.model_dump(mode="json")
    body["model_card"] = row.model_card
    body["plots"] = sorted(row.plots)
    return jsonify(body)


@bp.get(
    "/<version:version>/plots/<name>.png",
    responses=responses(200, {"content": PNG_CONTENT}, *AUTH_ERRORS, 404),
)
@require_roles(Role.ADMIN, Role.COORDINATOR)
def get_plot(path: PlotPath) -> Response:
    """Eine Grafik der Modellkarte als PNG."""
    row = _version_or_404(path.version)
    encoded = row.plots.get(path.name)
    if encoded is None:
        raise NotFoundError(f"Grafik {path.name} gibt es für diese Version nicht.")
    try:
        png = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise NotFoundError("Grafik ist beschädigt.") from None
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"  # versions are immutable
    return response


@bp.post("/<version:version>/promote", responses=responses(200, Aliases, *AUTH_ERRORS, 404, 409))
@require_roles(Role.ADMIN)
def promote_model(path: VersionPath) -> Response:
    """Version zum Champion machen; der bisherige Champion wird ``previous``."""
    session = get_session()
    _version_or_404(path.version)
    try:
        aliases = registry.promote(session, path.version, actor_id=current_user().id)
    except RegistryError as exc:
        raise ConflictError(str(exc)) from None
    session.commit()
    return jsonify({"aliases": aliases})


@bp.post("/rollback", responses=responses(200, Aliases, *AUTH_ERRORS, 409))
@require_roles(Role.ADMIN)
def rollback_model() -> Response:
    """Zur vorherigen Version zurückkehren (Champion und ``previous`` tauschen)."""
    session = get_session()
    try:
        aliases = registry.rollback(session, actor_id=current_user().id)
    except RegistryError as exc:
        raise ConflictError(str(exc)) from None
    session.commit()
    return jsonify({"aliases": aliases})
