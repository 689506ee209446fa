"""Admin pages: users and API tokens, model promotion and rollback, the ranking kill switch."""

from __future__ import annotations

from typing import Any

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlmodel import col, select

from models.base import utcnow
from models.enums import RankingMode, Role
from models.provider import Provider
from models.user import ApiToken, User
from service import audit, get_settings, registry
from service.auth import issue_token
from service.cli.users import create_user
from service.db import get_session
from service.ranking_state import configured_mode, ranking_status
from service.web.auth import role_required, web_user
from service.web.forms import ConfirmForm
from service.web.model_forms import ReasonForm
from service.web.offer_forms import TokenForm, UserForm
from training.registry import RegistryError, VersionNotFoundError, failed_gates

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users() -> Any:
    session = get_session()
    form = UserForm()
    form.provider_id.choices = [("", "– kein Träger –")] + [
        (str(p.id), p.name) for p in session.exec(select(Provider).order_by(col(Provider.name)))
    ]
    if form.validate_on_submit():
        provider = int(form.provider_id.data) if form.provider_id.data else None
        try:
            create_user(
                session,
                form.username.data or "",
                Role(form.role.data),
                provider_id=provider,
                password=form.password.data,
            )
            session.commit()
        except click.ClickException as exc:
            session.rollback()
            form.username.errors = [*list(form.username.errors), exc.message]
        else:
            flash(f"Benutzer {form.username.data} wurde angelegt.", "success")
            return redirect(url_for("admin.users"))
    accounts = list(session.exec(select(User).order_by(col(User.username))))
    return render_template("admin/users.html", accounts=accounts, form=form, now=utcnow()), (
        422 if form.errors else 200
    )


@bp.route("/benutzer/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user(user_id: int) -> Any:
    session = get_session()
    account = session.get(User, user_id) or abort(404)
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        ttl = get_settings(current_app).token_ttl_days
        new_token, row = issue_token(session, account, ttl_days=ttl, label=form.label.data or "")
        session.flush()
        audit.record(session, "token.issue", "api_token", row.id)
        session.commit()
        form = TokenForm(formdata=None)
    tokens = session.exec(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(col(ApiToken.id).desc())
    )
    return render_template(
        "admin/user.html",
        account=account,
        tokens=list(tokens),
        form=form,
        new_token=new_token,
        confirm=ConfirmForm(),
        now=utcnow(),
    )


@bp.route("/benutzer/<int:user_id>/tokens/<int:token_id>/widerrufen", methods=["POST"])
@role_required(Role.ADMIN)
def revoke_token(user_id: int, token_id: int) -> Any:
    session = get_session()
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        abort(404)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(session, "token.revoke", "api_token", token_id)
        session.commit()
    flash("Das Token wurde widerrufen.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/benutzer/<int:user_id>/entsperren", methods=["POST"])
@role_required(Role.ADMIN)
def unlock(user_id: int) -> Any:
    session = get_session()
    account = session.get(User, user_id) or abort(404)
    account.locked_until = None
    account.failed_logins = 0
    session.add(account)
    audit.record(session, "user.unlock", "user", user_id)
    session.commit()
    flash(f"{account.username} wurde entsperrt.", "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/modelle")
@role_required(Role.ADMIN)
def models() -> Any:
    session = get_session()
    return render_template(
        "admin/models.html",
        versions=registry.list_versions(session),
        aliases=registry.current_aliases(session),
        confirm=ReasonForm(),
        admin=True,
    )


@bp.route("/modelle/<version>/aktivieren", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def promote(version: str) -> Any:
    """Confirmation step; a version that failed its gates needs a written reason."""
    session = get_session()
    try:
        row = registry.get_version(session, version)
    except VersionNotFoundError:
        abort(404)
    failed = failed_gates(row.gates)
    form = ReasonForm(reason_required=bool(failed))
    if form.validate_on_submit():
        try:
            registry.promote(
                session,
                version,
                actor_id=web_user().id,
                reason=form.reason.data,
                override_gates=bool(failed),
            )
            session.commit()
        except RegistryError as exc:  # the registry's domain errors carry a German message
            session.rollback()
            flash(str(exc) or "Aktivierung nicht möglich.", "error")
        else:
            flash(f"Version {version} ist jetzt aktiv.", "success")
        return redirect(url_for("admin.models"))
    return render_template(
        "admin/promote.html",
        version=version,
        failed=failed,
        aliases=registry.current_aliases(session),
        form=form,
    ), (422 if form.errors else 200)


@bp.route("/modelle/zuruecksetzen", methods=["POST"])
@role_required(Role.ADMIN)
def rollback() -> Any:
    session = get_session()
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(form.reason.errors[0] if form.reason.errors else "Bitte erneut versuchen.", "error")
        return redirect(url_for("admin.models"))
    try:
        after = registry.rollback(session, actor_id=web_user().id, reason=form.reason.data)
        session.commit()
    except RegistryError as exc:
        session.rollback()
        flash(str(exc) or "Keine vorherige Version vorhanden.", "error")
    else:
        flash(f"Zurückgesetzt: Version {after['champion']} ist wieder aktiv.", "success")
    return redirect(url_for("admin.models"))


@bp.route("/ranking", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def ranking() -> Any:
    """The kill switch: choosing a mode shows a confirmation step before anything changes."""
    session = get_session()
    form = ReasonForm()
    wanted = request.values.get("mode")
    if wanted not in (None, *[m.value for m in RankingMode]):
        abort(400)
    if request.method == "POST" and form.validate_on_submit() and request.form.get("confirmed"):
        registry.set_ranking_mode(
            session, RankingMode(wanted or ""), actor_id=web_user().id, reason=form.reason.data
        )
        session.commit()
        flash(
            "Regelbetrieb ist eingeschaltet: das Modell wird nicht mehr verwendet."
            if wanted == RankingMode.RULES.value
            else "Das Modell ist wieder eingeschaltet.",
            "success",
        )
        return redirect(url_for("admin.ranking"))
    return render_template(
        "admin/ranking.html",
        configured=configured_mode(session).value,
        state=ranking_status(session),
        wanted=wanted if request.method == "POST" else None,
        form=form,
    )
