"""Hostile input gets a 4xx envelope on every backend, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from models.base import MAX_INT
from tests.api.test_errors import _assert_envelope
from tests.factories import profile_payload


@pytest.fixture
def profile_id(client, counsellor):
    response = client.post("/api/v1/profiles", json=profile_payload(), headers=counsellor.headers)
    return response.get_json()["id"]


@pytest.mark.parametrize("field", ["age_band", "target_occupations", "hours_available"])
def test_null_for_a_required_field_in_a_patch_is_422(client, counsellor, profile_id, field):
    response = client.patch(
        f"/api/v1/profiles/{profile_id}",
        json={"version": 1, field: None},
        headers=counsellor.headers,
    )
    _assert_envelope(response, 422, "validation_error")
    assert response.get_json()["error"]["details"][0]["field"] == field


def test_null_where_the_column_allows_it_clears_the_field(client, counsellor, profile_id):
    response = client.patch(
        f"/api/v1/profiles/{profile_id}",
        json={"version": 1, "last_occupation": None},
        headers=counsellor.headers,
    )
    assert response.status_code == 200
    assert response.get_json()["last_occupation"] is None


def test_json_nested_100000_deep_is_400(client, counsellor):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/api/v1/profiles", data=deep, content_type="application/json", headers=counsellor.headers
    )
    _assert_envelope(response, 400, "json_too_deep")


def test_json_nested_just_beyond_the_limit_is_400(client, counsellor):
    deep = '{"a":' * 40 + "1" + "}" * 40
    response = client.post(
        "/api/v1/profiles", data=deep, content_type="application/json", headers=counsellor.headers
    )
    _assert_envelope(response, 400, "json_too_deep")


def test_integer_beyond_pythons_digit_limit_in_json_is_400(client, counsellor):
    body = '{"version": ' + "9" * 4400 + "}"
    response = client.patch(
        "/api/v1/profiles/1", data=body, content_type="application/json", headers=counsellor.headers
    )
    _assert_envelope(response, 400, "malformed_json")


def test_nul_in_a_text_field_is_422(client, coordinator):
    body = {"name": "Träger\x00X", "kind": "welfare", "district": "Mitte"}
    response = client.post("/api/v1/providers", json=body, headers=coordinator.headers)
    _assert_envelope(response, 422, "validation_error")
    assert response.get_json()["error"]["details"][0]["code"] == "nul_character"


def test_nul_in_a_nested_list_is_422(client, counsellor):
    body = profile_payload(target_occupations=["8210\x00"])
    response = client.post("/api/v1/profiles", json=body, headers=counsellor.headers)
    _assert_envelope(response, 422, "validation_error")
    assert response.get_json()["error"]["details"][0]["field"] == "target_occupations.0"


@pytest.mark.parametrize(
    "url", ["/api/v1/offers?q=Pf%00lege", "/api/v1/occupations/search?q=Pf%00lege"]
)
def test_nul_in_the_query_string_is_422(client, coordinator, url):
    response = client.get(url, headers=coordinator.headers)
    _assert_envelope(response, 422, "validation_error")


def test_nul_in_a_path_segment_is_422(client, counsellor):
    response = client.get("/api/v1/recommendations/ab%00cd", headers=counsellor.headers)
    _assert_envelope(response, 422, "validation_error")


def test_nul_in_a_web_query_string_is_400(client):
    assert client.get("/anmelden").status_code == 200
    assert client.get("/anmelden?next=a%00b").status_code == 400


@pytest.mark.parametrize("value", [2**31, 2**63, 10**30])
def test_huge_ids_in_the_path_are_4xx(client, coordinator, value):
    response = client.get(f"/api/v1/offers/{value}", headers=coordinator.headers)
    assert response.status_code in (404, 422)
    assert response.is_json


@pytest.mark.parametrize("value", [2**31, 2**63])
def test_huge_offer_id_in_an_outcome_is_422(client, counsellor, profile_id, value):
    body = {"offer_id": value, "status": "not_started"}
    response = client.post(
        f"/api/v1/profiles/{profile_id}/outcomes", json=body, headers=counsellor.headers
    )
    _assert_envelope(response, 422, "validation_error")


@pytest.mark.parametrize("value", [2**31, 2**63])
def test_huge_version_in_a_review_is_422(client, coordinator, value):
    body = {"decision": "approve", "version": value}
    response = client.post("/api/v1/offers/1/review", json=body, headers=coordinator.headers)
    _assert_envelope(response, 422, "validation_error")


def _unbounded_integers(spec: dict[str, Any]) -> list[str]:
    schemas = spec["components"]["schemas"]
    found: list[str] = []

    def walk(node: Any, where: str, seen: frozenset[str]) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, where, seen)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                walk(schemas[name], f"{where}>{name}", seen | {name})
            return
        if node.get("type") == "integer" and node.get("maximum", MAX_INT + 1) > MAX_INT:
            found.append(where)
        for key, value in node.items():
            if key == "properties":
                for prop, schema in value.items():
                    walk(schema, f"{where}.{prop}", seen)
            else:
                walk(value, where, seen)

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                walk(parameter.get("schema"), f"{method} {path} {parameter['name']}", frozenset())
            for media in operation.get("requestBody", {}).get("content", {}).values():
                walk(media.get("schema"), f"{method} {path} body", frozenset())
    return found


def test_every_request_integer_has_an_upper_bound_postgresql_can_store(sqlite_only_app):
    assert _unbounded_integers(sqlite_only_app.api_doc) == []


def test_overlong_url_is_a_414_envelope(client, coordinator):
    response = client.get("/api/v1/offers?q=" + "a" * 5000, headers=coordinator.headers)
    _assert_envelope(response, 414, "uri_too_long")


def test_rollback_405_names_only_the_methods_it_has(client):
    response = client.get("/api/v1/models/rollback")
    _assert_envelope(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
