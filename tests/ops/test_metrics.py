"""/metrics: restricted to loopback or an admin token; the shared histograms are exported."""

from __future__ import annotations

import tempfile

import pytest

from models.enums import Role
from service.core import metrics_dir
from service.core.metrics import IMPORT_ERRORS, RECOMMENDATION_LATENCY
from tests.ops.conftest import user_with_token

REMOTE = {"REMOTE_ADDR": "10.1.2.3"}


@pytest.fixture
def app(make_app):
    return make_app()


def test_loopback_scrape_shows_endpoint_latency_and_ranking(app):
    client = app.test_client()
    client.get("/api/v1/health")

    body = client.get("/metrics").get_data(as_text=True)

    assert 'qualimatch_http_request_duration_seconds_count{endpoint="health.health"' in body
    assert 'qualimatch_ranking_info{configured_mode="model",mode="rules"' in body
    assert "qualimatch_database_up 1.0" in body


def test_paths_with_ids_never_become_labels(app):
    _, token = user_with_token(app, Role.COUNSELLOR, "c-metrics")
    client = app.test_client()
    client.get("/api/v1/profiles/12345", headers={"Authorization": f"Bearer {token}"})

    body = client.get("/metrics").get_data(as_text=True)

    assert "12345" not in body
    assert 'endpoint="profiles.get_profile"' in body


def test_shared_histograms_are_exported(app):
    RECOMMENDATION_LATENCY.labels(mode="rules").observe(0.05)
    IMPORT_ERRORS.labels(kind="row").inc()

    body = app.test_client().get("/metrics").get_data(as_text=True)

    assert "qualimatch_recommendation_latency_seconds_bucket" in body
    assert "qualimatch_import_errors_total" in body


def test_remote_scrape_needs_a_token(app):
    response = app.test_client().get("/metrics", environ_base=REMOTE)
    assert response.status_code == 401


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.COORDINATOR])
def test_remote_scrape_refused_for_non_admins(app, role):
    _, token = user_with_token(app, role, f"{role.value}-m")
    headers = {"Authorization": f"Bearer {token}"}
    response = app.test_client().get("/metrics", environ_base=REMOTE, headers=headers)
    assert response.status_code == 403


def test_remote_scrape_allowed_for_admin(app):
    _, token = user_with_token(app, Role.ADMIN, "admin-m")
    headers = {"Authorization": f"Bearer {token}"}
    response = app.test_client().get("/metrics", environ_base=REMOTE, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"


@pytest.fixture
def _release_locks():
    yield
    metrics_dir.release()


@pytest.mark.usefixtures("_release_locks")
def test_second_start_with_the_default_leaves_the_running_instance_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    running: dict[str, str] = {}
    first = metrics_dir.prepare(running)
    sample = first / "counter_1234.db"
    sample.write_bytes(b"samples")

    second = metrics_dir.prepare({}, check_only=True)

    assert second != first
    assert sample.read_bytes() == b"samples"
    assert running["PROMETHEUS_MULTIPROC_DIR"] == str(first)


@pytest.mark.usefixtures("_release_locks")
def test_explicit_directory_of_a_stopped_instance_is_emptied(tmp_path):
    (tmp_path / "counter_1.db").write_bytes(b"old")

    metrics_dir.prepare({"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})

    assert not list(tmp_path.glob("*.db"))


@pytest.mark.usefixtures("_release_locks")
def test_explicit_directory_in_use_is_never_wiped(tmp_path):
    directory = str(tmp_path / "shared")
    metrics_dir.prepare({"PROMETHEUS_MULTIPROC_DIR": directory})  # the running master
    sample = tmp_path / "shared" / "counter_1.db"
    sample.write_bytes(b"live")

    metrics_dir.prepare({"PROMETHEUS_MULTIPROC_DIR": directory}, check_only=True)
    with pytest.raises(metrics_dir.MetricsDirInUse, match="PROMETHEUS_MULTIPROC_DIR"):
        metrics_dir.prepare({"PROMETHEUS_MULTIPROC_DIR": directory})

    assert sample.read_bytes() == b"live"
