"""Offers API: validation, access rules per role, list filters and optimistic locking.

Another provider's offer is reported as missing (404) for every action; explicitly creating
for another provider is 403.
"""

from __future__ import annotations

import pytest

from models.enums import Role
from tests.api.offer_helpers import approved_id, create, created_id, offer_payload


def test_partner_creates_draft_for_own_provider(client, partner):
    response = create(client, partner)

    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft"
    assert body["provider_id"] == partner.user.provider_id
    assert body["version"] == 1


def test_missing_external_ref_is_generated(client, partner):
    payload = offer_payload()
    del payload["external_ref"]

    response = client.post("/api/v1/offers", json=payload, headers=partner.headers)

    assert response.status_code == 201
    assert response.get_json()["external_ref"].startswith("QM-")


def test_partner_may_not_create_for_other_provider(client, factory, partner):
    other = factory.provider()

    response = create(client, partner, provider_id=other.id)

    assert response.status_code == 403


def test_coordinator_must_name_provider(client, coordinator):
    response = create(client, coordinator)

    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "provider_id"


def test_coordinator_creates_for_named_provider(client, factory, coordinator):
    provider = factory.provider()

    response = create(client, coordinator, provider_id=provider.id)

    assert response.status_code == 201
    assert response.get_json()["provider_id"] == provider.id


def test_counsellor_may_not_create(client, factory):
    counsellor = factory.actor(Role.COUNSELLOR)

    assert create(client, counsellor).status_code == 403


def test_other_providers_offer_is_not_found_for_partner(client, factory, partner):
    other = factory.actor(Role.PARTNER)
    offer_id = created_id(client, other)

    get = client.get(f"/api/v1/offers/{offer_id}", headers=partner.headers)
    patch = client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 1, "title": "Fremd"}, headers=partner.headers
    )

    assert (get.status_code, patch.status_code) == (404, 404)


def test_counsellor_reads_approved_offers_only(client, factory, partner, coordinator):
    counsellor = factory.actor(Role.COUNSELLOR)
    draft_id = created_id(client, partner)
    approved = approved_id(client, partner, coordinator)

    listed = client.get("/api/v1/offers", headers=counsellor.headers).get_json()
    draft = client.get(f"/api/v1/offers/{draft_id}", headers=counsellor.headers)

    assert [o["id"] for o in listed["items"]] == [approved]
    assert draft.status_code == 404


def test_counsellor_may_not_edit(client, factory, partner, coordinator):
    counsellor = factory.actor(Role.COUNSELLOR)
    offer_id = approved_id(client, partner, coordinator)

    response = client.patch(
        f"/api/v1/offers/{offer_id}",
        json={"version": 3, "seats_free": 1},
        headers=counsellor.headers,
    )

    assert response.status_code == 403


def test_coordinator_lists_all_providers(client, factory, coordinator):
    create(client, factory.actor(Role.PARTNER))
    create(client, factory.actor(Role.PARTNER))

    assert client.get("/api/v1/offers", headers=coordinator.headers).get_json()["total"] == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("measure_type=UMSCHULUNG", ["U"]),
        ("district=Süd", ["S"]),
        ("kldb=513", ["U"]),
        ("kldb=82101", ["T", "S"]),
        ("status=draft", ["T", "U", "S"]),
        ("q=umschulung%20lager", ["U"]),
    ],
)
def test_list_filters(client, partner, query, expected):
    create(client, partner, external_ref="T")
    create(
        client,
        partner,
        external_ref="U",
        title="Umschulung Fachkraft für Lagerlogistik",
        measure_type="UMSCHULUNG",
        target_occupations=["51312"],
        duration_weeks=90,
    )
    create(client, partner, external_ref="S", district="Süd", title="Sprachkurs Pflege")

    body = client.get(f"/api/v1/offers?{query}", headers=partner.headers).get_json()

    assert [o["external_ref"] for o in body["items"]] == expected
    assert body["total"] == len(expected)


def test_pagination_reports_total(client, partner):
    for _ in range(3):
        create(client, partner)

    body = client.get("/api/v1/offers?limit=2&offset=2", headers=partner.headers).get_json()

    assert (body["total"], len(body["items"])) == (3, 1)


def test_update_draft_increments_version(client, partner):
    offer_id = created_id(client, partner)

    response = client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 1, "seats_free": 3}, headers=partner.headers
    )

    assert response.status_code == 200
    assert (response.get_json()["version"], response.get_json()["seats_free"]) == (2, 3)


def test_stale_update_is_conflict_with_current_version(client, partner):
    offer_id = created_id(client, partner)
    client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 1, "seats_free": 3}, headers=partner.headers
    )

    response = client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 1, "seats_free": 4}, headers=partner.headers
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["current_version"] == 2


def test_update_checks_cross_field_rules_against_stored_values(client, partner):
    offer_id = created_id(client, partner, seats_total=10, seats_free=5)

    response = client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 1, "seats_free": 11}, headers=partner.headers
    )

    assert response.status_code == 422


def _example(client, schema):
    return client.get("/api/v1/openapi.json").get_json()["components"]["schemas"][schema]["example"]


def test_openapi_create_example_is_accepted(client, partner):
    response = client.post(
        "/api/v1/offers", json=_example(client, "OfferCreate"), headers=partner.headers
    )

    assert response.status_code == 201


def test_openapi_update_example_is_accepted(client, partner):
    offer_id = created_id(client, partner)

    response = client.patch(
        f"/api/v1/offers/{offer_id}", json=_example(client, "OfferUpdate"), headers=partner.headers
    )

    assert response.status_code == 200


def test_openapi_provider_example_is_accepted(client, coordinator):
    response = client.post(
        "/api/v1/providers", json=_example(client, "ProviderCreate"), headers=coordinator.headers
    )

    assert response.status_code == 201
