"""Review workflow: every valid and invalid transition, role rules, trail, pending changes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from models.audit import AuditEvent
from models.enums import Role
from models.offer import Offer
from service.core.db import get_engine
from service.offers.workflow import expire_offers
from tests.api.offer_helpers import approved_id, created_id, review, submit


def _status(client, actor, offer_id):
    return client.get(f"/api/v1/offers/{offer_id}", headers=actor.headers).get_json()["status"]


def _withdraw(client, actor, offer_id):
    return client.post(f"/api/v1/offers/{offer_id}/withdraw", headers=actor.headers)


def _submitted(client, partner):
    offer_id = created_id(client, partner)
    submit(client, partner, offer_id)
    return offer_id


def test_partner_submits_draft(client, partner):
    offer_id = created_id(client, partner)

    response = submit(client, partner, offer_id)

    assert response.status_code == 200
    assert response.get_json()["status"] == "submitted"
    assert response.get_json()["version"] == 2


def test_coordinator_may_submit(client, partner, coordinator):
    offer_id = created_id(client, partner)

    assert submit(client, coordinator, offer_id).get_json()["status"] == "submitted"


def test_other_partner_cannot_submit(client, factory, partner):
    offer_id = created_id(client, partner)

    assert submit(client, factory.actor(Role.PARTNER), offer_id).status_code == 404


def test_submit_with_stale_version_is_conflict(client, partner):
    offer_id = created_id(client, partner)

    response = submit(client, partner, offer_id, version=7)

    assert response.status_code == 409
    assert response.get_json()["error"]["current_version"] == 1


@pytest.mark.parametrize(
    ("decision", "reason", "expected"),
    [
        ("approve", None, "approved"),
        ("request_changes", "Bitte Starttermine ergänzen.", "changes_requested"),
        ("reject", "Kein Bezug zum Arbeitsmarkt.", "rejected"),
    ],
)
def test_review_decisions(client, partner, coordinator, decision, reason, expected):
    offer_id = _submitted(client, partner)

    response = review(client, coordinator, offer_id, decision, reason)

    assert response.status_code == 200
    assert response.get_json()["status"] == expected
    assert response.get_json()["review_reason"] == reason


@pytest.mark.parametrize("decision", ["reject", "request_changes"])
def test_reason_required_for_reject_and_request_changes(client, partner, coordinator, decision):
    offer_id = _submitted(client, partner)

    response = review(client, coordinator, offer_id, decision, "  ")

    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "reason"


def test_partner_cannot_review(client, partner):
    offer_id = _submitted(client, partner)

    assert review(client, partner, offer_id, "approve").status_code == 403


def test_review_of_draft_is_invalid_transition(client, partner, coordinator):
    offer_id = created_id(client, partner)

    response = review(client, coordinator, offer_id, "approve")

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "invalid_transition"
    assert (error["from_status"], error["to_status"]) == ("draft", "approved")
    assert "„Entwurf“ (draft) nach „freigegeben“ (approved)" in error["message"]


@pytest.mark.parametrize(
    ("prepare", "move", "transition"),
    [
        pytest.param(_submitted, submit, ("submitted", "submitted"), id="submitting-twice"),
        pytest.param(created_id, _withdraw, ("draft", "withdrawn"), id="withdrawing-a-draft"),
    ],
)
def test_partner_move_from_wrong_status_is_invalid_transition(
    client, partner, prepare, move, transition
):
    offer_id = prepare(client, partner)

    response = move(client, partner, offer_id)

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "invalid_transition"
    assert (error["from_status"], error["to_status"]) == transition


def test_rejected_offer_cannot_be_resubmitted(client, partner, coordinator):
    offer_id = _submitted(client, partner)
    review(client, coordinator, offer_id, "reject", "Nein.")

    assert submit(client, partner, offer_id).status_code == 409


def test_changes_requested_edit_and_resubmit(client, partner, coordinator):
    offer_id = _submitted(client, partner)
    review(client, coordinator, offer_id, "request_changes", "Beschreibung fehlt.")

    edit = client.patch(
        f"/api/v1/offers/{offer_id}",
        json={"version": 3, "description": "Jetzt mit Beschreibung."},
        headers=partner.headers,
    )
    again = submit(client, partner, offer_id)

    assert edit.status_code == 200
    assert edit.get_json()["status"] == "changes_requested"
    assert again.get_json()["status"] == "submitted"


def test_submitted_offer_cannot_be_edited(client, partner):
    offer_id = _submitted(client, partner)

    response = client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 2, "title": "Neu!"}, headers=partner.headers
    )

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "offer_not_editable"


def test_partner_withdraws_approved_offer(client, partner, coordinator):
    offer_id = approved_id(client, partner, coordinator)

    response = _withdraw(client, partner, offer_id)

    assert response.get_json()["status"] == "withdrawn"


def test_coordinator_withdraws_approved_offer(client, partner, coordinator):
    offer_id = approved_id(client, partner, coordinator)

    assert _withdraw(client, coordinator, offer_id).get_json()["status"] == "withdrawn"


def test_edit_of_approved_offer_is_pending_and_approved_version_stays(client, partner, coordinator):
    offer_id = approved_id(client, partner, coordinator)

    response = client.patch(
        f"/api/v1/offers/{offer_id}",
        json={"version": 3, "title": "Ganz neuer Titel"},
        headers=partner.headers,
    )

    body = response.get_json()
    assert body["status"] == "approved"
    assert body["title"] != "Ganz neuer Titel"
    assert body["pending_changes"] == {"title": "Ganz neuer Titel"}
    assert body["review_pending"] is True


def test_free_seats_on_approved_offer_apply_immediately(client, partner, coordinator):
    offer_id = approved_id(client, partner, coordinator)

    body = client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 3, "seats_free": 1}, headers=partner.headers
    ).get_json()

    assert (body["seats_free"], body["pending_changes"]) == (1, None)


def test_pending_change_appears_in_review_queue(client, partner, coordinator):
    offer_id = approved_id(client, partner, coordinator)
    client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 3, "title": "Neu 1"}, headers=partner.headers
    )

    body = client.get("/api/v1/offers?needs_review=true", headers=coordinator.headers).get_json()

    assert [o["id"] for o in body["items"]] == [offer_id]


def test_approving_pending_change_applies_it(client, partner, coordinator):
    offer_id = approved_id(client, partner, coordinator)
    client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 3, "title": "Neu 2"}, headers=partner.headers
    )

    body = review(client, coordinator, offer_id, "approve").get_json()

    assert (body["status"], body["title"], body["pending_changes"]) == ("approved", "Neu 2", None)


def test_rejecting_pending_change_keeps_approved_version(client, partner, coordinator):
    offer_id = approved_id(client, partner, coordinator)
    before = client.get(f"/api/v1/offers/{offer_id}", headers=partner.headers).get_json()["title"]
    client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 3, "title": "Neu 3"}, headers=partner.headers
    )

    body = review(client, coordinator, offer_id, "reject", "Titel irreführend.").get_json()

    assert (body["status"], body["title"], body["pending_changes"]) == ("approved", before, None)


def test_counsellor_sees_approved_version_while_change_pending(
    client, factory, partner, coordinator
):
    counsellor = factory.actor(Role.COUNSELLOR)
    offer_id = approved_id(client, partner, coordinator)
    client.patch(
        f"/api/v1/offers/{offer_id}", json={"version": 3, "title": "Neu 4"}, headers=partner.headers
    )

    body = client.get(f"/api/v1/offers/{offer_id}", headers=counsellor.headers).get_json()

    assert body["title"] != "Neu 4"
    assert body["pending_changes"] is None


def test_review_trail_is_visible_to_partner(client, partner, coordinator):
    offer_id = _submitted(client, partner)
    review(client, coordinator, offer_id, "request_changes", "Bitte Kosten angeben.")

    items = client.get(f"/api/v1/offers/{offer_id}/reviews", headers=partner.headers).get_json()[
        "items"
    ]

    assert [(i["from_status"], i["to_status"]) for i in items] == [
        ("draft", "submitted"),
        ("submitted", "changes_requested"),
    ]
    assert items[-1]["reason"] == "Bitte Kosten angeben."


def test_every_step_is_audited(client, partner, coordinator, app):
    offer_id = approved_id(client, partner, coordinator)

    with Session(get_engine(app)) as s:
        actions = [
            e.action
            for e in s.exec(select(AuditEvent).where(AuditEvent.object_id == str(offer_id)))
        ]
    assert actions == ["offer.create", "offer.submitted", "offer.approved"]


def test_expire_sets_past_approved_offers_expired(client, partner, coordinator, app):
    past = approved_id(client, partner, coordinator, start_dates=["2020-01-01"], end_date=None)
    future = approved_id(client, partner, coordinator)

    with Session(get_engine(app), expire_on_commit=False) as s:
        expired = expire_offers(s, today=date(2026, 1, 1))
        statuses = {o.id: o.status for o in s.exec(select(Offer))}

    assert expired == [past]
    assert (statuses[past], statuses[future]) == ("expired", "approved")


def test_expire_cli_expires_past_offers(app, client, partner, coordinator):
    offer_id = approved_id(client, partner, coordinator, start_dates=["2020-01-01"], end_date=None)

    result = app.test_cli_runner().invoke(args=["offers", "expire", "--today", "2026-01-01"])

    assert result.exit_code == 0, result.output
    assert "1 Angebot(e) abgelaufen." in result.output
    assert "Nächster Starttermin bei 0 Angebot(en) für die Suche aktualisiert." in result.output
    assert _status(client, partner, offer_id) == "expired"
