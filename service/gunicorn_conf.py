"""gunicorn settings; every value can be overridden from the environment.

The app is built once in the master (``preload_app``) and forked; each worker then drops the
inherited connection pool and opens its own, because a socket shared between processes
corrupts both sides' conversations with PostgreSQL.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from service.core import metrics_dir

# prometheus_client picks its multi-process value store when first imported, so the directory
# must be known before the app (and with it prometheus_client) is loaded. One directory per
# running instance (service/core/metrics_dir.py): a second start never touches the first's samples.
metrics_dir.prepare(check_only="--check-config" in sys.argv)

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycling workers bounds slow memory growth; 0 switches it off (soak tests measure growth).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
preload_app = True
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - heartbeat
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 4094
limit_request_fields = 100

loglevel = os.environ.get("LOG_LEVEL", "info").lower()
accesslog = "-"
errorlog = "-"
# %(U)s is the path without the query string: query strings can carry a client number.
# No client address either; the request id links an access line to the app's own log lines.
access_log_format = (
    '{"event": "access", "time": "%(t)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s", "worker": "%(p)s"}'
)
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json_error": {
            "format": '{"event": "gunicorn", "time": "%(asctime)s", "level": "%(levelname)s", '
            '"message": "%(message)s"}',
        },
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json_error",
            "stream": "ext://sys.stderr",
        },
        "access_console": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {
            "level": loglevel.upper(),
            "handlers": ["error_console"],
            "propagate": False,
        },
        "gunicorn.access": {"level": "INFO", "handlers": ["access_console"], "propagate": False},
    },
}


def post_fork(_server: Any, _worker: Any) -> None:
    from service.core.db import get_engine
    from service.wsgi import app

    # close=False: the parent's connections belong to the parent; just forget them here.
    get_engine(app).dispose(close=False)


def child_exit(_server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
