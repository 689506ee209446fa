"""Fairness monitoring: per-group rates, perturbation, alerts, drift against the champion."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session

from models.enums import DecisionAction, DecisionReason, RankingMode
from models.recommendation import Decision, Recommendation
from service.core.db import get_engine
from service.ranking import registry
from service.stats.cellkey import MAX_DEVIATION
from tests.factories import profile_payload

WOMAN = {
    "gender": "f",
    "age_band": "30-34",
    "citizenship": "german",
    "migration_background": False,
    "unemployment_months": 3,
}
MAN = {
    "gender": "m",
    "age_band": "40-44",
    "citizenship": "german",
    "migration_background": False,
    "unemployment_months": 3,
}


def _profile_id(client, counsellor) -> int:
    response = client.post("/api/v1/profiles", json=profile_payload(), headers=counsellor.headers)
    return int(response.get_json()["id"])


def _recommend(session, profile_id, person, *, effect, action=DecisionAction.ACCEPTED):
    request_id = str(uuid.uuid4())
    session.add(
        Recommendation(
            request_id=request_id,
            profile_id=profile_id,
            mode=RankingMode.MODEL,
            input_snapshot=dict(person),
            items=[{"rank": 1, "offer_id": 1, "effect_pp": effect}],
        )
    )
    session.flush()
    session.add(
        Decision(
            request_id=request_id,
            profile_id=profile_id,
            action=action,
            reason_code=DecisionReason.FITS_GOALS,
        )
    )


def test_rates_and_gain_per_group(client, app, counsellor, coordinator):
    pid = _profile_id(client, counsellor)
    with Session(get_engine(app)) as s:
        for _ in range(10):
            _recommend(s, pid, WOMAN, effect=2.0, action=DecisionAction.OVERRIDE)
        for _ in range(10):
            _recommend(s, pid, MAN, effect=10.0)
        s.commit()

    body = client.get("/api/v1/stats/fairness", headers=coordinator.headers).get_json()

    women = body["groups"]["women"]
    assert abs(women["requests"] - 10) <= MAX_DEVIATION
    assert women["override_rate"] == 1.0
    assert women["mean_estimated_gain_pp"] == pytest.approx(2.0)
    assert body["groups"]["not_women"]["acceptance_rate"] == 1.0
    kinds = {(a["group"], a["kind"]) for a in body["alerts"]}
    assert ("women", "gain_lag") in kinds


def test_small_groups_are_suppressed(client, app, counsellor, coordinator):
    pid = _profile_id(client, counsellor)
    with Session(get_engine(app)) as s:
        _recommend(s, pid, WOMAN, effect=5.0)
        s.commit()

    body = client.get("/api/v1/stats/fairness", headers=coordinator.headers).get_json()

    assert body["groups"]["women"] == {"requests": None, "suppressed": True}


def test_rubber_stamping_alert(client, app, counsellor, coordinator):
    pid = _profile_id(client, counsellor)
    with Session(get_engine(app)) as s:
        for _ in range(25):
            _recommend(s, pid, MAN, effect=5.0)
        s.commit()

    body = client.get("/api/v1/stats/fairness", headers=coordinator.headers).get_json()

    assert any(a["kind"] == "rubber_stamping" and a["group"] == "overall" for a in body["alerts"])


def test_drift_against_champion_training_data(client, app, counsellor, coordinator):
    for _ in range(10):
        _profile_id(client, counsellor)
    with Session(get_engine(app)) as s:
        registry.register_version(
            s,
            artifact=b"a",
            library_versions={},
            gates={"passed": True},
            version="2026-01-01.1",
            metrics={"feature_distributions": {"gender": {"m": 1.0}}},
        )
        registry.promote(s, "2026-01-01.1")
        s.commit()

    drift = client.get("/api/v1/stats/fairness", headers=coordinator.headers).get_json()["drift"]

    assert drift["model_version"] == "2026-01-01.1"
    assert drift["features"]["gender"]["level"] == "major"


def test_counsellor_may_not_read_fairness(client, counsellor):
    assert client.get("/api/v1/stats/fairness", headers=counsellor.headers).status_code == 403


def test_fairness_report_describes_the_disclosure_control(client, coordinator):
    body = client.get("/api/v1/stats/fairness", headers=coordinator.headers).get_json()

    assert body["disclosure_control"]["method"] == "cell_key"
