"""Admin pages: users and API tokens, model promotion and rollback, the ranking kill switch.

Account changes (deactivate, resets, role) are in :mod:`service.web.admin_accounts`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from models.base import utcnow
from models.enums import RankingMode, Role
from models.provider import Provider
from models.user import ApiToken, User
from service import accounts
from service.accounts import AccountError, AccountNotFound
from service.core.audit import Actor
from service.core.config import get_settings
from service.core.db import get_session
from service.ranking import registry
from service.ranking.state import configured_mode, ranking_status
from service.web.account_forms import ReasonForm as AccountReasonForm
from service.web.account_forms import RoleForm, TokenRequestForm, UserForm, chosen_provider
from service.web.auth import role_required, web_actor, web_user
from service.web.forms import ConfirmForm, require_confirmation
from service.web.model_forms import ReasonForm
from training.release.registry import RegistryError, VersionNotFoundError, failed_gates

bp = Blueprint("admin", __name__, url_prefix="/admin")
#: Account actions on the user page that need only a reason (service.web.admin_accounts).
ACCOUNT_ACTIONS = ("deactivate", "reactivate", "password", "totp")


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users() -> Any:
    session = get_session()
    form = UserForm()
    form.provider_id.choices = provider_choices(session)
    if form.validate_on_submit():
        try:
            accounts.create_user(
                session,
                form.username.data or "",
                Role(form.role.data),
                provider_id=chosen_provider(form),
                password=form.password.data,
                by=Actor.of(web_user()),
            )
            session.commit()
        except AccountError as exc:
            session.rollback()
            form.username.errors = [*list(form.username.errors), exc.message]
        else:
            flash(_("Benutzer %(data)s wurde angelegt.", data=form.username.data), "success")
            return redirect(url_for("admin.users"))
    accounts_list = list(session.exec(select(User).order_by(col(User.username))))
    return render_template("admin/users.html", accounts=accounts_list, form=form, now=utcnow()), (
        422 if form.errors else 200
    )


@bp.route("/benutzer/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user(user_id: int) -> Any:
    """The account page; its own form creates a token that only the account's owner collects."""
    session = get_session()
    account = session.get(User, user_id) or abort(404)
    form = TokenRequestForm(prefix="token")
    if form.validate_on_submit():
        try:
            accounts.create_token_for_collection(
                session,
                account,
                ttl_days=get_settings(current_app).token_ttl_days,
                label=form.label.data or "",
                reason=form.reason.data or "",
                by=Actor.of(web_user()),
            )
            session.commit()
        except AccountError as exc:
            session.rollback()
            form.reason.errors = [exc.message]
        else:
            flash(
                _(
                    "Token angelegt. %(username)s holt es nach dem Anmelden unter „Mein Konto“ "
                    "ab; der Wert wird nur dort angezeigt.",
                    username=account.username,
                ),
                "success",
            )
            return redirect(url_for("admin.user", user_id=user_id))
    return render_user_page(account, token_form=form, status=422 if form.errors else 200)


def render_user_page(
    account: User, *, status: int = 200, token_form: TokenRequestForm | None = None, **extra: Any
) -> Any:
    session = get_session()
    tokens = session.exec(
        select(ApiToken).where(ApiToken.user_id == account.id).order_by(col(ApiToken.id).desc())
    )
    role_form = RoleForm(prefix="role", formdata=None, role=account.role)
    role_form.provider_id.choices = provider_choices(session)
    role_form.provider_id.data = str(account.provider_id or "")
    page = render_template(
        "admin/user.html",
        account=account,
        tokens=list(tokens),
        token_status=accounts.token_status,
        form=token_form or TokenRequestForm(prefix="token", formdata=None),
        role_form=role_form,
        reason_forms={
            name: AccountReasonForm(prefix=name, formdata=None) for name in ACCOUNT_ACTIONS
        },
        confirm=ConfirmForm(),
        now=utcnow(),
        **extra,
    )
    return page, status


def provider_choices(session: Session) -> list[tuple[str, str]]:
    return [("", _("– kein Träger –"))] + [
        (str(p.id), p.name) for p in session.exec(select(Provider).order_by(col(Provider.name)))
    ]


@bp.route("/benutzer/<int:user_id>/tokens/<int:token_id>/widerrufen", methods=["POST"])
@role_required(Role.ADMIN)
def revoke_token(user_id: int, token_id: int) -> Any:
    session = get_session()
    require_confirmation()
    try:
        accounts.revoke_token(
            session,
            token_id,
            by=Actor.of(web_user()),
            reason=request.form.get("reason", "")[:200],
            owner_id=user_id,
        )
        session.commit()
    except AccountNotFound:
        abort(404)
    flash(_("Das Token wurde widerrufen."), "success")
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
                by=web_actor(),
                reason=form.reason.data,
                override_gates=bool(failed),
            )
            session.commit()
        except RegistryError as exc:  # the registry's domain errors carry a German message
            session.rollback()
            flash(str(exc) or _("Aktivierung nicht möglich."), "error")
        else:
            flash(_("Version %(version)s ist jetzt aktiv.", version=version), "success")
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
        flash(
            form.reason.errors[0] if form.reason.errors else _("Bitte erneut versuchen."), "error"
        )
        return redirect(url_for("admin.models"))
    try:
        after = registry.rollback(session, by=web_actor(), reason=form.reason.data)
        session.commit()
    except RegistryError as exc:
        session.rollback()
        flash(str(exc) or _("Keine vorherige Version vorhanden."), "error")
    else:
        flash(
            _("Zurückgesetzt: Version %(champion)s ist wieder aktiv.", champion=after["champion"]),
            "success",
        )
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
            session, RankingMode(wanted or ""), by=web_actor(), reason=form.reason.data
        )
        session.commit()
        flash(
            _("Regelbetrieb ist eingeschaltet: das Modell wird nicht mehr verwendet.")
            if wanted == RankingMode.RULES.value
            else _("Das Modell ist wieder eingeschaltet."),
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
