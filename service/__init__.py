"""qualimatch web service: the app factory is the one way in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_openapi3 import Info, OpenAPI

from service.accounts.api_auth import SECURITY_SCHEMES
from service.core import db
from service.core import logging as service_logging
from service.core.config import SETTINGS_KEY, ConfigError, Settings, get_settings, load_settings
from service.core.errors import openapi_validation_callback, register_error_handlers

__all__ = ["create_app", "create_app_or_exit", "get_settings"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, overridden by ``config`` (tests, scripts)."""
    settings = load_settings(config)
    service_logging.configure_logging(settings)
    app = OpenAPI(
        __name__,
        info=Info(
            title="qualimatch API",
            version="1.0.0",
            description=(
                _(
                    "Qualifizierungsempfehlungen für Arbeitsuchende in Krefeld. "
                    "Authentifizierung mit `Authorization: Bearer <token>`."
                )
            ),
        ),
        security_schemes=SECURITY_SCHEMES,
        doc_prefix="/api/v1",
        doc_url="/openapi.json",
        validation_error_status=422,
        validation_error_callback=openapi_validation_callback,
    )
    _configure(app, settings, config or {})
    db.init_app(app, settings)
    service_logging.init_app(app)
    register_error_handlers(app)
    # Imported here: these subsystems import `service` themselves.
    from service.core.extensions import init_extensions
    from service.web import init_web

    init_extensions(app, settings)
    _register_blueprints(app)
    init_web(app)
    _register_commands(app)
    return app


def create_app_or_exit() -> Flask:
    """The app for gunicorn and the command line: a bad setting ends the start with one line
    naming the variable, not a traceback."""
    try:
        return create_app()
    except ConfigError as exc:
        raise SystemExit(_("Konfigurationsfehler: %(exc)s", exc=exc)) from None


def _configure(app: Flask, settings: Settings, config: Mapping[str, Any]) -> None:
    app.extensions[SETTINGS_KEY] = settings
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        JSON_SORT_KEYS=False,
        TESTING=bool(config.get("TESTING", False)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.environment == "production",
    )


def _register_blueprints(app: OpenAPI) -> None:
    from service.api import register_api

    register_api(app)


def _register_commands(app: Flask) -> None:
    from service.cli import register_commands

    register_commands(app)
