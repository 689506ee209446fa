"""Partner pages: own offers (list, create, edit, submit), CSV import with the row report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from pydantic import ValidationError

from models.enums import OfferStatus, Role
from models.offer import OfferCreate, OfferUpdate
from service import get_settings, offers
from service.core.db import get_session
from service.core.domain_errors import Conflict, DomainError, validation_details
from service.offers import bulk, csv_import
from service.offers.providers import get_provider
from service.web.auth import role_required, web_user
from service.web.forms import ConfirmForm
from service.web.offer_forms import ImportForm, OfferForm
from service.web.reads import readable_offer

bp = Blueprint("partner", __name__, url_prefix="/partner")
SUBMITTABLE = {OfferStatus.DRAFT.value, OfferStatus.CHANGES_REQUESTED.value}
EDITABLE = SUBMITTABLE | {OfferStatus.APPROVED.value}


@bp.route("/", endpoint="offers")
@role_required(Role.PARTNER)
def offers_list() -> Any:
    rows, total = offers.list_offers(get_session(), user=web_user(), limit=200, offset=0)
    return render_template(
        "partner/offers.html",
        offers=[offers.to_public(o) for o in rows],
        total=total,
        provider=get_provider(get_session(), web_user().provider_id or 0),
        confirm=ConfirmForm(),
        submittable=SUBMITTABLE,
        editable=EDITABLE,
    )


@bp.route("/angebote/neu", methods=["GET", "POST"])
@role_required(Role.PARTNER)
def new_offer() -> Any:
    form = OfferForm()
    if form.validate_on_submit():
        try:
            data = OfferCreate.model_validate(form.payload())
            offer = offers.create_offer(get_session(), data, user=web_user())
        except (ValidationError, DomainError) as exc:
            attach_errors(form, exc)
        else:
            flash(_("Das Angebot wurde als Entwurf gespeichert."), "success")
            return redirect(url_for("partner.offer", offer_id=offer.id))
    return _form_page(form, None)


@bp.route("/angebote/<int:offer_id>")
@role_required(Role.PARTNER)
def offer(offer_id: int) -> Any:
    session = get_session()
    row = readable_offer(offer_id)
    return render_template(
        "partner/offer.html",
        offer=offers.to_public(row),
        reviews=offers.list_reviews(session, offer_id, user=web_user()),
        confirm=ConfirmForm(),
        submittable=SUBMITTABLE,
        editable=EDITABLE,
    )


@bp.route("/angebote/<int:offer_id>/bearbeiten", methods=["GET", "POST"])
@role_required(Role.PARTNER)
def edit_offer(offer_id: int) -> Any:
    current = offers.to_public(readable_offer(offer_id))
    form = OfferForm(data=None if request.method == "POST" else OfferForm.data_of(current))
    del form.external_ref  # the reference identifies the offer and does not change
    if form.validate_on_submit():
        try:
            version = int(request.form.get("version", "0"))
            data = OfferUpdate.model_validate(form.payload() | {"version": version})
            offers.update_offer(get_session(), offer_id, data, user=web_user())
        except (ValidationError, DomainError, ValueError) as exc:
            attach_errors(form, exc)
        else:
            pending = current["status"] == OfferStatus.APPROVED.value
            flash(
                _(
                    "Die Änderung wurde zur Prüfung vorgelegt; bis dahin gilt die freigegebene "
                    "Fassung."
                )
                if pending
                else _("Die Änderungen wurden gespeichert."),
                "success",
            )
            return redirect(url_for("partner.offer", offer_id=offer_id))
    return _form_page(form, current)


@bp.route("/angebote/<int:offer_id>/einreichen", methods=["POST"])
@role_required(Role.PARTNER)
def submit_offer(offer_id: int) -> Any:
    try:
        offers.submit_offer(get_session(), offer_id, user=web_user())
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Das Angebot wurde zur Prüfung eingereicht."), "success")
    return redirect(url_for("partner.offer", offer_id=offer_id))


@bp.route("/angebote/entwuerfe-einreichen", methods=["POST"])
@role_required(Role.PARTNER)
def submit_drafts() -> Any:
    try:
        ids = bulk.submit_drafts(get_session(), user=web_user())
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(
            _("%(count)s Entwürfe wurden zur Prüfung eingereicht.", count=len(ids))
            if ids
            else _("Es gibt keine Entwürfe zum Einreichen."),
            "success",
        )
    return redirect(url_for("partner.offers"))


def import_page(form: Any, template: str, run: Callable[[Any], Any]) -> Any:
    """An upload form whose file ``run`` imports; its report, or the error beside the field."""
    report = None
    if form.validate_on_submit():
        try:
            result = run(form.file.data)
        except DomainError as exc:
            form.file.errors = [*list(form.file.errors), exc.message]
        else:
            report = result.as_dict()
    status = 422 if form.errors else 200
    return render_template(template, form=form, report=report), status


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.PARTNER)
def import_offers() -> Any:
    return import_page(
        ImportForm(),
        "partner/import.html",
        lambda upload: csv_import.import_csv(
            get_session(),
            upload.read(),
            user=web_user(),
            provider_id=None,
            max_rows=get_settings(current_app).max_import_rows,
        ),
    )


@bp.route("/import/vorlage.csv")
@role_required(Role.PARTNER, Role.COORDINATOR)
def import_template() -> Response:
    return Response(
        csv_import.template_csv().encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="angebote-vorlage.csv"'},
    )


def _form_page(form: OfferForm, current: dict[str, Any] | None) -> Any:
    status = 422 if form.errors else 200
    return render_template("partner/offer_form.html", form=form, offer=current), status


def attach_errors(form: Any, exc: Exception) -> None:
    """Service and schema errors beside the field they concern; the rest as a message."""
    if isinstance(exc, Conflict):
        flash(exc.message, "error")
        return
    if isinstance(exc, ValidationError):
        details = validation_details(exc)
    elif isinstance(exc, DomainError):
        details = exc.details or [{"field": None, "message": exc.message}]
    else:
        details = [{"field": None, "message": _("Die Eingaben sind ungültig.")}]
    for detail in details:
        name = str(detail.get("field") or "").split(".")[0]
        field = form._fields.get(name)
        if field is None:
            flash(str(detail["message"]), "error")
        else:
            field.errors = [*list(field.errors), str(detail["message"])]
