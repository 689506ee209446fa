"""Import from the federal course database over the API: review, idempotency, privacy."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from models.enums import Role
from service.core.db import get_engine
from tests.api.offer_helpers import review
from tests.api.wbs_helpers import CHANGED, FIRST, STAFF_NAMES, pages, post
from tests.factories import offers_seen


def _offers(client, actor, **query):
    return {o["external_ref"]: o for o in offers_seen(client, actor, **query)}


def test_first_run_creates_submitted_offers_in_the_review_queue(client, coordinator):
    response = post(client, coordinator, pages(*FIRST))

    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["created"], report["updated"], report["unchanged"]) == (6, 0, 0)
    queue = _offers(client, coordinator, needs_review="true")
    assert sorted(queue) == [f"WBS-10000{i}" for i in (1, 2, 3, 4, 6, 7)]
    assert {o["status"] for o in queue.values()} == {"submitted"}


def test_second_run_creates_nothing(client, coordinator):
    post(client, coordinator, pages(*FIRST))

    report = post(client, coordinator, pages(*FIRST)).get_json()

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 6)
    assert len(_offers(client, coordinator)) == 6


def test_refused_runs_are_reported_per_row(client, coordinator):
    report = post(client, coordinator, pages(*FIRST)).get_json()

    by_code = {e["code"]: e for e in report["errors"]}
    assert set(by_code) == {"outside_krefeld", "missing_id"}
    assert by_code["outside_krefeld"]["ref"] == "WBS-100005"
    assert "außerhalb Krefelds" in by_code["outside_krefeld"]["message"]


def test_mapped_fields(client, coordinator):
    post(client, coordinator, pages(*FIRST))
    offers = _offers(client, coordinator)

    retraining = offers["WBS-100001"]
    assert retraining["measure_type"] == "UMSCHULUNG"
    assert retraining["target_occupations"] == ["71402"]
    assert (retraining["duration_weeks"], retraining["hours_per_week"]) == (104, 35)
    assert retraining["funding"] == ["bildungsgutschein"]
    assert retraining["cost_eur"] == 14500.0
    assert retraining["registration_url"].endswith("/kurse/100001")
    assert retraining["registration_deadline"] == "2027-02-15"
    language = offers["WBS-100003"]
    assert (language["rolling_entry"], language["start_dates"]) == (True, [])
    assert language["format"] == "online"
    partial = offers["WBS-100002"]
    assert (partial["district"], partial["venue_street"]) == ("Mitte", "Kölner Straße 5")


def test_classification_rule_is_stored(client, coordinator):
    post(client, coordinator, pages(*FIRST))

    flags = _offers(client, coordinator)["WBS-100002"]["quality_flags"]
    record = next(f for f in flags if f["code"] == "wbs_classification")
    assert (record["rule"], record["confidence"]) == ("teilqualifizierung", "high")


def test_unclassifiable_run_is_flagged_for_review(client, coordinator):
    report = post(client, coordinator, pages(*FIRST)).get_json()

    offer = _offers(client, coordinator)["WBS-100006"]
    assert offer["measure_type"] == "ANPASSUNGSQUALIFIZIERUNG"
    assert "wbs_unclassified" in {f["code"] for f in offer["quality_flags"]}
    flagged = {f["ref"]: f["codes"] for f in report["flagged"]}
    assert "wbs_unclassified" in flagged["WBS-100006"]
    assert flagged["WBS-100004"] == ["wbs_unknown_teaching_form"]


def test_providers_are_matched_by_normalised_name(client, coordinator):
    report = post(client, coordinator, pages(*FIRST)).get_json()

    providers = client.get("/api/v1/providers?limit=100", headers=coordinator.headers)
    names = sorted(p["name"] for p in providers.get_json()["items"])
    # "Bildungswerk Krefeld GmbH" and "… gGmbH" at two addresses are one provider.
    assert report["providers_created"] == 4
    assert names.count("Bildungswerk Krefeld gGmbH") == 1
    assert "Bildungswerk Krefeld GmbH" not in names


def test_existing_provider_is_reused(client, coordinator, factory):
    existing = factory.provider(name="Logistik-Schule Hüls", district="Hüls", postcode="47839")

    post(client, coordinator, pages(*FIRST))

    assert _offers(client, coordinator)["WBS-100007"]["provider_id"] == existing.id


def test_changed_run_updates_the_submitted_offer(client, coordinator):
    post(client, coordinator, pages(*FIRST))

    report = post(client, coordinator, pages(*CHANGED)).get_json()

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 5)
    offer = _offers(client, coordinator)["WBS-100001"]
    assert (offer["status"], offer["start_dates"], offer["cost_eur"]) == (
        "submitted",
        ["2027-04-01"],
        15200.0,
    )


def test_changed_run_of_an_approved_offer_waits_for_review(client, coordinator):
    post(client, coordinator, pages(*FIRST))
    offer_id = _offers(client, coordinator)["WBS-100001"]["id"]
    assert review(client, coordinator, offer_id, "approve").status_code == 200

    post(client, coordinator, pages(*CHANGED))

    offer = _offers(client, coordinator)["WBS-100001"]
    assert offer["status"] == "approved"
    assert offer["start_dates"] == ["2027-03-01"]  # the approved version stays visible
    assert offer["pending_changes"]["start_dates"] == ["2027-04-01"]
    assert offer["review_pending"] is True
    classification = [f for f in offer["quality_flags"] if f["code"] == "wbs_classification"]
    assert len(classification) == 1


def test_changed_run_of_a_rejected_offer_is_reported(client, coordinator):
    post(client, coordinator, pages(*FIRST))
    offer_id = _offers(client, coordinator)["WBS-100001"]["id"]
    review(client, coordinator, offer_id, "reject", "Kein Bedarf.")

    report = post(client, coordinator, pages(*CHANGED)).get_json()

    assert [e["code"] for e in report["errors"] if e["ref"] == "WBS-100001"] == [
        "offer_not_editable"
    ]


def test_no_staff_name_is_stored(client, coordinator, app):
    post(client, coordinator, pages(*FIRST))

    with Session(get_engine(app)) as session:
        rows = [
            str(tuple(row))
            for table in ("offer", "provider", "offer_review", "audit_event")
            for row in session.execute(text(f"SELECT * FROM {table}"))  # noqa: S608
        ]
    stored = "\n".join(rows).casefold()
    assert rows
    assert [name for name in STAFF_NAMES if name.casefold() in stored] == []


def test_partner_may_not_import_from_the_course_database(client, factory):
    partner = factory.actor(Role.PARTNER)

    response = post(client, partner, pages(*FIRST))

    assert response.status_code == 403


def test_body_that_is_no_export_is_refused(client, coordinator):
    response = post(client, coordinator, {"items": [1, 2]})

    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "not_wbs"
