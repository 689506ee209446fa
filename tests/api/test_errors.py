"""Every error is the JSON envelope with the right status; nothing leaks a stack trace."""

from __future__ import annotations

import uuid

import pytest


def _assert_envelope(response, status, code=None):
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()["error"]
    assert set(error) >= {"code", "message", "details"}
    if code:
        assert error["code"] == code
    assert "Traceback" not in response.get_data(as_text=True)


def test_unknown_route_is_404_envelope(client):
    _assert_envelope(client.get("/api/v1/does-not-exist"), 404, "not_found")


def test_wrong_method_is_405_envelope(client):
    _assert_envelope(client.put("/api/v1/health"), 405, "method_not_allowed")


def test_missing_token_is_401(client):
    _assert_envelope(client.get("/api/v1/profiles"), 401, "unauthorized")


def test_unknown_token_is_401(client):
    response = client.get("/api/v1/profiles", headers={"Authorization": "Bearer qm_nope"})
    _assert_envelope(response, 401, "unauthorized")


def test_malformed_json_is_400(client, counsellor):
    response = client.post(
        "/api/v1/profiles",
        data="{not json",
        headers=counsellor.headers | {"Content-Type": "application/json"},
    )
    _assert_envelope(response, 400, "malformed_json")


def test_non_json_body_is_415(client, counsellor):
    response = client.post(
        "/api/v1/profiles", data="a=b", headers=counsellor.headers | {"Content-Type": "text/plain"}
    )
    _assert_envelope(response, 415, "unsupported_media_type")


def test_oversized_body_is_413(client, counsellor):
    response = client.post(
        "/api/v1/profiles",
        data=b"x" * (6 * 1024 * 1024),
        headers=counsellor.headers | {"Content-Type": "application/json"},
    )
    _assert_envelope(response, 413, "payload_too_large")


def test_json_array_instead_of_object_is_422(client, counsellor):
    response = client.post("/api/v1/profiles", json=[1, 2], headers=counsellor.headers)
    _assert_envelope(response, 422, "validation_error")


@pytest.mark.parametrize("path", ["/api/v1/profiles/0", "/api/v1/profiles/abc"])
def test_bad_path_parameters_never_500(client, counsellor, path):
    response = client.get(path, headers=counsellor.headers)
    assert response.status_code in (404, 422)
    assert response.is_json


def test_request_id_is_echoed_when_it_is_a_uuid(client):
    incoming = "0B6C1E2A-93F4-4C1D-8E2B-5A7D9F0C3E41"
    response = client.get("/api/v1/health", headers={"X-Request-ID": incoming})
    assert response.headers["X-Request-ID"] == incoming.lower()


@pytest.mark.parametrize(
    "incoming", ["abcdef12-3456", "KR-123456-Mustermann", "0b6c1e2a93f44c1d8e2b5a7d9f0c3e41"]
)
def test_request_id_that_is_no_uuid_is_replaced_and_never_logged(client, capsys, incoming):
    response = client.get("/api/v1/profiles", headers={"X-Request-ID": incoming})

    replaced = response.headers["X-Request-ID"]
    assert replaced != incoming
    assert str(uuid.UUID(replaced)) == replaced
    assert incoming not in capsys.readouterr().err


def test_a_versioned_row_written_outside_the_services_is_409_not_500():
    """The services map a lost race to their own 409; this is the net behind them."""
    from flask import Flask
    from sqlalchemy.orm.exc import StaleDataError

    from service.core.errors import register_error_handlers

    app = Flask(__name__)
    register_error_handlers(app)

    @app.post("/api/v1/stale")
    def stale():
        raise StaleDataError("UPDATE statement on table 'offer' expected to update 1 row(s)")

    response = app.test_client().post("/api/v1/stale")
    _assert_envelope(response, 409, "version_conflict")
    assert response.get_json()["error"]["message"] == "Konflikt mit dem aktuellen Zustand."
    assert "offer" not in response.get_data(as_text=True)
