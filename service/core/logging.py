"""Structured JSON logs with request id and role; never request bodies or profile contents."""

from __future__ import annotations

import logging
import re
import sys
import uuid

import structlog
from flask import Flask, Response, g, request

from service.core.config import Settings

#: A caller's ``X-Request-ID`` is kept only in the canonical UUID form; anything else could
#: smuggle text (or personal data) into every log line of the request, so it is replaced.
REQUEST_ID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


def configure_logging(settings: Settings) -> None:
    level = getattr(logging, settings.log_level.upper())
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=level, force=True)
    # Alembic narrates every step at INFO in plain text; our commands report the outcome.
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def init_app(app: Flask) -> None:
    @app.before_request
    def _bind_request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        valid = REQUEST_ID_PATTERN.fullmatch(incoming)
        g.request_id = str(uuid.UUID(incoming)) if valid else str(uuid.uuid4())
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=g.request_id)

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response
