"""The JSON API under /api/v1: blueprints, request-format checks and the docs redirect."""

from __future__ import annotations

from flask import Response, redirect, request
from flask_babel import gettext as _
from flask_openapi3 import OpenAPI

from service.core.errors import ApiError
from service.core.input_guard import check_json_body

API_PREFIX = "/api/v1"
# Endpoints that take a file upload instead of JSON.
MULTIPART_ENDPOINTS = frozenset({"offers.import_offers"})


def register_api(app: OpenAPI) -> None:
    from service.api import (
        corrections,
        fairness,
        health,
        occupations,
        offers,
        profiles,
        providers,
        recommendations,
        registry,
        settings,
        stats,
    )

    app.url_map.converters["version"] = registry.VersionConverter
    for module in (
        health,
        occupations,
        profiles,
        recommendations,
        corrections,
        providers,
        offers,
        stats,
        fairness,
        registry,
        settings,
    ):
        app.register_api(module.bp)

    @app.before_request
    def _require_json_body() -> None:
        if not request.path.startswith(API_PREFIX + "/") or request.method not in (
            "POST",
            "PUT",
            "PATCH",
        ):
            return
        if request.routing_exception is not None:  # 404/405 win over body checks
            return
        if request.endpoint in MULTIPART_ENDPOINTS or not _has_body():
            return
        if not request.is_json:
            raise ApiError(
                status=415,
                code="unsupported_media_type",
                message=_("Nicht unterstütztes Datenformat; erwartet wird JSON."),
            )
        check_json_body()

    @app.get(API_PREFIX + "/docs", doc_ui=False)
    def api_docs() -> Response:
        return redirect(API_PREFIX + "/swagger", code=302)  # type: ignore[return-value]


def _has_body() -> bool:
    return bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"
