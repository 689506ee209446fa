"""The model registry: versions with their model cards and plots, promotion and rollback."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator
from werkzeug.routing import BaseConverter

from models.enums import Role
from models.registry import RankerVersionPublic
from service.accounts.api_auth import current_actor, require_roles
from service.api.blueprint import api_blueprint
from service.api.schemas import AUTH_ERRORS, responses
from service.core.db import get_session
from service.core.domain_errors import Conflict, Invalid, NotFound
from service.ranking import registry
from service.ranking.registry import REASON_MAX_LENGTH
from training.release.model_card import embed_plots
from training.release.registry import (
    GatesNotPassedError,
    OverrideReasonMissingError,
    RegistryError,
    VersionNotFoundError,
)

bp = api_blueprint("registry", __name__, "/models", "Modelle")

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


class _OptionalBody(BaseModel):
    """A body that may be left out entirely (clients from before it existed send none)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _absent_is_empty(cls, data: Any) -> Any:
        return {} if data is None else data


class ReasonBody(_OptionalBody):
    reason: str | None = Field(
        default=None, max_length=REASON_MAX_LENGTH, description=_("Begründung (wird protokolliert)")
    )


class PromoteBody(ReasonBody):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "reason": _(
                    "Gruppe knapp unter der Grenze; fachlich geprüft, befristet bis zum "
                    "nächsten Training."
                ),
                "override_gates": True,
            }
        }
    )

    override_gates: bool = Field(
        default=False,
        description=_(
            "Nur für Versionen mit nicht bestandenen Gates: ausdrückliche Ausnahme, "
            "verlangt eine Begründung."
        ),
    )


def _version_or_404(version: str) -> Any:
    try:
        return registry.get_version(get_session(), version)
    except VersionNotFoundError:
        raise NotFound(_("Modellversion %(version)s gibt es nicht.", version=version)) from None


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
            embed_plots(row.model_card, row.plots),
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
        raise NotFound(_("Grafik %(name)s gibt es für diese Version nicht.", name=path.name))
    try:
        png = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise NotFound(_("Grafik ist beschädigt.")) from None
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"  # versions are immutable
    return response


@bp.post(
    "/<version:version>/promote",
    responses=responses(200, Aliases, *AUTH_ERRORS, 404, 409, 422),
)
@require_roles(Role.ADMIN)
def promote_model(path: VersionPath, body: PromoteBody) -> Response:
    """Version zum Champion machen; der bisherige Champion wird ``previous``.

    Eine Version mit nicht bestandenen Gates wird mit 409 abgelehnt (``details`` nennt die
    Gates), außer mit ``{"override_gates": true, "reason": "…"}``; die Begründung ist dann
    Pflicht (422 ohne). Begründung und Ausnahme werden protokolliert.
    """
    session = get_session()
    _version_or_404(path.version)
    try:
        aliases = registry.promote(
            session,
            path.version,
            by=current_actor(),
            reason=body.reason,
            override_gates=body.override_gates,
        )
    except GatesNotPassedError as exc:
        raise Conflict(
            str(exc),
            code="gates_failed",
            details=[
                {
                    "field": "override_gates",
                    "code": f["name"],
                    "message": f"{f['label']}: {f['message']}",
                }
                for f in exc.failed
            ],
        ) from None
    except OverrideReasonMissingError as exc:
        raise Invalid(
            str(exc),
            details=[{"field": "reason", "code": "missing", "message": _("Pflichtfeld fehlt.")}],
        ) from None
    except RegistryError as exc:
        raise Conflict(str(exc)) from None
    session.commit()
    return jsonify({"aliases": aliases})


@bp.post("/rollback", responses=responses(200, Aliases, *AUTH_ERRORS, 409))
@require_roles(Role.ADMIN)
def rollback_model(body: ReasonBody) -> Response:
    """Zur vorherigen Version zurückkehren (Champion und ``previous`` tauschen).

    Optionaler Inhalt: ``{"reason": "…"}`` (wird protokolliert).
    """
    session = get_session()
    try:
        aliases = registry.rollback(session, by=current_actor(), reason=body.reason)
    except RegistryError as exc:
        raise Conflict(str(exc)) from None
    session.commit()
    return jsonify({"aliases": aliases})
