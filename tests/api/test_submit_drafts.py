"""Submitting all drafts of a provider at once."""

from __future__ import annotations

from models.enums import Role
from tests.api.offer_helpers import created_id, submit


def _status(client, actor, offer_id):
    return client.get(f"/api/v1/offers/{offer_id}", headers=actor.headers).get_json()["status"]


def test_partner_submits_all_own_drafts(client, partner):
    first, second = created_id(client, partner), created_id(client, partner)

    response = client.post("/api/v1/offers/submit-drafts", headers=partner.headers)

    assert response.status_code == 200
    assert response.get_json() == {"submitted": [first, second]}
    assert {_status(client, partner, i) for i in (first, second)} == {"submitted"}


def test_other_providers_drafts_stay_drafts(client, factory, partner):
    other = factory.actor(Role.PARTNER)
    foreign = created_id(client, other)

    client.post("/api/v1/offers/submit-drafts", headers=partner.headers)

    assert _status(client, other, foreign) == "draft"


def test_already_submitted_offers_are_left_alone(client, partner):
    offer_id = created_id(client, partner)
    submit(client, partner, offer_id)

    response = client.post("/api/v1/offers/submit-drafts", headers=partner.headers)

    assert response.get_json() == {"submitted": []}


def test_coordinator_names_the_provider(client, factory, partner):
    coordinator = factory.actor(Role.COORDINATOR)
    offer_id = created_id(client, partner)

    missing = client.post("/api/v1/offers/submit-drafts", json={}, headers=coordinator.headers)
    named = client.post(
        "/api/v1/offers/submit-drafts",
        json={"provider_id": partner.user.provider_id},
        headers=coordinator.headers,
    )

    assert missing.status_code == 422
    assert named.get_json() == {"submitted": [offer_id]}


def test_counsellor_may_not_submit(client, counsellor):
    response = client.post("/api/v1/offers/submit-drafts", headers=counsellor.headers)

    assert response.status_code == 403
