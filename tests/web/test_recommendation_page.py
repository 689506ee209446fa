"""Recommendation page: the accepted offer stands out, outcomes take German dates, decisions
can be corrected."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models.enums import Role
from models.recommendation import Decision, Outcome
from models.user import User
from service.accounts import issue_token
from service.core.db import get_engine
from tests.api.loop_helpers import backdate, days_ago, decide, new_case
from tests.factories import Actor, Factory
from tests.web.conftest import csrf_token, sign_in


@pytest.fixture
def signed_in(app, client, make_user):
    name = make_user(Role.COUNSELLOR)
    with Session(get_engine(app), expire_on_commit=False) as s:
        user = s.exec(select(User).where(User.username == name)).one()
        token, _ = issue_token(s, user, ttl_days=1, label="test")
        s.commit()
    sign_in(client, name)
    actor = Actor(user=user, token=token)
    return actor, new_case(app, client, Factory(app), actor)


def _page(case):
    return f"/beratung/empfehlungen/{case.request_id}"


def _accept(client, actor, case):
    response = decide(
        client,
        actor,
        case.request_id,
        action="accepted",
        offer_id=case.offer_id,
        reason_code="fits_goals",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_the_accepted_offer_is_highlighted(client, signed_in):
    actor, case = signed_in
    _accept(client, actor, case)

    html = client.get(_page(case)).get_data(as_text=True)

    assert 'class="card offer offer-chosen"' in html
    assert 'class="badge badge-chosen">angenommen' in html


def test_the_outcome_form_takes_german_dates(app, client, signed_in):
    actor, case = signed_in
    _accept(client, actor, case)
    backdate(app, case.request_id, 400)
    start, end = days_ago(390), days_ago(250)

    client.post(
        f"{_page(case)}/ergebnis",
        data={
            "csrf_token": csrf_token(client, _page(case)),
            "offer_id": str(case.offer_id),
            "status": "completed",
            "started_on": f"{start:%d.%m.%Y}",
            "ended_on": f"{end:%d.%m.%Y}",
            "employed_6m": "yes",
            "employed_12m": "",
        },
    )

    with Session(get_engine(app)) as s:
        outcome = s.exec(select(Outcome)).one()
    assert (outcome.started_on, outcome.ended_on, outcome.employed_6m) == (start, end, True)


def test_a_decision_is_corrected_from_the_page(app, client, signed_in):
    actor, case = signed_in
    first = _accept(client, actor, case)

    client.post(
        f"/beratung/entscheidungen/{first['id']}/korrektur",
        data={
            "csrf_token": csrf_token(client, _page(case)),
            "action": "no_measure",
            "offer_id": "",
            "reason_code": "job_offer",
            "correction_reason": "mis_click",
        },
    )

    with Session(get_engine(app)) as s:
        rows = s.exec(select(Decision).order_by(Decision.id)).all()  # type: ignore[arg-type]
    assert [(d.action, d.superseded_at is None) for d in rows] == [
        ("accepted", False),
        ("no_measure", True),
    ]
