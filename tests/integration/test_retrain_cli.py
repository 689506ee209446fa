"""``qualimatch retrain``: insufficient data, exclusive lock, end-to-end registration."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session

from service.core.db import get_engine
from service.ranking import registry
from service.ranking.retrain_lock import RetrainLockedError, retrain_lock


def test_retrain_without_data_fails_with_clear_message(app):
    result = app.test_cli_runner().invoke(args=["retrain", "--source", "db"])

    assert result.exit_code == 1
    assert "Zu wenige Daten" in result.output
    assert "Insufficient data" not in result.output


@pytest.mark.postgres
def test_two_concurrent_retrains_exactly_one_runs(postgres_app):
    engine = get_engine(postgres_app)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def contender() -> None:
        barrier.wait()
        try:
            with retrain_lock(engine):
                outcomes.append("ran")
                barrier_hold.wait(timeout=5)
        except RetrainLockedError:
            outcomes.append("locked")
            barrier_hold.wait(timeout=5)

    barrier_hold = threading.Barrier(2)
    threads = [threading.Thread(target=contender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)

    assert sorted(outcomes) == ["locked", "ran"]


@pytest.mark.postgres
def test_cli_reports_lock_held_by_another_retrain(postgres_app):
    with retrain_lock(get_engine(postgres_app)):
        result = postgres_app.test_cli_runner().invoke(args=["retrain", "--source", "db"])

    assert result.exit_code == 3
    assert "bereits" in result.output


def test_sqlite_file_lock_is_exclusive(sqlite_only_app):
    engine = get_engine(sqlite_only_app)

    with retrain_lock(engine), pytest.raises(RetrainLockedError), retrain_lock(engine):
        pass


def test_retrain_on_synthetic_history_registers_a_candidate(sqlite_only_app, monkeypatch):
    monkeypatch.setenv("RETRAIN_GATE_MIN_GROUP_SIZE", "100000")
    result = sqlite_only_app.test_cli_runner().invoke(
        args=["retrain", "--source", "synthetic", "--episodes", "2500", "--seed", "3"]
    )

    assert result.exit_code in (0, 2), result.output
    with Session(get_engine(sqlite_only_app)) as s:
        aliases = registry.current_aliases(s)
        version = registry.get_version(s, aliases["candidate"])
    assert version.model_card.startswith("# Modellkarte")
    assert set(version.plots) == {"calibration", "qini", "groups", "feature_importance"}
    assert "feature_distributions" in version.metrics
    assert version.gates["results"]
    names = {r["name"] for r in version.gates["results"]}
    assert {"policy_value", "effect_calibration", "no_recommendation_share"} <= names
    calibration = next(r for r in version.gates["results"] if r["name"] == "effect_calibration")
    assert "Angezeigter Nutzen" in calibration["message"]
