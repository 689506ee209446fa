"""Model registry API and CLI: listing, model cards, promotion, rollback, kill switch, audit."""

from __future__ import annotations

import base64

import pytest
from sqlmodel import Session, select

from models.audit import AuditEvent
from models.registry import RankerVersion
from service.core.db import get_engine
from service.ranking import model_store, registry
from tests.factories import Factory
from training.release.model_card import plot

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()


def _register(app, name, *, artifact=None, champion=False):
    return Factory(app).model_version(
        name,
        champion=champion,
        artifact=artifact or f"artifact-{name}".encode(),
        library_versions={"scikit-learn": "x"},
        metrics={"policy_value_pp": 30.0},
        model_card=f"# Modellkarte {name}\n",
        plots={"calibration": PNG},
    )


pytestmark = pytest.mark.usefixtures("plain_artifacts")


def test_list_shows_versions_and_aliases(client, app, coordinator):
    _register(app, "2026-01-01.1", champion=True)
    _register(app, "2026-01-02.1")

    body = client.get("/api/v1/models", headers=coordinator.headers).get_json()

    assert [v["version"] for v in body["items"]] == ["2026-01-02.1", "2026-01-01.1"]
    assert body["aliases"] == {"champion": "2026-01-01.1", "candidate": "2026-01-02.1"}
    assert body["items"][1]["aliases"] == ["champion"]
    assert "artifact" not in body["items"][0]


def test_counsellor_may_not_read_registry(client, counsellor):
    assert client.get("/api/v1/models", headers=counsellor.headers).status_code == 403


def test_detail_includes_model_card_and_markdown_download(client, app, coordinator):
    _register(app, "2026-01-01.1")

    detail = client.get("/api/v1/models/2026-01-01.1", headers=coordinator.headers)
    markdown = client.get("/api/v1/models/2026-01-01.1?format=md", headers=coordinator.headers)

    assert detail.get_json()["model_card"].startswith("# Modellkarte")
    assert detail.get_json()["plots"] == ["calibration"]
    assert markdown.mimetype == "text/markdown"
    assert "attachment" in markdown.headers["Content-Disposition"]


def test_markdown_download_embeds_plots_as_data_uris(client, app, coordinator):
    with Session(get_engine(app)) as s:
        registry.register_version(
            s,
            artifact=b"x",
            library_versions={},
            metrics={},
            gates={"passed": True},
            model_card=f"# Modellkarte\n\n{plot('calibration')}\n",
            plots={"calibration": PNG},
            version="2026-01-01.1",
        )
        s.commit()

    text = client.get("/api/v1/models/2026-01-01.1?format=md", headers=coordinator.headers).text

    assert f"](data:image/png;base64,{PNG})" in text
    assert "](plots/" not in text


def test_plot_is_served_as_png(client, app, coordinator):
    _register(app, "2026-01-01.1")

    response = client.get(
        "/api/v1/models/2026-01-01.1/plots/calibration.png", headers=coordinator.headers
    )
    missing = client.get("/api/v1/models/2026-01-01.1/plots/qini.png", headers=coordinator.headers)

    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")
    assert missing.status_code == 404


def test_unknown_version_is_404(client, coordinator):
    assert client.get("/api/v1/models/1999-01-01.1", headers=coordinator.headers).status_code == 404


def test_promote_moves_champion_to_previous_and_is_audited(client, app, admin):
    _register(app, "2026-01-01.1", champion=True)
    _register(app, "2026-01-02.1")

    response = client.post("/api/v1/models/2026-01-02.1/promote", headers=admin.headers)

    assert response.status_code == 200
    assert response.get_json()["aliases"] == {
        "champion": "2026-01-02.1",
        "previous": "2026-01-01.1",
    }
    with Session(get_engine(app)) as s:
        event = s.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "model.promote")
            .where(AuditEvent.actor_id == admin.user.id)
        ).one()
    assert event.object_id == "2026-01-02.1"


def test_coordinator_may_not_promote(client, app, coordinator):
    _register(app, "2026-01-01.1")

    response = client.post("/api/v1/models/2026-01-01.1/promote", headers=coordinator.headers)

    assert response.status_code == 403


def test_promoting_the_champion_again_conflicts(client, app, admin):
    _register(app, "2026-01-01.1", champion=True)

    response = client.post("/api/v1/models/2026-01-01.1/promote", headers=admin.headers)

    assert response.status_code == 409


def test_rollback_swaps_champion_and_previous(client, app, admin):
    _register(app, "2026-01-01.1", champion=True)
    _register(app, "2026-01-02.1", champion=True)

    first = client.post("/api/v1/models/rollback", headers=admin.headers).get_json()
    second = client.post("/api/v1/models/rollback", headers=admin.headers).get_json()

    assert first["aliases"]["champion"] == "2026-01-01.1"
    assert first["aliases"]["previous"] == "2026-01-02.1"
    assert second["aliases"]["champion"] == "2026-01-02.1"


def test_rollback_without_previous_conflicts(client, app, admin):
    _register(app, "2026-01-01.1", champion=True)

    response = client.post("/api/v1/models/rollback", headers=admin.headers)

    assert response.status_code == 409
    assert "vorherige" in response.get_json()["error"]["message"]


def test_kill_switch_switches_to_rules_and_is_audited(client, app, admin):
    _register(app, "2026-01-01.1", champion=True)

    put = client.put("/api/v1/settings/ranking", json={"mode": "rules"}, headers=admin.headers)
    health = client.get("/api/v1/health").get_json()

    assert put.status_code == 200
    assert put.get_json()["mode"] == "rules"
    assert health["ranking"]["mode"] == "rules"
    assert health["ranking"]["reason"] == "kill_switch"
    with Session(get_engine(app)) as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "settings.ranking_mode")).one()


def test_kill_switch_rejects_unknown_mode(client, admin):
    response = client.put("/api/v1/settings/ranking", json={"mode": "off"}, headers=admin.headers)

    assert response.status_code == 422


def test_kill_switch_is_admin_only(client, coordinator):
    assert client.get("/api/v1/settings/ranking", headers=coordinator.headers).status_code == 403


def test_health_reports_champion_in_use(client, app):
    _register(app, "2026-01-01.1", champion=True)

    ranking = client.get("/api/v1/health").get_json()["ranking"]

    assert ranking["mode"] == "model"
    assert ranking["model_version"] == "2026-01-01.1"


def test_tampered_artifact_is_refused_and_previous_model_keeps_serving(app):
    _register(app, "2026-01-01.1", champion=True)
    with Session(get_engine(app)) as s:
        first = model_store.get_active_model(s)
    _register(app, "2026-01-02.1", champion=True)
    with Session(get_engine(app)) as s:
        row = s.exec(select(RankerVersion).where(RankerVersion.version == "2026-01-02.1")).one()
        row.artifact = b"tampered"
        s.add(row)
        s.commit()
    model_store.reset_cache()
    with Session(get_engine(app)) as s:
        model_store.get_active_model(s)  # fresh worker: loads nothing usable
    assert first is not None
    assert first.version == "2026-01-01.1"


def test_worker_keeps_previous_model_when_new_champion_is_tampered(app, monkeypatch):
    _register(app, "2026-01-01.1", champion=True)
    with Session(get_engine(app)) as s:
        assert model_store.get_active_model(s).version == "2026-01-01.1"
    _register(app, "2026-01-02.1")
    with Session(get_engine(app)) as s:
        row = s.exec(select(RankerVersion).where(RankerVersion.version == "2026-01-02.1")).one()
        row.artifact = b"tampered"
        s.add(row)
        registry.promote(s, "2026-01-02.1")
        s.commit()
    _force_recheck(monkeypatch)

    with Session(get_engine(app)) as s:
        active = model_store.get_active_model(s)
        status = model_store.model_status(s)

    assert active.version == "2026-01-01.1"
    assert status["refused"] == "ArtifactRefusedError"


def _set_artifact(app, version, data):
    with Session(get_engine(app)) as s:
        row = s.exec(select(RankerVersion).where(RankerVersion.version == version)).one()
        row.artifact = data
        s.add(row)
        s.commit()


def test_repaired_champion_is_loaded_by_a_worker_that_refused_it(app, monkeypatch):
    _register(app, "2026-01-01.1", champion=True)
    _set_artifact(app, "2026-01-01.1", b"tampered")
    with Session(get_engine(app)) as s:
        refused = model_store.get_active_model(s)  # a fresh worker: nothing usable, rules
    _set_artifact(app, "2026-01-01.1", b"artifact-2026-01-01.1")  # restored, sha256 matches
    _force_recheck(monkeypatch)

    with Session(get_engine(app)) as s:
        repaired = model_store.get_active_model(s)
        status = model_store.model_status(s)

    assert refused is None
    assert repaired is not None
    assert repaired.version == "2026-01-01.1"
    assert status["refused"] is None


def test_undecodable_artifact_is_tried_once_until_its_bytes_change(app, monkeypatch):
    _register(app, "2026-01-01.1", artifact=b"untrusted", champion=True)
    calls = []

    def decode(data, sha):
        calls.append(data)
        if data == b"untrusted":
            raise model_store.ArtifactRefusedError("untrusted type")
        return data.decode()

    monkeypatch.setattr(model_store, "decode_artifact", decode)
    for _ in range(3):
        _force_recheck(monkeypatch)
        with Session(get_engine(app)) as s:
            model_store.get_active_model(s)

    assert calls == [b"untrusted"]


def test_health_says_rules_when_no_model_can_be_loaded(client, app):
    _register(app, "2026-01-01.1", artifact=b"x")
    with Session(get_engine(app)) as s:
        s.exec(select(RankerVersion)).one().artifact = b"y"
        s.commit()
    with Session(get_engine(app)) as s:
        registry.promote(s, "2026-01-01.1")
        s.commit()

    ranking = client.get("/api/v1/health").get_json()["ranking"]

    assert ranking["mode"] == "rules"
    assert ranking["reason"] == "model_unavailable"


def test_cli_promote_and_rollback(app):
    _register(app, "2026-01-01.1", champion=True)
    _register(app, "2026-01-02.1")
    runner = app.test_cli_runner()

    promoted = runner.invoke(args=["models", "promote", "2026-01-02.1"])
    listed = runner.invoke(args=["models", "list"])
    rolled = runner.invoke(args=["models", "rollback"])

    assert promoted.exit_code == 0, promoted.output
    assert "2026-01-02.1" in listed.output
    assert "champion" in listed.output
    assert "Champion: 2026-01-01.1" in rolled.output


def test_cli_promote_unknown_version_fails(app):
    result = app.test_cli_runner().invoke(args=["models", "promote", "nope"])

    assert result.exit_code != 0
    assert "nope" in result.output


def _force_recheck(monkeypatch):
    for state in model_store._states.values():
        state.checked_at = float("-inf")
