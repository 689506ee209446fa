"""Qualification offers: partners maintain their own, the coordination office reviews them,
counsellors read approved ones. Access rules: :mod:`service.offers.access`."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _
from flask_openapi3 import FileStorage
from pydantic import BaseModel, ConfigDict, Field

from models.base import MAX_INT
from models.enums import Role
from models.offer import OfferCreate, OfferPublic, OfferUpdate
from models.user import User
from service import get_settings
from service import offers as offer_service
from service.accounts.api_auth import current_user, require_roles
from service.api.blueprint import api_blueprint
from service.api.import_body import IMPORT_BODY
from service.api.offer_query import OfferQuery
from service.api.schemas import AUTH_ERRORS, CSV_CONTENT, Page, responses
from service.core.db import get_session
from service.core.domain_errors import Forbidden, Invalid
from service.core.errors import ApiError
from service.offers import access, csv_import, wbs_import
from service.offers.bulk import submit_drafts
from service.offers.quality import warnings_of
from service.offers.search import search_offers
from service.offers.workflow import Decision

bp = api_blueprint("offers", __name__, "/offers", _("Angebote"))

EDITORS = (Role.PARTNER, Role.COORDINATOR, Role.ADMIN)


@bp.before_request
def _refuse_oversized_upload() -> None:
    """Refuse by the declared length, before the multipart parser spools the body to disk."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and request.content_length and request.content_length > limit:
        raise ApiError(
            status=413, code="payload_too_large", message=_("Die Datei ist zu groß (max. 5 MB).")
        )


READERS = (*EDITORS, Role.COUNSELLOR)


class OfferPath(BaseModel):
    offer_id: int = Field(ge=1, le=2**31 - 1)


class OfferOut(OfferPublic):
    review_pending: bool
    warnings: list[str] = Field(default_factory=list)


class OfferPage(Page):
    items: list[OfferOut]


class ActionBody(BaseModel):
    """Optional body of submit/withdraw: the version last read (409 if outdated)."""

    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(default=None, ge=1, le=MAX_INT)
    reason: str | None = Field(default=None, max_length=1000)


class ReviewBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"decision": "request_changes", "reason": _("Bitte Starttermine ergänzen.")}
        },
    )

    decision: Decision
    reason: str | None = Field(default=None, max_length=1000)
    version: int | None = Field(default=None, ge=1, le=MAX_INT)


class ReviewOut(BaseModel):
    id: int
    from_status: str
    to_status: str
    reason: str | None
    actor_id: int | None
    created_at: str


class ReviewList(BaseModel):
    items: list[ReviewOut]


class ImportForm(BaseModel):
    file: FileStorage
    provider_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class ImportError_(BaseModel):
    row: int | None
    column: str | None
    code: str
    message: str


class ImportFlag(BaseModel):
    row: int
    ref: str
    title: str
    codes: list[str]
    messages: list[str]


class ImportReport(BaseModel):
    """CSV- und Kursnetz-Import; die letzten beiden Felder nur beim Import aus der
    Weiterbildungssuche."""

    created: int
    updated: int
    unchanged: int
    errors: list[ImportError_]
    providers_created: int = 0
    flagged: list[ImportFlag] = Field(default_factory=list)
    ignored_columns: list[str] = Field(
        default_factory=list, description=_("CSV: die ersten 10 unbekannten Spalten.")
    )
    ignored_column_count: int = Field(default=0, description=_("CSV: Anzahl unbekannter Spalten."))
    warnings: list[ImportError_] = Field(
        default_factory=list,
        description=_("CSV: z. B. Zeilen, die als Windows-1252 gelesen wurden."),
    )


def _out(offer: Any, user: User, *, status: int = 200) -> Response:
    data = offer_service.to_public(offer, viewer=user)
    data["warnings"] = warnings_of(data["quality_flags"])
    response = jsonify(data)
    response.status_code = status
    return response


def _action_body() -> ActionBody:
    return ActionBody.model_validate(request.get_json(silent=True) or {})


@bp.post("", responses=responses(201, OfferOut, *AUTH_ERRORS, 409))
@require_roles(*EDITORS)
def create_offer(body: OfferCreate) -> Response:
    """Angebot als Entwurf anlegen. Partner legen nur für den eigenen Träger an; die
    Koordinierungsstelle gibt `provider_id` an. Hinweise (z. B. ungewöhnliche Dauer) stehen in
    `warnings` und blockieren nicht."""
    user = current_user()
    offer = offer_service.create_offer(get_session(), body, user=user)
    response = _out(offer, user, status=201)
    response.headers["Location"] = f"/api/v1/offers/{offer.id}"
    return response


@bp.get("", responses=responses(200, OfferPage, *AUTH_ERRORS))
@require_roles(*READERS)
def list_offers(query: OfferQuery) -> Response:
    """Angebote auflisten und im Katalog suchen. Partner sehen die eigenen, Vermittlung nur
    freigegebene. Filter: Volltext `q`, Zielberuf `kldb`, Maßnahmeart, Bezirk, nächster Start
    `starts_before`, Format, Teilzeit, Kinderbetreuung, Förderung, `max_german_level`;
    Sortierung `sort=next_start` oder `sort=travel&from_district=…`. Die Prüfliste der
    Koordinierungsstelle: `?status=submitted` oder `?needs_review=true`."""
    user = current_user()
    rows, total = search_offers(
        get_session(), query.filters(), user=user, limit=query.limit, offset=query.offset
    )
    items = []
    for offer in rows:
        data = offer_service.to_public(offer, viewer=user)
        data["warnings"] = warnings_of(data["quality_flags"])
        items.append(data)
    return jsonify(query.page(items, total))


@bp.get("/<int:offer_id>", responses=responses(200, OfferOut, *AUTH_ERRORS, 404))
@require_roles(*READERS)
def get_offer(path: OfferPath) -> Response:
    """Ein Angebot lesen. Angebote anderer Träger (bzw. nicht freigegebene für die Vermittlung)
    gelten als nicht vorhanden (404)."""
    user = current_user()
    return _out(offer_service.read_offer(get_session(), path.offer_id, user=user), user)


@bp.patch("/<int:offer_id>", responses=responses(200, OfferOut, *AUTH_ERRORS, 404, 409))
@require_roles(*EDITORS)
def update_offer(path: OfferPath, body: OfferUpdate) -> Response:
    """Angebot ändern (`version` = zuletzt gelesene Version). Bei freigegebenen Angeboten wird
    die Änderung in `pending_changes` zur Prüfung vorgemerkt; sichtbar bleibt bis zur Freigabe
    die geprüfte Fassung. Nur `seats_free` gilt sofort."""
    user = current_user()
    offer = offer_service.update_offer(get_session(), path.offer_id, body, user=user)
    return _out(offer, user)


@bp.post("/<int:offer_id>/submit", responses=responses(200, OfferOut, *AUTH_ERRORS, 404, 409))
@require_roles(*EDITORS)
def submit_offer(path: OfferPath) -> Response:
    """Zur Prüfung einreichen (Entwurf oder „Änderungen angefordert“). Optionaler Inhalt:
    `{"version": n}`."""
    user = current_user()
    body = _action_body()
    offer = offer_service.submit_offer(
        get_session(), path.offer_id, user=user, version=body.version
    )
    return _out(offer, user)


class SubmitDraftsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class SubmittedList(BaseModel):
    submitted: list[int]


@bp.post("/submit-drafts", responses=responses(200, SubmittedList, *AUTH_ERRORS))
@require_roles(*EDITORS)
def submit_all_drafts() -> Response:
    """Alle Entwürfe des Trägers auf einmal zur Prüfung einreichen (z. B. nach einem
    CSV-Import). Partner: der eigene Träger; Koordinierungsstelle: `{"provider_id": n}`.
    Antwort: die Nummern der eingereichten Angebote."""
    body = SubmitDraftsBody.model_validate(request.get_json(silent=True) or {})
    ids = submit_drafts(get_session(), user=current_user(), provider_id=body.provider_id)
    return jsonify({"submitted": ids})


@bp.post("/<int:offer_id>/review", responses=responses(200, OfferOut, *AUTH_ERRORS, 404, 409))
@require_roles(Role.COORDINATOR, Role.ADMIN)
def review_offer(path: OfferPath, body: ReviewBody) -> Response:
    """Prüfentscheidung: `approve`, `request_changes` oder `reject` (die letzten beiden mit
    Begründung). Bei freigegebenen Angeboten mit offener Änderung wird über die Änderung
    entschieden."""
    user = current_user()
    offer = offer_service.review_offer(
        get_session(),
        path.offer_id,
        user=user,
        decision=body.decision,
        reason=body.reason,
        version=body.version,
    )
    return _out(offer, user)


@bp.post("/<int:offer_id>/withdraw", responses=responses(200, OfferOut, *AUTH_ERRORS, 404, 409))
@require_roles(*EDITORS)
def withdraw_offer(path: OfferPath) -> Response:
    """Freigegebenes Angebot zurückziehen. Optionaler Inhalt: `{"version": n, "reason": "…"}`."""
    user = current_user()
    body = _action_body()
    offer = offer_service.withdraw_offer(
        get_session(), path.offer_id, user=user, version=body.version, reason=body.reason
    )
    return _out(offer, user)


@bp.get("/<int:offer_id>/reviews", responses=responses(200, ReviewList, *AUTH_ERRORS, 404))
@require_roles(*EDITORS)
def list_reviews(path: OfferPath) -> Response:
    """Prüfverlauf eines Angebots (für den Träger sichtbar)."""
    rows = offer_service.list_reviews(get_session(), path.offer_id, user=current_user())
    return jsonify(
        {
            "items": [
                {
                    "id": r.id,
                    "from_status": r.from_status,
                    "to_status": r.to_status,
                    "reason": r.reason,
                    "actor_id": r.actor_id,
                    "created_at": r.created_at.isoformat(),
                }
                for r in rows
            ]
        }
    )


@bp.post(
    "/import",
    responses=responses(200, ImportReport, *AUTH_ERRORS, 400, 413),
    openapi_extensions={"requestBody": IMPORT_BODY},
)
@require_roles(*EDITORS)
def import_offers() -> Response:
    """Import: CSV-Datei (multipart, Feld `file`) oder Export der Weiterbildungssuche (JSON).
    CSV: Format siehe Vorlage und docs/offer-import.md; gleiche Referenz = Aktualisierung.
    JSON (`Content-Type: application/json`, nur Koordinierungsstelle): eine Antwortseite der
    Weiterbildungssuche oder eine Liste von Seiten; jeder Termin wird ein eingereichtes Angebot
    (`external_ref` `WBS-<id>`), erneuter Import ändert nichts. Gültige Zeilen werden
    gespeichert, fehlerhafte gemeldet."""
    user = current_user()
    if request.is_json:
        return _import_wbs(user)
    fields: dict[str, Any] = {"file": request.files.get("file")}
    fields["provider_id"] = request.form.get("provider_id")
    form = ImportForm.model_validate({k: v for k, v in fields.items() if v is not None})
    report = csv_import.import_csv(
        get_session(),
        form.file.read(),
        user=user,
        provider_id=form.provider_id,
        max_rows=get_settings(current_app).max_import_rows,
    )
    return jsonify(report.as_dict())


def _import_wbs(user: User) -> Response:
    if not access.is_manager(user):
        raise Forbidden(_("Nur die Koordinierungsstelle importiert aus der Weiterbildungssuche."))
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(
            status=400, code="malformed_json", message=_("Der Inhalt ist kein gültiges JSON.")
        )
    files = [wbs_import.read_file("Anfrage", body)]
    max_rows = get_settings(current_app).max_import_rows
    if wbs_import.count_runs(files) > max_rows:
        raise Invalid(
            _("Zu viele Termine: höchstens %(max_rows)s pro Anfrage.", max_rows=max_rows),
            code="too_many_rows",
        )
    report = wbs_import.import_wbs(get_session(), files, user=user)
    return jsonify(report.as_dict())


@bp.get("/import/template", responses=responses(200, {"content": CSV_CONTENT}, *AUTH_ERRORS))
@require_roles(*READERS)
def import_template() -> Response:
    """CSV-Vorlage mit Kopfzeile und Beispielzeile (UTF-8 mit BOM, Semikolon)."""
    return Response(
        csv_import.template_csv().encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="angebote-vorlage.csv"'},
    )
