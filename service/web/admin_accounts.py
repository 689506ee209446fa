"""Admin actions on one account: deactivate, reactivate, reset password or second factor,
change the role, unlock. Each needs a reason, is audited and ends the person's sessions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _

from models.enums import Role
from models.user import User
from service import accounts
from service.accounts import AccountError
from service.core.audit import Actor
from service.core.db import get_session
from service.web.account_forms import ReasonForm, RoleForm, chosen_provider
from service.web.admin import provider_choices, render_user_page
from service.web.auth import role_required, web_user
from service.web.forms import require_confirmation

bp = Blueprint("admin_accounts", __name__, url_prefix="/admin/benutzer")
#: An account change of service.accounts: (session, user, *, reason, by) -> one-time code or None
Action = Callable[..., str | None]


def _run(user_id: int, prefix: str, action: Action, done: str) -> Any:
    """Validate the reason form, run ``action``; a returned one-time code is shown once."""
    db = get_session()
    account = db.get(User, user_id) or abort(404)
    form = ReasonForm(prefix=prefix)
    if not form.validate_on_submit():
        flash(_("Bitte einen Grund angeben (mindestens 3 Zeichen)."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    try:
        code = action(db, account, reason=form.reason.data or "", by=Actor.of(web_user()))
        db.commit()
    except AccountError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("admin.user", user_id=user_id))
    flash(done.format(name=account.username), "success")
    if code is not None:
        return render_user_page(account, reset_code=code)
    return redirect(url_for("admin.user", user_id=user_id))


#: (path, account function of service.accounts = endpoint, form prefix, message when done)
ACCOUNT_ACTIONS = (
    (
        "deaktivieren",
        "deactivate",
        "deactivate",
        _("{name} ist deaktiviert; Anmeldungen sind beendet, Tokens widerrufen."),
    ),
    ("reaktivieren", "reactivate", "reactivate", _("{name} ist wieder aktiv.")),
    (
        "passwort-zuruecksetzen",
        "reset_password",
        "password",
        _("Das Passwort von {name} wurde zurückgesetzt."),
    ),
    (
        "zweiter-faktor-zuruecksetzen",
        "reset_second_factor",
        "totp",
        _(
            "Der zweite Faktor von {name} ist zurückgesetzt; beim Anmelden wird er neu "
            "eingerichtet."
        ),
    ),
)


def _action_view(name: str, prefix: str, done: str) -> Callable[[int], Any]:
    def view(user_id: int) -> Any:
        return _run(user_id, prefix, getattr(accounts, name), done)

    view.__name__ = name
    return role_required(Role.ADMIN)(view)


for _path, _name, _prefix, _done in ACCOUNT_ACTIONS:
    bp.add_url_rule(
        f"/<int:user_id>/{_path}", _name, _action_view(_name, _prefix, _done), methods=["POST"]
    )


@bp.route("/<int:user_id>/rolle", methods=["POST"])
@role_required(Role.ADMIN)
def change_role(user_id: int) -> Any:
    db = get_session()
    account = db.get(User, user_id) or abort(404)
    form = RoleForm(prefix="role")
    form.provider_id.choices = provider_choices(db)
    if form.validate_on_submit():
        try:
            accounts.change_role(
                db,
                account,
                Role(form.role.data),
                provider_id=chosen_provider(form),
                reason=form.reason.data or "",
                by=Actor.of(web_user()),
            )
            db.commit()
        except AccountError as exc:
            db.rollback()
            flash(exc.message, "error")
        else:
            flash(_("%(username)s hat jetzt die neue Rolle.", username=account.username), "success")
    else:
        flash(_("Bitte Rolle und Grund (mindestens 3 Zeichen) angeben."), "error")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/<int:user_id>/entsperren", methods=["POST"])
@role_required(Role.ADMIN)
def unlock(user_id: int) -> Any:
    db = get_session()
    account = db.get(User, user_id) or abort(404)
    require_confirmation()
    accounts.unlock(db, account, by=Actor.of(web_user()))
    db.commit()
    flash(_("%(username)s wurde entsperrt.", username=account.username), "success")
    return redirect(url_for("admin.user", user_id=user_id))
