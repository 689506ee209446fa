"""Web sign-in: password (argon2), lockout, TOTP second factor for admin and coordinator.

The session cookie carries only the id of a server-side session (``web_session``), which ends on
sign-out, timeout and every change to the account; the JSON API ignores it and keeps requiring
bearer tokens, so a browser session cannot be replayed against the API from another site.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ParamSpec, TypeVar

import pyotp
import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from markupsafe import Markup
from sqlmodel import select

from models.base import utcnow
from models.enums import Role
from models.user import User
from service import accounts, get_settings
from service.accounts.role_gate import role_gate
from service.core import audit
from service.core.audit import Actor
from service.core.db import get_session
from service.core.security import verify_password
from service.web.forms import LoginForm, LogoutForm, TotpForm

P = ParamSpec("P")
R = TypeVar("R")

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _("Bitte melden Sie sich an.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

SECOND_FACTOR_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})
PENDING_KEY = "pending_login"
PENDING_SECONDS = 300
ISSUER = "qualimatch Krefeld"
#: One answer for every failed sign-in, locked or not, known name or not: no enumeration.
BAD_CREDENTIALS = _(
    "Benutzername oder Passwort ist falsch – oder das Konto ist nach zu vielen Fehlversuchen "
    "vorübergehend gesperrt."
)
#: Pages a user with a reset code may still open before setting a new password.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"account.password", "auth.logout", "web.static"})


class SessionUser(UserMixin):  # type: ignore[misc]
    """Flask-Login's view of a signed-in browser: the account and its server-side session id.

    ``get_id`` returns the session id, not the user id, so the cookie names the session row and
    a cookie stops working the moment that row is revoked (Flask-Login's "alternative token").
    """

    def __init__(self, account: User, session_id: str) -> None:
        self.account = account
        self.session_id = session_id

    def get_id(self) -> str:
        return self.session_id

    @property
    def is_active(self) -> bool:
        return bool(self.account.is_active)


def session_lifetime() -> timedelta:
    return timedelta(hours=get_settings(current_app).session_max_hours)


@login_manager.user_loader  # type: ignore[untyped-decorator]
def _load_user(session_id: str) -> SessionUser | None:
    settings = get_settings(current_app)
    account = accounts.resolve_session(
        get_session(),
        session_id,
        idle=timedelta(minutes=settings.session_idle_minutes),
        lifetime=session_lifetime(),
    )
    if account is None:
        return None
    g.web_user = account  # audit events name the signed-in person
    return SessionUser(account, session_id)


@bp.before_app_request
def _require_password_change() -> Any:
    """After a reset, the one-time code only opens the page that replaces it."""
    if request.endpoint in PASSWORD_CHANGE_ENDPOINTS or request.path.startswith("/api/"):
        return None
    if current_user.is_authenticated and web_user().password_change_required:
        return redirect(url_for("account.password"))
    return None


def web_user() -> User:
    """The signed-in account of this request (views are behind :func:`role_required`)."""
    account: User = current_user.account
    return account


def web_actor() -> Actor:
    """The signed-in account as the actor that domain functions audit."""
    return Actor.of(web_user())


def role_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Redirect to sign-in when anonymous; 403 when signed in with another role."""
    return role_gate(roles, _refuse_web_visitor)


def _refuse_web_visitor(allowed: frozenset[Role]) -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if web_user().role not in allowed:
        abort(403)
    return None


def home_for(account: User) -> str:
    return {
        Role.COUNSELLOR: "counsellor.caseload",
        Role.COORDINATOR: "coordinator.review_queue",
        Role.PARTNER: "partner.offers",
        Role.ADMIN: "admin.users",
    }[Role(account.role)]


@bp.route("/")
def index() -> Any:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(home_for(web_user())))


@bp.route("/login", methods=["GET", "POST"])
@bp.route("/anmelden", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        account = _find(form.username.data or "")
        if _locked_minutes(account):
            flash(BAD_CREDENTIALS, "error")
            verify_password(None, form.password.data or "")  # same cost as a real check
        elif account is None or not verify_password(
            account.password_hash, form.password.data or ""
        ):
            _register_failure(account)
            flash(BAD_CREDENTIALS, "error")
        elif not account.is_active:
            flash(BAD_CREDENTIALS, "error")
        elif Role(account.role) in SECOND_FACTOR_ROLES:
            session.clear()
            session[PENDING_KEY] = {"user_id": account.id, "at": time.time()}
            step = "auth.second_factor" if account.totp_secret else "auth.enrol"
            return redirect(url_for(step))
        else:
            return _complete(account)
    settings = get_settings(current_app)
    return render_template(
        "auth/login.html",
        form=form,
        max_failures=settings.login_max_failures,
        lockout_minutes=settings.login_lockout_minutes,
    )


@bp.route("/anmelden/code", methods=["GET", "POST"])
def second_factor() -> Any:
    account = _pending_account()
    if account is None or not account.totp_secret:
        return redirect(url_for("auth.login"))
    form = TotpForm()
    if form.validate_on_submit():
        if _locked_minutes(account):
            session.pop(PENDING_KEY, None)
            flash(_("Das Konto ist vorübergehend gesperrt."), "error")
            return redirect(url_for("auth.login"))
        if accounts.accept_code(get_session(), account, form.code.data or ""):
            return _complete(account)
        _register_failure(account)
        form.code.errors = [_("Der Code ist falsch oder abgelaufen.")]
    return render_template("auth/second_factor.html", form=form)


@bp.route("/anmelden/einrichten", methods=["GET", "POST"])
def enrol() -> Any:
    account = _pending_account()
    if account is None or account.totp_secret:
        return redirect(url_for("auth.login"))
    secret = session.setdefault("totp_enrol_secret", pyotp.random_base32())
    form = TotpForm()
    if form.validate_on_submit():
        db = get_session()
        if accounts.enrol_second_factor(db, account, secret, form.code.data or ""):
            db.commit()
            session.pop("totp_enrol_secret", None)
            return _complete(account)
        form.code.errors = [_("Der Code passt nicht. Bitte den aktuellen Code eingeben.")]
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.username, issuer_name=ISSUER)
    return render_template(
        "auth/enrol.html", form=form, qr_svg=_qr_svg(uri), secret=_grouped(secret)
    )


@bp.route("/abmelden", methods=["POST"])
def logout() -> Any:
    if LogoutForm().validate_on_submit() and current_user.is_authenticated:
        db = get_session()
        accounts.end_session(db, current_user.session_id)
        db.commit()
        logout_user()
    session.clear()
    flash(_("Sie haben sich abgemeldet."), "info")
    return redirect(url_for("auth.login"))


def _find(username: str) -> User | None:
    return get_session().exec(select(User).where(User.username == username.strip())).first()


def _locked_minutes(account: User | None) -> int:
    if account is None or account.locked_until is None:
        return 0
    remaining = account.locked_until - utcnow()
    if remaining <= timedelta(0):
        return 0
    return max(1, int(remaining.total_seconds() // 60) + 1)


def _register_failure(account: User | None) -> None:
    if account is None:
        return
    settings = get_settings(current_app)
    account.failed_logins += 1
    db = get_session()
    if account.failed_logins >= settings.login_max_failures:
        account.locked_until = utcnow() + timedelta(minutes=settings.login_lockout_minutes)
        account.failed_logins = 0
        audit.record(db, "user.locked", "user", account.id, by=Actor.of(account))
    db.add(account)
    db.commit()


def _pending_account() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    account = get_session().get(User, pending.get("user_id"))
    return account if account is not None and account.is_active else None


def _complete(account: User) -> Any:
    """Start a fresh session (no fixation), reset the failure counter, go to the role's home."""
    account.failed_logins = 0
    account.locked_until = None
    account.last_login_at = utcnow()
    db = get_session()
    db.add(account)
    audit.record(db, "user.login", "user", account.id, by=Actor.of(account))
    session_id = accounts.start_session(db, account, lifetime=session_lifetime())
    db.commit()
    session.clear()
    login_user(SessionUser(account, session_id))
    g.web_user = account
    return redirect(url_for(home_for(account)))


def _qr_svg(uri: str) -> Markup:
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=2, dark="#1b1f24", light="#ffffff", svgclass="qr", omitsize=False
    )
    labelled = svg.replace("<svg ", '<svg role="img" aria-label="QR-Code zur Einrichtung" ', 1)
    return Markup(labelled)  # noqa: S704 - segno's own SVG markup; the URI is escaped by segno


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
