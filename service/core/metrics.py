"""Prometheus metrics shared by all modules, and the restricted ``/metrics`` exposition.

Under gunicorn every worker writes its samples to files in ``PROMETHEUS_MULTIPROC_DIR`` (set
by ``service.gunicorn_conf`` before this module is imported), and a scrape of any worker sums
them all. Without that variable (tests, ``flask run``) the process-local registry is used.
Labels carry ids of endpoints, modes and versions only, never anything about a person.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator

from flask import Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from prometheus_flask_exporter import PrometheusMetrics
from sqlalchemy.exc import SQLAlchemyError

from models.enums import Role
from service.accounts.api_auth import current_user
from service.core.db import session_scope
from service.core.errors import ForbiddenError
from service.ranking.state import ranking_status

METRICS_PATH = "/metrics"
APP_METRICS_KEY = "qualimatch.metrics"

#: Observe around the ranking call: ``with RECOMMENDATION_LATENCY.labels(mode="model").time():``
RECOMMENDATION_LATENCY = Histogram(
    "qualimatch_recommendation_latency_seconds",
    "Time to rank offers for one recommendation request.",
    ["mode"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0),
)

#: Count rejected import rows or failed imports: ``IMPORT_ERRORS.labels(kind="row").inc(n)``
IMPORT_ERRORS = Counter(
    "qualimatch_import_errors_total",
    "Offer import rows or files that could not be imported.",
    ["kind"],
)


class RankingCollector(Collector):
    """Ranking mode and champion version, read from the database at scrape time.

    Read per scrape rather than kept in a gauge, so no worker can report a stale model and
    a promotion or the kill switch shows up on the next scrape.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(
            "qualimatch_ranking_info",
            "Effective ranking mode and the champion model version (value is always 1).",
            labels=["mode", "configured_mode", "model_version", "reason"],
        )
        up = GaugeMetricFamily("qualimatch_database_up", "1 when the database answers.")
        try:
            with session_scope(self.app) as session:
                status = ranking_status(session)
        except SQLAlchemyError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        info.add_metric(
            [
                str(status["mode"]),
                str(status["configured_mode"]),
                str(status["model_version"] or ""),
                str(status["reason"] or ""),
            ],
            1,
        )
        yield info
        yield up


def multiprocess_enabled() -> bool:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return bool(directory) and os.path.isdir(str(directory))


def init_metrics(app: Flask) -> PrometheusMetrics:
    """Request latency by endpoint (never by path: paths hold ids) plus ``/metrics``."""
    registry = CollectorRegistry(auto_describe=True)
    metrics = PrometheusMetrics(
        app,
        path=None,
        registry=registry,
        group_by="endpoint",
        defaults_prefix="qualimatch",
        excluded_paths=[f"^{METRICS_PATH}$"],
        buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0),
    )
    app.extensions[APP_METRICS_KEY] = metrics
    app.add_url_rule(METRICS_PATH, "metrics", _metrics_view)
    return metrics


def _metrics_view() -> Response:
    _authorise_scrape()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    metrics: PrometheusMetrics = app.extensions[APP_METRICS_KEY]
    if multiprocess_enabled():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest(metrics.registry) + generate_latest(REGISTRY)
    ranking = CollectorRegistry()
    ranking.register(RankingCollector(app))
    body += generate_latest(ranking)
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def _authorise_scrape() -> None:
    """Loopback callers (a local Prometheus agent) or an admin's bearer token."""
    if _is_loopback(request.remote_addr):
        return

    if current_user().role != Role.ADMIN:
        raise ForbiddenError()


def _is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
