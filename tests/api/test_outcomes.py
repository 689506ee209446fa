"""Outcomes as dated facts: plausibility (422 with field errors), reference days, corrections."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from models.audit import AuditEvent
from models.recommendation import Outcome
from service.caseload.outcome_checks import add_months
from service.core.db import get_engine
from tests.api.loop_helpers import backdate, days_ago, decide


def _post(client, actor, case, **body):
    return client.post(
        f"/api/v1/profiles/{case.profile_id}/outcomes",
        json={"request_id": case.request_id, **body},
        headers=actor.headers,
    )


def _fields(response):
    return {d["field"]: d["code"] for d in response.get_json()["error"]["details"]}


def _completed(case, **extra):
    return {
        "offer_id": case.offer_id,
        "status": "completed",
        "started_on": days_ago(390).isoformat(),
        "ended_on": days_ago(250).isoformat(),
        **extra,
    }


def test_completed_measure_records_the_reference_day_six_months_after_its_end(
    app, client, counsellor, case
):
    backdate(app, case.request_id, 400)

    response = _post(client, counsellor, case, **_completed(case, employed_6m=True))

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["employed_6m_on"] == add_months(days_ago(250), 6).isoformat()
    assert body["version"] == 1


def test_not_started_but_with_dates_is_refused_with_field_errors(client, counsellor, case):
    response = _post(
        client,
        counsellor,
        case,
        status="not_started",
        started_on=days_ago(3).isoformat(),
        ended_on=days_ago(1).isoformat(),
    )

    assert response.status_code == 422
    assert _fields(response) == {"started_on": "contradiction", "ended_on": "contradiction"}


def test_end_before_start_is_refused(app, client, counsellor, case):
    backdate(app, case.request_id, 100)

    response = _post(
        client,
        counsellor,
        case,
        status="dropped",
        started_on=days_ago(20).isoformat(),
        ended_on=days_ago(30).isoformat(),
    )

    assert response.status_code == 422
    assert _fields(response) == {"ended_on": "before_start"}


def test_dates_in_the_future_are_refused(client, counsellor, case):
    response = _post(
        client,
        counsellor,
        case,
        status="started",
        started_on=(date.today() + timedelta(days=3)).isoformat(),
    )

    assert response.status_code == 422
    assert _fields(response)["started_on"] == "in_future"


def test_employment_after_six_months_cannot_be_recorded_on_the_day_of_the_decision(
    client, counsellor, case
):
    decide(client, counsellor, case.request_id, action="no_measure", reason_code="job_offer")

    response = _post(client, counsellor, case, status="not_started", employed_6m=True)

    assert response.status_code == 422
    detail = response.get_json()["error"]["details"][0]
    assert detail["field"] == "employed_6m"
    assert add_months(date.today(), 6).strftime("%d.%m.%Y") in detail["message"]


def test_no_measure_counts_six_months_from_the_decision(app, client, counsellor, case):
    decide(client, counsellor, case.request_id, action="no_measure", reason_code="job_offer")
    backdate(app, case.request_id, 200)

    response = _post(client, counsellor, case, status="not_started", employed_6m=False)

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["employed_6m_on"] == add_months(days_ago(200), 6).isoformat()


def test_a_running_measure_has_no_employment_status_yet(app, client, counsellor, case):
    backdate(app, case.request_id, 400)

    response = _post(
        client,
        counsellor,
        case,
        offer_id=case.offer_id,
        status="started",
        started_on=days_ago(390).isoformat(),
        employed_6m=True,
    )

    assert response.status_code == 422
    assert _fields(response) == {"employed_6m": "no_reference_day"}


def test_a_correction_adds_a_version_and_keeps_the_earlier_one(app, client, counsellor, case):
    backdate(app, case.request_id, 400)
    first = _post(client, counsellor, case, **_completed(case, employed_6m=True)).get_json()

    response = client.patch(
        f"/api/v1/outcomes/{first['id']}", json={"employed_6m": False}, headers=counsellor.headers
    )

    assert response.status_code == 200, response.get_json()
    corrected = response.get_json()
    assert (corrected["version"], corrected["corrects_id"]) == (2, first["id"])
    assert corrected["employed_6m"] is False
    assert corrected["ended_on"] == first["ended_on"]
    with Session(get_engine(app)) as s:
        old = s.get(Outcome, first["id"])
        assert old is not None
        assert old.superseded_at is not None
        assert old.employed_6m is True
        events = s.exec(select(AuditEvent).where(AuditEvent.action == "outcome.correct")).all()
        assert [e.detail["fields"] for e in events] == [["employed_6m"]]


def test_a_superseded_version_cannot_be_corrected_again(app, client, counsellor, case):
    backdate(app, case.request_id, 400)
    first = _post(client, counsellor, case, **_completed(case, employed_6m=True)).get_json()
    url = f"/api/v1/outcomes/{first['id']}"
    client.patch(url, json={"employed_6m": False}, headers=counsellor.headers)

    response = client.patch(url, json={"employed_6m": True}, headers=counsellor.headers)

    assert response.status_code == 409


def test_a_correction_is_checked_like_a_new_outcome(app, client, counsellor, case):
    backdate(app, case.request_id, 400)
    first = _post(client, counsellor, case, **_completed(case)).get_json()

    response = client.patch(
        f"/api/v1/outcomes/{first['id']}",
        json={"status": "not_started"},
        headers=counsellor.headers,
    )

    assert response.status_code == 422
    assert set(_fields(response)) == {"started_on", "ended_on"}


def test_another_caseload_cannot_correct(app, client, factory, counsellor, case):
    backdate(app, case.request_id, 400)
    first = _post(client, counsellor, case, **_completed(case)).get_json()
    other = factory.actor("counsellor")

    response = client.patch(
        f"/api/v1/outcomes/{first['id']}", json={"employed_6m": False}, headers=other.headers
    )

    assert response.status_code == 404
