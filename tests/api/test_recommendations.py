"""Recommendations API: eligibility, snapshots, decisions, outcomes and the rules fallback."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from models.enums import OfferStatus
from models.recommendation import Decision, Outcome, Recommendation
from service.core.db import get_engine

SOON = date.today() + timedelta(days=21)


@pytest.fixture
def catalogue(factory):
    provider = factory.provider()
    offer = factory.offer
    return {
        "good": offer(provider, title="Pflegehelfer Modul 1"),
        "draft": offer(provider, title="Entwurf Pflege", status=OfferStatus.DRAFT),
        "full": offer(provider, title="Ausgebucht Pflege", seats_free=0),
        "c1": offer(provider, title="Pflege für C1", min_german_level="C1"),
        "past": offer(provider, title="Vergangen", start_dates=[date.today() - timedelta(days=30)]),
    }


@pytest.fixture
def profile_id(factory, counsellor):
    return factory.profile(counsellor, german_level="B1")["id"]


def _recommend(client, actor, profile_id, k=5):
    return client.post(
        f"/api/v1/profiles/{profile_id}/recommendations?k={k}", headers=actor.headers
    )


def test_without_model_rules_mode_ranks_only_eligible_offers(
    client, counsellor, catalogue, profile_id
):
    response = _recommend(client, counsellor, profile_id)

    assert response.status_code == 201
    body = response.get_json()
    assert body["mode"] == "rules"
    assert body["model_version"] is None
    offered = {item["offer_id"] for item in body["items"]}
    assert offered == {catalogue["good"].id}


def test_items_carry_reasons_in_german(client, counsellor, catalogue, profile_id):
    item = _recommend(client, counsellor, profile_id).get_json()["items"][0]

    assert item["rank"] == 1
    assert item["reasons"]
    assert all(isinstance(r, str) and r for r in item["reasons"])


def test_snapshot_is_stored_and_readable(client, counsellor, catalogue, profile_id):
    created = _recommend(client, counsellor, profile_id).get_json()

    stored = client.get(
        f"/api/v1/recommendations/{created['request_id']}", headers=counsellor.headers
    ).get_json()

    assert stored["items"] == created["items"]
    assert stored["input"]["german_level"] == "B1"
    assert "client_number" not in stored["input"]


def test_other_caseload_cannot_request_or_read(client, factory, counsellor, catalogue, profile_id):
    other = factory.actor("counsellor")
    created = _recommend(client, counsellor, profile_id).get_json()

    assert _recommend(client, other, profile_id).status_code == 404
    response = client.get(f"/api/v1/recommendations/{created['request_id']}", headers=other.headers)
    assert response.status_code == 404


def test_accept_decision_is_recorded_with_rank(client, counsellor, catalogue, profile_id, app):
    created = _recommend(client, counsellor, profile_id).get_json()
    offer_id = created["items"][0]["offer_id"]

    response = client.post(
        f"/api/v1/recommendations/{created['request_id']}/decision",
        json={"action": "accepted", "offer_id": offer_id, "reason_code": "fits_goals"},
        headers=counsellor.headers,
    )

    assert response.status_code == 201
    assert response.get_json()["recommended_rank"] == 1
    with Session(get_engine(app)) as s:
        assert len(s.exec(select(Decision)).all()) == 1


def test_second_final_decision_is_conflict(client, counsellor, catalogue, profile_id):
    created = _recommend(client, counsellor, profile_id).get_json()
    url = f"/api/v1/recommendations/{created['request_id']}/decision"
    client.post(
        url, json={"action": "no_measure", "reason_code": "job_offer"}, headers=counsellor.headers
    )

    response = client.post(
        url, json={"action": "no_measure", "reason_code": "other"}, headers=counsellor.headers
    )

    assert response.status_code == 409


def test_accepting_an_offer_outside_the_list_is_refused(client, counsellor, catalogue, profile_id):
    created = _recommend(client, counsellor, profile_id).get_json()

    response = client.post(
        f"/api/v1/recommendations/{created['request_id']}/decision",
        json={"action": "accepted", "offer_id": catalogue["c1"].id, "reason_code": "fits_goals"},
        headers=counsellor.headers,
    )

    assert response.status_code == 422


def test_override_to_another_approved_offer(client, counsellor, catalogue, profile_id):
    created = _recommend(client, counsellor, profile_id).get_json()

    response = client.post(
        f"/api/v1/recommendations/{created['request_id']}/decision",
        json={
            "action": "override",
            "offer_id": catalogue["c1"].id,
            "reason_code": "better_alternative",
        },
        headers=counsellor.headers,
    )

    assert response.status_code == 201
    assert response.get_json()["recommended_rank"] is None


def test_outcome_is_recorded_and_erased_with_the_profile(
    client, counsellor, catalogue, profile_id, app
):
    created = _recommend(client, counsellor, profile_id).get_json()
    response = client.post(
        f"/api/v1/profiles/{profile_id}/outcomes",
        json={
            "request_id": created["request_id"],
            "offer_id": catalogue["good"].id,
            "status": "started",
            "started_on": date.today().isoformat(),
        },
        headers=counsellor.headers,
    )
    assert response.status_code == 201

    client.delete(f"/api/v1/profiles/{profile_id}", headers=counsellor.headers)

    with Session(get_engine(app)) as s:
        assert s.exec(select(Outcome)).all() == []
        assert s.exec(select(Recommendation)).all() == []


def test_unknown_request_id_is_404(client, counsellor):
    response = client.get(
        "/api/v1/recommendations/00000000-0000-0000-0000-000000000000", headers=counsellor.headers
    )
    assert response.status_code == 404
