"""Model mode: the champion ranks, the kill switch overrides it, stored requests replay exactly."""

from __future__ import annotations

import warnings
from datetime import date, timedelta

import pytest
from sklearn.exceptions import ConvergenceWarning
from sqlmodel import Session

from models.enums import OfferStatus
from models.offer import Offer
from models.recommendation import Recommendation
from service.core.db import get_engine
from service.demo.seed import world_offer_fields
from service.ranking import model_store, registry
from service.recommendations.requests import replay
from tests.factories import profile_payload
from training.ranking.explain import MAX_REASONS
from training.ranking.ranker import EffectRanker
from training.release.artifact import ranker_to_bytes
from training.release.registry import library_versions
from training.synthetic import generate_world

# Slow lane: trains a ranker; `make unit` leaves it out, `make test` runs it.
# One worker fits the module's ranker once for all of its tests.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("recommendations_model")]


@pytest.fixture(scope="module")
def world():
    return generate_world(n_people=1000, n_offers=100, n_episodes=8_000, seed=3)


@pytest.fixture(scope="module")
def ranker(world):
    # Convergence of the nuisance models is the ranker tests' concern, not this module's.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return EffectRanker().fit(world.episodes, world.offers)


@pytest.fixture
def champion(app, ranker):
    with Session(get_engine(app)) as s:
        row = registry.register_version(
            s,
            artifact=ranker_to_bytes(ranker),
            library_versions=library_versions(),
            metrics={},
            gates={"passed": True},
            version="2026-11-25.1",
        )
        version = row.version
        registry.promote(s, version)
        s.commit()
    model_store.reset_cache()
    yield version
    model_store.reset_cache()


@pytest.fixture
def offers(app, factory, world):
    provider = factory.provider()
    soon = date.today() + timedelta(days=30)
    with Session(get_engine(app), expire_on_commit=False) as s:
        for row in world.offers.head(60).itertuples(index=False):
            s.add(
                Offer(
                    **world_offer_fields(row),
                    external_ref=f"W-{row.offer_id}",
                    start_dates=[soon],
                    seats_total=20,
                    seats_free=10,
                    status=OfferStatus.APPROVED,
                    provider_id=provider.id,
                )
            )
        s.commit()


@pytest.fixture
def profile_id(client, counsellor):
    payload = profile_payload(
        german_level="B2",
        vocational_qualification="none",
        hours_available=40,
        care_duties=False,
        max_commute_minutes=90,
    )
    return client.post("/api/v1/profiles", json=payload, headers=counsellor.headers).get_json()[
        "id"
    ]


def _recommend(client, counsellor, profile_id):
    response = client.post(
        f"/api/v1/profiles/{profile_id}/recommendations?k=5", headers=counsellor.headers
    )
    assert response.status_code == 201
    return response.get_json()


def test_champion_ranks_by_estimated_gain(client, counsellor, champion, offers, profile_id):
    body = _recommend(client, counsellor, profile_id)

    assert body["mode"] == "model"
    assert body["model_version"] == champion
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert all(item["effect_pp"] > 0 for item in body["items"])
    for item in body["items"]:
        low, high = item["effect_interval_pp"]
        assert low <= item["effect_pp"] <= high
        assert item["p_with"] == pytest.approx(
            item["p_without"] + item["effect_pp"] / 100, abs=1e-3
        )  # effect_pp is rounded to 0.1 pp


def test_kill_switch_forces_rules_mode(client, counsellor, champion, offers, profile_id, app):
    with Session(get_engine(app)) as s:
        registry.set_ranking_mode(s, "rules")
        s.commit()

    body = _recommend(client, counsellor, profile_id)

    assert body["mode"] == "rules"
    assert body["model_version"] is None


def test_replaying_a_stored_request_gives_identical_scores(
    client, counsellor, champion, offers, profile_id, app
):
    body = _recommend(client, counsellor, profile_id)

    with Session(get_engine(app)) as s:
        rec = s.get(Recommendation, body["request_id"])
        replayed = replay(s, rec)

    by_offer = {item["offer_id"]: item for item in replayed}
    for item in body["items"]:
        again = by_offer[item["offer_id"]]
        assert (again["score"], again["p_without"], again["p_with"]) == (
            item["score"],
            item["p_without"],
            item["p_with"],
        )
        assert again["reasons"] == item["reasons"]  # the main drivers of the estimate included


def test_model_reasons_name_the_main_drivers(client, counsellor, champion, offers, profile_id):
    items = _recommend(client, counsellor, profile_id)["items"]

    drivers = [
        r for item in items for r in item["reasons"] if r.startswith("Geschätzter Nutzen vor allem")
    ]
    assert drivers
    assert all(len(item["reasons"]) <= MAX_REASONS for item in items)


def test_same_input_gives_same_output(client, counsellor, champion, offers, profile_id):
    first = _recommend(client, counsellor, profile_id)["items"]
    second = _recommend(client, counsellor, profile_id)["items"]

    assert first == second
