"""Outcomes as dated facts: plausibility (422 with field errors), reference days, corrections."""

from __future__ import annotations

from datetime import date

import pytest
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


@pytest.mark.parametrize(
    ("decided_days_ago", "status", "started_days_ago", "ended_days_ago", "errors"),
    [
        pytest.param(
            0,
            "not_started",
            3,
            1,
            {"started_on": "contradiction", "ended_on": "contradiction"},
            id="not-started-but-dated",
        ),
        pytest.param(100, "dropped", 20, 30, {"ended_on": "before_start"}, id="end-before-start"),
        pytest.param(0, "started", -3, None, {"started_on": "in_future"}, id="in-the-future"),
    ],
)
def test_implausible_dates_are_refused_with_field_errors(
    app,
    client,
    counsellor,
    case,
    decided_days_ago,
    status,
    started_days_ago,
    ended_days_ago,
    errors,
):
    if decided_days_ago:
        backdate(app, case.request_id, decided_days_ago)
    dates = {"started_on": days_ago(started_days_ago).isoformat()}
    if ended_days_ago is not None:
        dates["ended_on"] = days_ago(ended_days_ago).isoformat()

    response = _post(client, counsellor, case, status=status, **dates)

    assert response.status_code == 422
    assert _fields(response) == errors


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
