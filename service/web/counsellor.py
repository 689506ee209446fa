"""Counsellor pages: caseload, profile form with occupation autocomplete, profile details."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from pydantic import ValidationError
from sqlmodel import Session

from models.enums import District, Role
from models.profile import Profile, ProfileBase, ProfileCreate, ProfileUpdate
from service import get_settings
from service.caseload import profiles as profile_service
from service.core.db import get_session
from service.core.domain_errors import Conflict, DomainError, Invalid, validation_details
from service.occupations import get_index
from service.web.auth import role_required, web_user
from service.web.forms import ConfirmForm, ProfileForm
from service.web.reads import audited_or_404

bp = Blueprint("counsellor", __name__, url_prefix="/beratung")
PAGE_SIZE = 25


@bp.route("/")
@role_required(Role.COUNSELLOR)
def caseload() -> Any:
    district = request.args.get("bezirk") or None
    if district not in {d.value for d in District}:
        district = None
    number = (request.args.get("kundennummer") or "").strip() or None
    page = max(1, request.args.get("seite", 1, type=int) or 1)
    session = get_session()
    rows, total = profile_service.list_profiles(
        session,
        owner=web_user(),
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        district=district,
        client_number=number,
        pseudonym_key=get_settings(current_app).pseudonym_key,
    )
    session.commit()  # the listing's audit event
    profiles = [profile_service.to_public(p) for p in rows]
    return render_template(
        "counsellor/caseload.html",
        profiles=profiles,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        district=district,
        number=number or "",
        districts=[d.value for d in District],
    )


@bp.route("/profile/neu", methods=["GET", "POST"])
@role_required(Role.COUNSELLOR)
def new_profile() -> Any:
    form = ProfileForm()
    del form.version
    if form.validate_on_submit():
        try:
            data = ProfileCreate.model_validate(
                form.payload() | {"client_number": form.client_number.data}
            )
            session = get_session()
            profile = profile_service.create_profile(
                session,
                data,
                owner=web_user(),
                pseudonym_key=get_settings(current_app).pseudonym_key,
            )
            session.commit()
        except (ValidationError, DomainError) as exc:
            _attach_errors(form, exc)
        else:
            flash(_("Das Profil wurde angelegt."), "success")
            return redirect(url_for("counsellor.profile", profile_id=profile.id))
    return _form_page(form, None)


@bp.route("/profile/<int:profile_id>")
@role_required(Role.COUNSELLOR)
def profile(profile_id: int) -> Any:
    session = get_session()
    row = _read(session, profile_id)
    return render_template(
        "counsellor/profile.html",
        profile=profile_service.to_public(row),
        occupations=_titles(session, row),
        history=_history(session, row),
        confirm=ConfirmForm(),
    )


@bp.route("/profile/<int:profile_id>/bearbeiten", methods=["GET", "POST"])
@role_required(Role.COUNSELLOR)
def edit_profile(profile_id: int) -> Any:
    session = get_session()
    row = _read(session, profile_id)
    form = ProfileForm(obj=None if request.method == "POST" else _form_data(session, row))
    del form.client_number
    if form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
            data = ProfileUpdate.model_validate(form.payload() | {"version": version})
            profile_service.update_profile(session, profile_id, data, owner=web_user())
            session.commit()
        except (ValidationError, DomainError, ValueError) as exc:
            _attach_errors(form, exc)
        else:
            flash(_("Die Änderungen wurden gespeichert."), "success")
            return redirect(url_for("counsellor.profile", profile_id=profile_id))
    return _form_page(form, row)


@bp.route("/profile/<int:profile_id>/loeschen", methods=["POST"])
@role_required(Role.COUNSELLOR)
def delete_profile(profile_id: int) -> Any:
    session = get_session()
    profile_service.delete_profile(session, profile_id, owner=web_user())
    session.commit()
    flash(_("Das Profil und alle zugehörigen Daten wurden gelöscht."), "success")
    return redirect(url_for("counsellor.caseload"))


@bp.route("/berufe")
@role_required(*Role)
def occupation_search() -> Any:
    """Autocomplete for the profile and offer forms (session-authenticated, read-only)."""
    query = (request.args.get("q") or "").strip()[:200]
    if len(query) < 2:
        return jsonify([])
    matches = get_index(get_session()).search(query, limit=8)
    return jsonify([{"code": m.code, "title": m.title} for m in matches])


def _read(session: Session, profile_id: int) -> Profile:
    return audited_or_404(
        lambda: profile_service.read_profile(session, profile_id, owner=web_user())
    )


def _form_page(form: ProfileForm, row: Profile | None) -> Any:
    status = 422 if form.errors else 200
    return render_template("counsellor/profile_form.html", form=form, profile=row), status


def _form_data(session: Session, row: Profile) -> SimpleNamespace:
    """The stored profile as the form shows it: codes together with their titles."""
    index = get_index(session)

    def shown(code: str | None) -> str:
        return f"{code} {index.title_of(code) or ''}".strip() if code else ""

    values = {name: getattr(row, name) for name in (*ProfileBase.model_fields, "version")}
    values["last_occupation"] = shown(row.last_occupation)
    values["target_occupations"] = [shown(c) for c in row.target_occupations]
    return SimpleNamespace(**values)


def _attach_errors(form: ProfileForm, exc: Exception) -> None:
    """Put service and schema errors beside the field they concern."""
    if isinstance(exc, Conflict):
        if exc.code == "version_conflict":
            flash(_("Das Profil wurde inzwischen geändert. Bitte die Seite neu laden."), "error")
        else:
            target = form.client_number if hasattr(form, "client_number") else None
            if target is not None:
                target.errors = [*target.errors, exc.message]
            else:
                flash(exc.message, "error")
        return
    details: list[dict[str, Any]] = []
    if isinstance(exc, ValidationError):
        details = validation_details(exc)
    elif isinstance(exc, Invalid):
        details = exc.details
    for detail in details or [{"field": None, "message": _("Die Eingaben sind ungültig.")}]:
        target = form.field_for(detail.get("field") or "")
        if target is None:
            flash(str(detail["message"]), "error")
        else:
            target.errors = [*list(target.errors), str(detail["message"])]
    # A field list reports its entries' errors only as of validation; refresh it.
    targets = form.target_occupations
    targets.errors = [entry.errors for entry in targets.entries if entry.errors]


def _titles(session: Session, row: Profile) -> dict[str, str]:
    index = get_index(session)
    codes = [row.last_occupation, *row.target_occupations]
    return {code: index.title_of(code) or code for code in codes if code}


def _history(session: Session, row: Profile) -> list[Any]:
    """Earlier recommendations for this profile, newest first (shown once that module exists)."""
    from sqlmodel import col, select

    from models.recommendation import Recommendation

    query = (
        select(Recommendation)
        .where(Recommendation.profile_id == row.id)
        .order_by(col(Recommendation.created_at).desc())
        .limit(10)
    )
    return list(session.exec(query))
