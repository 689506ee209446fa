"""Every ``qualimatch retrain --source`` on an empty, a freshly seeded demo and a production
database either trains or exits non-zero with a German message — never a traceback."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from models.enums import Role
from models.recommendation import Decision, Outcome, Recommendation
from service import create_app
from service.core.db import get_engine
from service.demo.seed import seed_demo
from service.ranking import registry
from tests.conftest import _empty_tables, _prepared_app
from tests.factories import Factory

SMALL_SYNTHETIC = ["--episodes", "2500", "--seed", "3"]


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """A small demo database seeded once: 1,000 profiles with one past case each."""
    app = _prepared_app(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}")
    factory = Factory(app)
    factory.actor(Role.COUNSELLOR)
    factory.actor(Role.COUNSELLOR)
    with Session(get_engine(app)) as session:
        seed_demo(session, n_profiles=1000, n_offers=80, n_history=3000, seed=7, pseudonym_key="k")
    return app


@pytest.fixture(autouse=True)
def _gates_not_needed(monkeypatch):
    monkeypatch.setenv("RETRAIN_GATE_MIN_GROUP_SIZE", "100000")


def _retrain(app, *args):
    return app.test_cli_runner().invoke(args=["retrain", *args])


def _latest_candidate(app):
    with Session(get_engine(app)) as s:
        return registry.get_version(s, registry.current_aliases(s)["candidate"])


def test_seeding_fills_the_real_tables_marked_synthetic(demo_app):
    with Session(get_engine(demo_app)) as s:
        counts = {
            model.__name__: s.exec(
                select(func.count()).select_from(model).where(model.synthetic)
            ).one()
            for model in (Recommendation, Decision, Outcome)
        }
    assert counts["Recommendation"] > 900
    assert counts["Recommendation"] == counts["Decision"] == counts["Outcome"]


def test_source_db_on_the_seeded_demo_trains_on_the_database_alone(demo_app):
    result = _retrain(demo_app, "--source", "db")

    assert result.exit_code in (0, 2), result.output
    version = _latest_candidate(demo_app)
    source = version.metrics["data_source"]
    assert source["source"] == "db"
    assert source["n_episodes"] == source["n_synthetic"] > 800
    assert "Herkunft: Datenbank" in version.model_card


def test_source_synthetic_on_the_seeded_demo_trains(demo_app):
    result = _retrain(demo_app, "--source", "synthetic", *SMALL_SYNTHETIC)

    assert result.exit_code in (0, 2), result.output
    assert _latest_candidate(demo_app).metrics["data_source"]["source"] == "synthetic"


def test_source_both_on_the_seeded_demo_trains(demo_app):
    result = _retrain(demo_app, "--source", "both", *SMALL_SYNTHETIC)

    assert result.exit_code in (0, 2), result.output
    source = _latest_candidate(demo_app).metrics["data_source"]
    assert source["n_episodes"] > 2500 > source["n_episodes"] - source["n_synthetic"]


def test_source_both_on_an_empty_database_trains_on_the_synthetic_part(sqlite_only_app):
    result = _retrain(sqlite_only_app, "--source", "both", *SMALL_SYNTHETIC)

    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output


def test_default_source_is_the_database_and_names_what_is_missing(sqlite_only_app):
    result = _retrain(sqlite_only_app)

    assert result.exit_code == 1
    assert "Zu wenige Daten" in result.output
    assert "Ergebnisse mit Beschäftigungsstand nach 6 Monaten" in result.output


@pytest.fixture
def production_app(postgres_app):
    """Production settings as production requires them: PostgreSQL, Redis, strong secrets."""
    engine = get_engine(postgres_app)
    _empty_tables(engine)
    production = create_app(
        {
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "QUALIMATCH_ENV": "production",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "SECRET_KEY": "retrain-test-secret-8f3kQ2xZ7pL9vB4nM6wR1tY5",
            "PSEUDONYM_KEY": "retrain-test-pseudonym-Hq7Zt2Lm9Xc4Vb8Nk3Jw6Ps1",
        }
    )
    yield production
    get_engine(production).dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("source", ["synthetic", "both"])
def test_production_refuses_synthetic_episodes(production_app, source):
    result = _retrain(production_app, "--source", source)

    assert result.exit_code == 1
    assert "in Produktion nicht zulässig" in result.output


@pytest.mark.postgres
def test_production_without_history_exits_with_a_german_message(production_app):
    result = _retrain(production_app)

    assert result.exit_code == 1
    assert "Zu wenige Daten" in result.output


def test_an_unexpected_error_is_a_message_not_a_traceback(sqlite_only_app, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("service.cli.retrain.load_champion", broken)

    result = _retrain(sqlite_only_app, "--source", "synthetic", *SMALL_SYNTHETIC)

    assert result.exit_code == 4
    assert "unerwarteter Fehler (RuntimeError)" in result.output
    assert "Traceback" not in result.output
