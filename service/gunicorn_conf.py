"""gunicorn settings; every value can be overridden from the environment."""

from __future__ import annotations

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
preload_app = False  # each worker builds its own app, engine and connection pool
accesslog = "-"
access_log_format = (
    '{"event": "access", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)
