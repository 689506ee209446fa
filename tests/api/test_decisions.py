"""Decisions: exactly one current final decision per recommendation (also under concurrency),
corrections with a reason code within the correction period, kept in the trail."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select
from werkzeug.serving import make_server

from models.audit import AuditEvent
from models.recommendation import Decision
from service.core.db import get_engine
from tests.api.loop_helpers import backdate, decide, new_case

ACCEPT = {"action": "accepted", "reason_code": "fits_goals"}
CORRECTION = {"action": "no_measure", "reason_code": "job_offer", "correction_reason": "mis_click"}


def _correct(client, actor, decision_id, **body):
    return client.post(
        f"/api/v1/decisions/{decision_id}/corrections",
        json=body or CORRECTION,
        headers=actor.headers,
    )


def test_a_correction_replaces_the_decision_and_keeps_it_in_the_trail(
    app, client, counsellor, case
):
    first = decide(client, counsellor, case.request_id, offer_id=case.offer_id, **ACCEPT)

    response = _correct(client, counsellor, first.get_json()["id"])

    assert response.status_code == 201, response.get_json()
    trail = client.get(
        f"/api/v1/recommendations/{case.request_id}/decisions", headers=counsellor.headers
    ).get_json()["items"]
    assert [(d["action"], d["superseded_at"] is None) for d in trail] == [
        ("accepted", False),
        ("no_measure", True),
    ]
    assert trail[1]["corrects_id"] == trail[0]["id"]
    assert trail[1]["correction_reason"] == "mis_click"


def test_a_correction_is_audited_with_its_reason(app, client, counsellor, case):
    first = decide(client, counsellor, case.request_id, offer_id=case.offer_id, **ACCEPT)

    _correct(client, counsellor, first.get_json()["id"])

    with Session(get_engine(app)) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "decision.correct")).one()
    assert event.detail["previous_action"] == "accepted"
    assert event.detail["correction_reason"] == "mis_click"


def test_after_a_correction_no_second_final_decision_can_be_added(client, counsellor, case):
    first = decide(client, counsellor, case.request_id, offer_id=case.offer_id, **ACCEPT)
    _correct(client, counsellor, first.get_json()["id"])

    response = decide(client, counsellor, case.request_id, offer_id=case.offer_id, **ACCEPT)

    assert response.status_code == 409


def test_a_replaced_decision_cannot_be_corrected_again(client, counsellor, case):
    first = decide(client, counsellor, case.request_id, offer_id=case.offer_id, **ACCEPT)
    _correct(client, counsellor, first.get_json()["id"])

    response = _correct(client, counsellor, first.get_json()["id"])

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "decision_superseded"


def test_correction_period_is_over_after_the_set_days(app, client, counsellor, case):
    first = decide(client, counsellor, case.request_id, offer_id=case.offer_id, **ACCEPT)
    backdate(app, case.request_id, 15)  # DECISION_CORRECTION_DAYS defaults to 14

    response = _correct(client, counsellor, first.get_json()["id"])

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "correction_period_over"


def test_a_correction_needs_a_reason_code(client, counsellor, case):
    first = decide(client, counsellor, case.request_id, offer_id=case.offer_id, **ACCEPT)

    response = _correct(client, counsellor, first.get_json()["id"], **ACCEPT)

    assert response.status_code == 422


def test_another_caseload_cannot_correct(client, factory, counsellor, case):
    first = decide(client, counsellor, case.request_id, offer_id=case.offer_id, **ACCEPT)

    response = _correct(client, factory.actor("counsellor"), first.get_json()["id"])

    assert response.status_code == 404


def test_the_database_refuses_a_second_current_final_decision(app, case, counsellor):
    from sqlalchemy.exc import IntegrityError

    def final() -> Decision:
        return Decision(
            request_id=case.request_id,
            profile_id=case.profile_id,
            action="no_measure",
            reason_code="job_offer",
        )

    with Session(get_engine(app)) as s:
        s.add(final())
        s.commit()
        s.add(final())
        with pytest.raises(IntegrityError):
            s.commit()


@pytest.mark.postgres
def test_twenty_parallel_decisions_yield_exactly_one(postgres_app):
    from service.core.db import get_engine as engine_of
    from tests.conftest import _empty_tables
    from tests.factories import Factory

    _empty_tables(engine_of(postgres_app))
    factory = Factory(postgres_app)
    actor = factory.actor("counsellor")
    case = new_case(postgres_app, postgres_app.test_client(), factory, actor)
    server = make_server("127.0.0.1", 0, postgres_app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{server.server_port}/api/v1/recommendations/{case.request_id}/decision"
    body = json.dumps({"offer_id": case.offer_id, **ACCEPT}).encode()
    start = threading.Barrier(20)
    statuses: list[int] = []

    def post() -> None:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", **actor.headers},
        )
        start.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                statuses.append(response.status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)

    threads = [threading.Thread(target=post) for _ in range(20)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        server.shutdown()
        serving.join(timeout=10)

    assert sorted(statuses) == [201] + [409] * 19
    with Session(engine_of(postgres_app)) as s:
        count = s.exec(
            select(func.count())
            .select_from(Decision)
            .where(col(Decision.request_id) == case.request_id)
        ).one()
    assert count == 1


def test_correction_days_come_from_the_settings():
    from service.core.config import load_settings

    assert load_settings({"DECISION_CORRECTION_DAYS": "3"}).decision_correction_days == 3
    assert timedelta(days=load_settings({}).decision_correction_days) == timedelta(days=14)
