"""Recommendation items carry the provider's contact and the next start date, and replay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlmodel import Session

from models.recommendation import Recommendation
from service.core.clock import local_today
from service.core.db import get_engine
from service.recommendations.requests import replay

TODAY = local_today()


@pytest.fixture
def provider(factory):
    return factory.provider(
        name="Bildungswerk Krefeld-Süd e. V.",
        street="Kölner Straße 120",
        postcode="47805",
        phone="02151 123450",
        email="kursberatung@bildungswerk-sued.example",
        website="https://bildungswerk-sued.example",
        contact_role="Kursberatung",
    )


@pytest.fixture
def items(factory, counsellor, provider):
    starts = [TODAY - timedelta(days=30), TODAY + timedelta(days=40)]
    dated = factory.offer(provider, title="Mit Terminen", start_dates=starts)
    rolling = factory.offer(provider, title="Laufend", start_dates=[], rolling_entry=True)
    profile = factory.profile(counsellor, german_level="B1")
    body = factory.recommendation(counsellor, profile["id"], "?k=5")
    by_offer = {item["offer_id"]: item for item in body["items"]}
    return body["request_id"], by_offer[dated.id], by_offer[rolling.id]


def test_item_names_the_provider_and_how_to_reach_it(items):
    _, dated, _ = items

    assert dated["provider"] == {
        "name": "Bildungswerk Krefeld-Süd e. V.",
        "street": "Kölner Straße 120",
        "postcode": "47805",
        "city": "Krefeld",
        "phone": "02151 123450",
        "email": "kursberatung@bildungswerk-sued.example",
        "website": "https://bildungswerk-sued.example",
    }


def test_next_start_is_the_first_start_from_today(items):
    _, dated, _ = items

    assert dated["next_start"] == (TODAY + timedelta(days=40)).isoformat()


def test_rolling_entry_without_dates_is_recommended_without_next_start(items):
    _, _, rolling = items

    assert rolling["next_start"] is None


def test_replay_months_later_gives_the_same_items(app, items):
    request_id = items[0]
    with Session(get_engine(app)) as s:
        rec = s.get(Recommendation, request_id)
        stored = rec.items
        rec.created_at = datetime.now(UTC) + timedelta(days=90)  # past every start date

        replayed = replay(s, rec)

    assert replayed == stored


def test_today_is_krefeld_s_date_not_the_server_s():
    late_evening_utc = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)

    assert local_today(late_evening_utc) == date(2026, 12, 2)


def test_replay_refuses_a_snapshot_that_is_not_a_record(app, items):
    """A snapshot is validated as it is read: a count that is not a number is not replayed."""
    request_id = items[0]
    with Session(get_engine(app)) as s:
        rec = s.get(Recommendation, request_id)
        rec.input_snapshot = rec.input_snapshot | {"hours_available": "viel"}
        with pytest.raises(ValidationError) as caught:
            replay(s, rec)

    assert [e["loc"] for e in caught.value.errors()] == [("hours_available",)]
