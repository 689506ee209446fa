"""The signed-in person's own account: change the password, collect and revoke API tokens.

A token an administrator creates for someone waits here for its owner; its value is drawn when
the owner collects it and shown on that one response, so only the owner ever sees it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user
from sqlmodel import col, select

from models.base import utcnow
from models.enums import Role
from models.user import ApiToken
from service import accounts
from service.accounts import AccountError, AccountNotFound
from service.core.audit import Actor
from service.core.db import get_session
from service.web.account_forms import PasswordChangeForm
from service.web.auth import SessionUser, home_for, role_required, session_lifetime, web_user
from service.web.forms import ConfirmForm, require_confirmation

bp = Blueprint("account", __name__, url_prefix="/konto")
EVERYONE = tuple(Role)


@bp.route("/passwort", methods=["GET", "POST"])
@role_required(*EVERYONE)
def password() -> Any:
    form = PasswordChangeForm()
    account = web_user()
    if form.validate_on_submit():
        db = get_session()
        try:
            accounts.change_own_password(
                db, account, current=form.current.data or "", new=form.new.data or ""
            )
            # every session has just ended, this one included: start a new one here
            session_id = accounts.start_session(db, account, lifetime=session_lifetime())
            db.commit()
        except AccountError as exc:
            db.rollback()
            form.current.errors = [exc.message]
        else:
            login_user(SessionUser(account, session_id))
            flash(_("Das Passwort wurde geändert. Andere Anmeldungen wurden beendet."), "success")
            return redirect(url_for(home_for(account)))
    status = 422 if form.errors else 200
    return render_template("account/password.html", form=form, account=account), status


@bp.route("/tokens")
@role_required(*EVERYONE)
def tokens() -> Any:
    return _tokens_page()


@bp.route("/tokens/<int:token_id>/abholen", methods=["POST"])
@role_required(*EVERYONE)
def collect(token_id: int) -> Any:
    require_confirmation()
    db = get_session()
    try:
        value = accounts.collect_token(db, web_user(), token_id)
        db.commit()
    except AccountNotFound:
        db.rollback()
        abort(404)
    except AccountError as exc:
        db.rollback()
        flash(exc.message, "error")
        return redirect(url_for("account.tokens"))
    return _tokens_page(new_token=value, new_token_id=token_id)


@bp.route("/tokens/<int:token_id>/widerrufen", methods=["POST"])
@role_required(*EVERYONE)
def revoke(token_id: int) -> Any:
    require_confirmation()
    db = get_session()
    account = web_user()
    try:
        accounts.revoke_token(
            db, token_id, by=Actor.of(account), reason="eigenes Token", owner_id=account.id
        )
        db.commit()
    except AccountNotFound:
        abort(404)
    flash(_("Das Token wurde widerrufen."), "success")
    return redirect(url_for("account.tokens"))


def _tokens_page(**extra: Any) -> Any:
    rows = get_session().exec(
        select(ApiToken).where(ApiToken.user_id == web_user().id).order_by(col(ApiToken.id).desc())
    )
    return render_template(
        "account/tokens.html",
        tokens=list(rows),
        status=accounts.token_status,
        confirm=ConfirmForm(),
        now=utcnow(),
        **extra,
    )
