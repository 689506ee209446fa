"""Coordinator pages: offer review queue with duplicate comparison, providers, model versions,
the upload of course-database exports.

The statistics dashboards live in :mod:`service.web.dashboards`.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from pydantic import ValidationError

from models.enums import Role
from models.provider import ProviderCreate
from models.registry import RankerVersion
from service import offers
from service.core.db import get_session
from service.core.domain_errors import DomainError
from service.offers import providers, wbs_import
from service.offers.providers import get_provider
from service.offers.workflow import Decision
from service.ranking import registry
from service.web.auth import role_required, web_actor, web_user
from service.web.offer_forms import ProviderForm, ReviewForm, WbsImportForm
from service.web.partner import attach_errors, import_page
from service.web.reads import readable_offer
from training.ranking.labels import PLOT_LABELS, label
from training.release.model_card import PLOT_LINK, embed_plots, key_figures, resolve_plot_links
from training.release.registry import VersionNotFoundError

bp = Blueprint("coordinator", __name__, url_prefix="/koordination")
COMPARED = (
    "title",
    "measure_type",
    "district",
    "format",
    "hours_per_week",
    "duration_weeks",
    "start_dates",
    "seats_total",
    "min_german_level",
    "target_occupations",
    "certificate",
)


@bp.route("/")
@role_required(Role.COORDINATOR)
def review_queue() -> Any:
    session = get_session()
    rows, total = offers.list_offers(
        session,
        user=web_user(),
        limit=200,
        offset=0,
        filters=offers.OfferFilters(needs_review=True),
    )
    names = _provider_names({o.provider_id for o in rows})
    return render_template(
        "coordinator/queue.html",
        offers=[offers.to_public(o) for o in rows],
        total=total,
        names=names,
    )


@bp.route("/angebote/<int:offer_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def review(offer_id: int) -> Any:
    session = get_session()
    offer = readable_offer(offer_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            offers.review_offer(
                session,
                offer_id,
                user=web_user(),
                decision=Decision(form.decision.data),
                reason=form.reason.data,
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            flash(_verdict(form.decision.data), "success")
            return redirect(url_for("coordinator.review_queue"))
    public = offers.to_public(offer)
    duplicates = [
        readable_offer(f["offer_id"]) for f in public["quality_flags"] if f.get("offer_id")
    ]
    compared = [offers.to_public(d) for d in duplicates]
    return render_template(
        "coordinator/review.html",
        offer=public,
        pending=public.get("pending_changes") or {},
        provider=get_provider(session, offer.provider_id),
        duplicates=compared,
        names=_provider_names({d.provider_id for d in duplicates}),
        compared_fields=COMPARED,
        reviews=offers.list_reviews(session, offer_id, user=web_user()),
        form=form,
    ), (422 if form.errors else 200)


@bp.route("/traeger", methods=["GET", "POST"], endpoint="providers")
@role_required(Role.COORDINATOR)
def providers_page() -> Any:
    session = get_session()
    form = ProviderForm()
    if form.validate_on_submit():
        try:
            data = ProviderCreate.model_validate(
                {k: form[k].data for k in ("name", "kind", "district", "azav_certified")}
                | {k: (form[k].data or "").strip() for k in ProviderForm.CONTACT_FIELDS}
            )
            providers.create_provider(session, data, by=web_actor())
            session.commit()
        except (ValidationError, DomainError) as exc:
            attach_errors(form, exc)
        else:
            flash(_("Der Träger wurde angelegt."), "success")
            return redirect(url_for("coordinator.providers"))
    rows, total = providers.list_providers(session, limit=500, offset=0)
    return render_template("coordinator/providers.html", providers=rows, total=total, form=form), (
        422 if form.errors else 200
    )


@bp.route("/import-weiterbildungssuche", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def import_wbs() -> Any:
    """Upload of a saved course-database export; the runs go to the review queue."""

    def run(upload: Any) -> Any:
        files = [wbs_import.read_file(upload.filename or _("Datei"), upload.read())]
        return wbs_import.import_wbs(get_session(), files, user=web_user())

    return import_page(WbsImportForm(), "coordinator/import_wbs.html", run)


@bp.route("/modelle")
@role_required(Role.COORDINATOR, Role.ADMIN)
def models() -> Any:
    return render_template(
        "coordinator/models.html", versions=registry.list_versions(get_session())
    )


@bp.route("/modelle/<version>")
@role_required(Role.COORDINATOR, Role.ADMIN)
def model_card(version: str) -> Any:
    row = _version_or_404(version)
    public = registry.to_public(row, registry.current_aliases(get_session()))

    def plot_url(name: str) -> str | None:
        if name not in row.plots:
            return None
        return url_for("coordinator.model_plot", version=row.version, name=name)

    referenced = set(PLOT_LINK.findall(row.model_card))
    return render_template(
        "coordinator/model_card.html",
        model=public,
        figures=key_figures(row.metrics),
        card=_markdown(resolve_plot_links(row.model_card, plot_url)),
        plots=[
            (name, label(PLOT_LABELS, name)) for name in sorted(row.plots) if name not in referenced
        ],
    )


@bp.route("/modelle/<version>/modellkarte.md")
@role_required(Role.COORDINATOR, Role.ADMIN)
def model_card_markdown(version: str) -> Response:
    """The card as a file of its own: the plots are embedded as data URIs."""
    row = _version_or_404(version)
    return Response(
        embed_plots(row.model_card, row.plots),
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="modellkarte-{row.version}.md"'},
    )


@bp.route("/modelle/<version>/<name>.png")
@role_required(Role.COORDINATOR, Role.ADMIN)
def model_plot(version: str, name: str) -> Response:
    encoded = _version_or_404(version).plots.get(name)
    if encoded is None:
        abort(404)
    try:
        png = base64.b64decode(encoded, validate=True)
    except binascii.Error:
        abort(404)
    return Response(png, mimetype="image/png")


def _version_or_404(version: str) -> RankerVersion:
    try:
        return registry.get_version(get_session(), version)
    except VersionNotFoundError:
        abort(404)


def _provider_names(ids: set[int]) -> dict[int, str]:
    session = get_session()
    return {i: get_provider(session, i).name for i in ids}


def _verdict(decision: str | None) -> str:
    verdicts: dict[str, str] = {
        "approve": _("Das Angebot wurde freigegeben."),
        "request_changes": _("Der Träger wurde um Änderungen gebeten."),
        "reject": _("Das Angebot wurde abgelehnt."),
    }
    saved: str = _("Gespeichert.")
    return verdicts.get(decision or "", saved)


def _markdown(text: str) -> Markup:
    """Model cards are written by the batch job; raw HTML in them is shown as text."""
    import markdown

    html = markdown.markdown(str(escape(text)), extensions=["tables"])
    return Markup(html)  # noqa: S704 - input escaped above, markdown adds only its own tags
