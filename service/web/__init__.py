"""The German web interface (server-rendered, session cookies with CSRF)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import SQLAlchemyError

from service.core.db import get_session
from service.core.errors import register_error_handlers
from service.ranking.state import ranking_status
from service.web import (
    account,
    admin,
    admin_accounts,
    auth,
    catalogue,
    coordinator,
    counsellor,
    dashboards,
    filters,
    handout,
    partner,
    recommend,
)
from service.web.auth import login_manager
from service.web.i18n import init_i18n

csrf = CSRFProtect()
assets = Blueprint(
    "web", __name__, static_folder="static", static_url_path="/assets", template_folder="templates"
)
#: The page groups, in registration order.
BLUEPRINTS = (
    auth.bp,
    account.bp,
    counsellor.bp,
    catalogue.bp,
    coordinator.bp,
    partner.bp,
    admin.bp,
    admin_accounts.bp,
    recommend.bp,
    handout.bp,
    dashboards.bp,
)
CSRF_MESSAGE = _(
    "Das Formular ist abgelaufen oder ungültig (Sicherheitstoken fehlt). "
    "Bitte die Seite neu laden und erneut absenden."
)


def init_web(app: Flask) -> None:
    """Register the web blueprints, sign-in and the HTML error pages."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked below, outside the API
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)
    app.config.setdefault("WTF_I18N_ENABLED", False)
    app.config.update(
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=app.config.get("SESSION_COOKIE_SECURE", False),
        SESSION_COOKIE_NAME="qm_session",
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    app.register_blueprint(assets)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    filters.register(app)
    init_i18n(app)
    app.context_processor(_page_context)
    register_error_handlers(app, html_renderer=render_error)

    @app.before_request
    def _check_csrf() -> None:
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if not _is_api() and request.method not in ("GET", "HEAD", "OPTIONS"):
            csrf.protect()

    @app.errorhandler(CSRFError)
    def _csrf_error(_exc: CSRFError) -> Any:
        return render_error(400, CSRF_MESSAGE)

    @app.after_request
    def _no_store(response: Response) -> Response:
        # Pages can show personal data: keep them out of shared and back/forward caches.
        if not _is_api() and not request.path.startswith("/assets/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _is_api() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str) -> Any:
    try:
        return render_template("error.html", status=status, message=message), status
    except Exception:  # the page itself may need what just failed (e.g. the database)
        title = _("Fehler %(status)s", status=status)
        body = f"<!doctype html><html lang='de'><title>{title}</title><p>{message}</p>"
        return Response(body, status=status, mimetype="text/html")


def _page_context() -> dict[str, Any]:
    """The rules-mode banner on every page for signed-in users."""
    ranking: dict[str, Any] | None = None
    if not _is_api() and current_user.is_authenticated:
        try:
            ranking = ranking_status(get_session())
        except SQLAlchemyError:
            ranking = None
    return {"ranking": ranking, "endpoints": current_app.view_functions.keys()}
