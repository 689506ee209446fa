"""Oversight that holds: a model that failed its gates is promoted only as an explicit,
reasoned exception, its serving is visible (health flag), and every registry change is
audited with its reason."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models.audit import AuditEvent
from service.core.db import get_engine
from service.ranking import registry
from tests.factories import Factory

FAILED_GATES = {
    "passed": False,
    "reference": "rules",
    "results": [
        {"name": "policy_value", "passed": True, "value": 1.0, "threshold": -2.0, "message": "ok"},
        {
            "name": "group_women",
            "passed": False,
            "value": -6.0,
            "threshold": -2.0,
            "message": "Fokusgruppe Frauen: Kandidat −6,00 pp gegenüber der Referenz",
        },
    ],
}
REASON = "Fachlich geprüft: Gruppe Frauen knapp unter der Grenze, befristet bis Juni."


def _register(app, name, *, gates, champion=False):
    Factory(app).model_version(name, gates=gates, champion=champion)


def _audit(app, action, object_id=None):
    query = select(AuditEvent).where(AuditEvent.action == action)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    with Session(get_engine(app)) as s:
        return s.exec(query).all()


pytestmark = pytest.mark.usefixtures("plain_artifacts")


@pytest.fixture
def failed(app):
    _register(app, "2026-01-01.1", gates={"passed": True}, champion=True)
    _register(app, "2026-01-02.1", gates=FAILED_GATES)
    return "2026-01-02.1"


def _promote(client, admin, version, body=None):
    return client.post(f"/api/v1/models/{version}/promote", json=body, headers=admin.headers)


def test_promoting_a_failed_model_without_override_is_409_naming_the_gates(client, admin, failed):
    response = _promote(client, admin, failed)

    error = response.get_json()["error"]
    assert response.status_code == 409
    assert error["code"] == "gates_failed"
    assert [d["code"] for d in error["details"]] == ["group_women"]
    assert "Fokusgruppe Frauen" in error["details"][0]["message"]
    assert "Fokusgruppe Frauen" in error["message"]


def test_reason_alone_does_not_override_failed_gates(client, admin, failed):
    response = _promote(client, admin, failed, {"reason": REASON})

    assert response.status_code == 409


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_override_without_written_reason_is_422(client, admin, failed, reason):
    response = _promote(client, admin, failed, {"override_gates": True, "reason": reason})

    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["field"] == "reason"
    with Session(get_engine(client.application)) as s:
        assert registry.current_aliases(s)["champion"] != failed


def test_override_with_reason_promotes_and_audits_reason_and_gates(client, app, admin, failed):
    response = _promote(client, admin, failed, {"override_gates": True, "reason": REASON})

    assert response.status_code == 200
    assert response.get_json()["aliases"]["champion"] == failed
    (event,) = _audit(app, "model.promote", failed)
    assert event.actor_id == admin.user.id
    assert event.detail["reason"] == REASON
    assert event.detail["override_gates"] is True
    assert event.detail["failed_gates"] == ["group_women"]


def test_version_without_gate_results_counts_as_not_passed(client, app, admin):
    _register(app, "2026-01-03.1", gates={})

    response = _promote(client, admin, "2026-01-03.1")

    assert response.status_code == 409
    assert response.get_json()["error"]["details"][0]["code"] == "gates_missing"


def test_passing_model_is_promoted_without_body_and_with_a_reason(client, app, admin):
    _register(app, "2026-01-01.1", gates={"passed": True})
    _register(app, "2026-01-02.1", gates={"passed": True})

    bare = client.post("/api/v1/models/2026-01-01.1/promote", headers=admin.headers)
    reasoned = _promote(client, admin, "2026-01-02.1", {"reason": "Neues Quartal"})

    assert (bare.status_code, reasoned.status_code) == (200, 200)
    reasons = [e.detail["reason"] for e in _audit(app, "model.promote")]
    assert sorted(reasons, key=str) == sorted([None, "Neues Quartal"], key=str)
    assert all(e.detail["override_gates"] is False for e in _audit(app, "model.promote"))


def test_health_reports_gates_failed_while_overridden_model_serves(client, admin, failed):
    _promote(client, admin, failed, {"override_gates": True, "reason": REASON})

    ranking = client.get("/api/v1/health").get_json()["ranking"]

    assert ranking["model_version"] == failed
    assert ranking["gates_passed"] is False


def test_health_reports_gates_passed_for_passing_champion(client, app):
    _register(app, "2026-01-01.1", gates={"passed": True}, champion=True)

    ranking = client.get("/api/v1/health").get_json()["ranking"]

    assert ranking["gates_passed"] is True


def test_health_reports_no_gate_verdict_in_rules_mode(client, admin, failed):
    _promote(client, admin, failed, {"override_gates": True, "reason": REASON})
    client.put("/api/v1/settings/ranking", json={"mode": "rules"}, headers=admin.headers)

    ranking = client.get("/api/v1/health").get_json()["ranking"]

    assert ranking["mode"] == "rules"
    assert ranking["gates_passed"] is None


def test_rollback_reason_is_audited(client, app, admin, failed):
    _promote(client, admin, failed, {"override_gates": True, "reason": REASON})

    response = client.post(
        "/api/v1/models/rollback", json={"reason": "Beschwerden"}, headers=admin.headers
    )

    assert response.status_code == 200
    assert response.get_json()["aliases"]["champion"] == "2026-01-01.1"
    (event,) = _audit(app, "model.rollback")
    assert event.detail["reason"] == "Beschwerden"


def test_kill_switch_reason_is_audited(client, app, admin):
    response = client.put(
        "/api/v1/settings/ranking",
        json={"mode": "rules", "reason": "Auffällige Empfehlungen"},
        headers=admin.headers,
    )

    assert response.status_code == 200
    (event,) = _audit(app, "settings.ranking_mode")
    assert event.detail["reason"] == "Auffällige Empfehlungen"


def test_cli_refuses_failed_model_and_names_the_gates(app, failed):
    result = app.test_cli_runner().invoke(args=["models", "promote", failed])

    assert result.exit_code != 0
    assert "Fokusgruppe Frauen" in result.output
    assert "--override-gates" in result.output


def test_cli_override_needs_a_reason(app, failed):
    result = app.test_cli_runner().invoke(args=["models", "promote", failed, "--override-gates"])

    assert result.exit_code != 0
    assert "Begründung" in result.output


def test_cli_override_with_reason_promotes_and_audits(app, failed):
    result = app.test_cli_runner().invoke(
        args=["models", "promote", failed, "--override-gates", "--reason", REASON]
    )

    assert result.exit_code == 0, result.output
    (event,) = _audit(app, "model.promote", failed)
    assert (event.detail["reason"], event.detail["override_gates"]) == (REASON, True)


def test_cli_rollback_and_mode_take_a_reason(app, failed):
    runner = app.test_cli_runner()
    runner.invoke(args=["models", "promote", failed, "--override-gates", "--reason", REASON])

    rolled = runner.invoke(args=["models", "rollback", "--reason", "Beschwerden"])
    mode = runner.invoke(args=["models", "mode", "rules", "--reason", "Not-Aus-Übung"])

    assert (rolled.exit_code, mode.exit_code) == (0, 0)
    assert _audit(app, "model.rollback")[0].detail["reason"] == "Beschwerden"
    assert _audit(app, "settings.ranking_mode")[0].detail["reason"] == "Not-Aus-Übung"
