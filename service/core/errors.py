"""The HTTP adapter for errors: one JSON envelope ``{"error": {"code", "message", "details"}}``.

Domain errors (:mod:`service.core.domain_errors`) get their status from :data:`DOMAIN_STATUS`, the
one table of that mapping; :class:`ApiError` is for what only HTTP knows (a missing token, a
too long URL). Messages are German (they reach counsellors and partners). Validation details
name the field and the rule, never the submitted value, so no personal data ends up in a
response or a log.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import Any

import structlog
from flask import Flask, Response, jsonify, request
from flask_babel import gettext as _
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from service.core.domain_errors import (
    CodedError,
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    validation_details,
)

log = structlog.get_logger(__name__)

HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", _("Die Anfrage ist fehlerhaft.")),
    401: ("unauthorized", _("Anmeldung erforderlich: gültiges Bearer-Token fehlt.")),
    403: ("forbidden", _("Für diese Aktion fehlt die Berechtigung.")),
    404: ("not_found", _("Nicht gefunden.")),
    405: ("method_not_allowed", _("Diese HTTP-Methode ist hier nicht erlaubt.")),
    409: ("conflict", _("Konflikt mit dem aktuellen Zustand.")),
    413: ("payload_too_large", _("Die Anfrage ist zu groß.")),
    414: ("uri_too_long", _("Die Adresse (URL) ist zu lang.")),
    415: ("unsupported_media_type", _("Nicht unterstütztes Datenformat; erwartet wird JSON.")),
    422: ("validation_error", _("Die Eingaben sind ungültig.")),
    429: ("rate_limited", _("Zu viele Anfragen. Bitte später erneut versuchen.")),
    500: ("internal_error", _("Interner Fehler. Der Vorgang wurde protokolliert.")),
    503: ("service_unavailable", _("Dienst vorübergehend nicht verfügbar.")),
}


#: Domain error kind → HTTP status; a subclass takes the status of its nearest listed base.
DOMAIN_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    Invalid: 422,
    DomainError: 400,
}


def domain_status(exc: DomainError) -> int:
    """The HTTP status of a domain error."""
    for kind in type(exc).__mro__:
        if kind in DOMAIN_STATUS:
            return DOMAIN_STATUS[kind]
    raise TypeError(f"{type(exc).__name__} is no DomainError")  # unreachable for DomainError


def domain_error_response(exc: DomainError) -> Response:
    return error_response(domain_status(exc), exc.code, exc.message, exc.details, exc.extra)


class ApiError(CodedError):
    """An error only HTTP knows (authentication, request size, URL); raised by adapters."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: Sequence[dict[str, Any]] = (),
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.status = status or self.status
        message = message or HTTP_CODES.get(self.status, HTTP_CODES[400])[1]
        super().__init__(code or self.code, message, details, extra or {})


class ForbiddenError(ApiError):
    status, code = 403, "forbidden"


class UnauthorizedError(ApiError):
    status, code = 401, "unauthorized"


def error_response(
    status: int,
    code: str,
    message: str,
    details: Sequence[dict[str, Any]] = (),
    extra: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {"code": code, "message": message, "details": list(details)}
    body.update(extra or {})
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _where(exc: BaseException) -> list[str]:
    frames = traceback.extract_tb(exc.__traceback__)[-5:]
    return [f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}:{frame.name}" for frame in frames]


def openapi_validation_callback(exc: ValidationError) -> Response:
    """flask-openapi3 hook: request validation failures use our envelope."""
    return error_response(422, "validation_error", HTTP_CODES[422][1], validation_details(exc))


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask, *, html_renderer: Any = None) -> None:
    """JSON for the API; ``html_renderer(status, message)`` for the web UI, if given."""

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.extra)

    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError) -> Response:
        return domain_error_response(exc)

    @app.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError) -> Response:
        return error_response(422, "validation_error", HTTP_CODES[422][1], validation_details(exc))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        code, message = HTTP_CODES.get(status, (f"http_{status}", exc.name))
        if not _is_api_request() and html_renderer is not None:
            return html_renderer(status, message)
        response = error_response(status, code, message)
        if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeoutError)
    def _database_down(exc: Exception) -> Any:
        log.error("database_unavailable", error_type=type(exc).__name__)
        code, message = HTTP_CODES[503]
        if not _is_api_request() and html_renderer is not None:
            return html_renderer(503, message)
        response = error_response(503, code, _("Datenbank vorübergehend nicht erreichbar."))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(StaleDataError)
    def _stale_row(exc: StaleDataError) -> Any:
        # Services turn a lost race into their own 409 (service.core.versioning); this is the net
        # for a versioned row written elsewhere, so that it is never a 500.
        log.warning("stale_row", error_type=type(exc).__name__)
        message = HTTP_CODES[409][1]
        if not _is_api_request() and html_renderer is not None:
            return html_renderer(409, message)
        return error_response(409, "version_conflict", message)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        # Exception texts can carry SQL parameters, i.e. personal data: log only where it broke.
        log.error("unhandled_error", error_type=type(exc).__name__, where=_where(exc))
        code, message = HTTP_CODES[500]
        if not _is_api_request() and html_renderer is not None:
            return html_renderer(500, message)
        return error_response(500, code, message)
