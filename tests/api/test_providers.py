"""Providers API: coordinator/admin only, optimistic locking."""

from __future__ import annotations

import pytest

from models.enums import Role
from models.provider import EXAMPLE_PROVIDER


def _create(client, actor, **overrides):
    return client.post(
        "/api/v1/providers", json=EXAMPLE_PROVIDER | overrides, headers=actor.headers
    )


def test_coordinator_creates_provider(client, factory):
    coordinator = factory.actor(Role.COORDINATOR)

    response = _create(client, coordinator)

    assert response.status_code == 201
    assert response.get_json()["version"] == 1
    assert response.headers["Location"].endswith(f"/{response.get_json()['id']}")


@pytest.mark.parametrize("role", [Role.PARTNER, Role.COUNSELLOR])
def test_other_roles_may_not_manage_providers(client, factory, role):
    actor = factory.actor(role)

    assert _create(client, actor).status_code == 403
    assert client.get("/api/v1/providers", headers=actor.headers).status_code == 403


def test_list_filters_by_district(client, factory):
    admin = factory.actor(Role.ADMIN)
    _create(client, admin, district="Süd")
    _create(client, admin, district="Nord")

    body = client.get("/api/v1/providers?district=Nord", headers=admin.headers).get_json()

    assert body["total"] == 1
    assert body["items"][0]["district"] == "Nord"


def test_unknown_provider_is_404(client, factory):
    coordinator = factory.actor(Role.COORDINATOR)

    assert client.get("/api/v1/providers/999", headers=coordinator.headers).status_code == 404


def test_patch_increments_version(client, factory):
    coordinator = factory.actor(Role.COORDINATOR)
    provider_id = _create(client, coordinator).get_json()["id"]

    response = client.patch(
        f"/api/v1/providers/{provider_id}",
        json={"version": 1, "azav_certified": False},
        headers=coordinator.headers,
    )

    assert response.status_code == 200
    assert response.get_json()["version"] == 2
    assert response.get_json()["azav_certified"] is False


def test_stale_patch_is_conflict_with_current_version(client, factory):
    coordinator = factory.actor(Role.COORDINATOR)
    provider_id = _create(client, coordinator).get_json()["id"]
    client.patch(
        f"/api/v1/providers/{provider_id}",
        json={"version": 1, "name": "Neu"},
        headers=coordinator.headers,
    )

    response = client.patch(
        f"/api/v1/providers/{provider_id}",
        json={"version": 1, "name": "Alt"},
        headers=coordinator.headers,
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["current_version"] == 2


def test_invalid_district_is_422(client, factory):
    coordinator = factory.actor(Role.COORDINATOR)

    response = _create(client, coordinator, district="Düsseldorf")

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "kursberatung-at-traeger.example"}, "email"),
        ({"website": "traeger.example"}, "website"),
        ({"postcode": "478"}, "postcode"),
        ({"latitude": 91.0}, "latitude"),
        ({"longitude": -181.0}, "longitude"),
        ({"phone": "02151 ruf an"}, "phone"),
    ],
)
def test_invalid_contact_is_422_naming_the_field(client, factory, overrides, field):
    response = _create(client, factory.actor(Role.COORDINATOR), **overrides)

    assert response.status_code == 422
    assert field in [d["field"] for d in response.get_json()["error"]["details"]]


def test_contact_fields_default_to_empty_in_krefeld(client, factory):
    minimal = {k: EXAMPLE_PROVIDER[k] for k in ("name", "kind", "district")}
    response = client.post(
        "/api/v1/providers", json=minimal, headers=factory.actor(Role.COORDINATOR).headers
    )

    body = response.get_json()
    assert response.status_code == 201
    assert (body["city"], body["phone"], body["latitude"]) == ("Krefeld", "", None)
