"""Catalogue search for counsellors: each filter and order of ``GET /api/v1/offers``, on both
databases, over a small catalogue of approved offers (plus a draft nobody may find)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from models.enums import OfferStatus, Role
from models.offer import EXAMPLE_OFFER, Offer, OfferBase
from service.core.clock import local_today
from service.core.db import get_engine
from service.offers.fields import storage_values


def _in(days: int) -> str:
    return (local_today() + timedelta(days=days)).isoformat()


CATALOGUE: dict[str, dict[str, Any]] = {
    "A": {
        "title": "Staplerschein kompakt",
        "description": "Flurförderzeuge sicher bedienen, Prüfung auf Deutsch.",
        "measure_type": "ANPASSUNGSQUALIFIZIERUNG",
        "target_occupations": ["51312"],
        "district": "Süd",
        "part_time_possible": False,
        "funding": ["avgs"],
        "min_german_level": "A1",
        "duration_weeks": 4,
        "start_dates": [_in(20)],
        "end_date": None,
    },
    "B": {
        "title": "Teilqualifizierung Pflegehelfer/in – Modul 1",
        "start_dates": [_in(-10), _in(100)],
        "end_date": None,
    },
    "C": {
        "title": "Online-Kurs Deutsch für Ärztinnen und Ärzte",
        "description": "Fachsprache in der Praxis.",
        "measure_type": "BERUFSSPRACHKURS",
        "target_occupations": ["81102"],
        "district": "Uerdingen",
        "format": "online",
        "part_time_possible": False,
        "childcare": True,
        "funding": ["free"],
        "min_german_level": "B1",
        "duration_weeks": 20,
        "start_dates": [_in(200)],
        "end_date": None,
    },
    "R": {
        "title": "Sprachcafé Beruf",
        "measure_type": "AKTIVIERUNG_COACHING",
        "target_occupations": [],
        "district": "Fischeln",
        "duration_weeks": 8,
        "rolling_entry": True,
        "start_dates": [],
        "end_date": None,
    },
    "E": {
        "title": "Bewerbungstraining kompakt",
        "measure_type": "AKTIVIERUNG_COACHING",
        "target_occupations": [],
        "district": "Hüls",
        "part_time_possible": False,
        "min_german_level": "A0",
        "funding": ["avgs"],
        "duration_weeks": 4,
        "start_dates": [_in(-30)],
        "end_date": None,
    },
}


def _offer(provider_id: int, ref: str, status: OfferStatus, **values: Any) -> Offer:
    content = OfferBase.model_validate(EXAMPLE_OFFER | {"external_ref": ref} | values)
    return Offer(**storage_values(content), provider_id=provider_id, status=status)


@pytest.fixture
def catalogue(app, factory):
    """Rows written directly (the review workflow has its own tests), in this order of ids."""
    provider = factory.provider()
    with Session(get_engine(app)) as session:
        for ref, values in CATALOGUE.items():
            session.add(_offer(provider.id, ref, OfferStatus.APPROVED, **values))
            session.flush()
        session.add(_offer(provider.id, "D", OfferStatus.DRAFT, title="Staplerschein Entwurf"))
        session.commit()
    return factory.actor(Role.COUNSELLOR)


def _refs(client, actor, query):
    response = client.get(f"/api/v1/offers?{query}", headers=actor.headers)
    assert response.status_code == 200, response.get_json()
    return [item["external_ref"] for item in response.get_json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=stapler", ["A"]),
        ("q=FLURFÖRDER", ["A"]),
        ("q=ärztin", ["C"]),
        ("q=pflege%20modul", ["B"]),
        ("q=kompakt", ["A", "E"]),
        ("q=100%25", []),
        ("kldb=51", ["A"]),
        ("kldb=821", ["B"]),
        ("kldb=81102", ["C"]),
        ("measure_type=BERUFSSPRACHKURS", ["C"]),
        ("district=Süd", ["A"]),
        ("format=online", ["C"]),
        ("part_time=true", ["B", "R"]),
        ("childcare=true", ["C"]),
        ("funding=avgs", ["A", "E"]),
        ("max_german_level=A1", ["A", "E"]),
        ("max_german_level=A2", ["A", "B", "R", "E"]),
        (f"starts_before={_in(30)}", ["A", "R"]),
        (f"starts_before={_in(150)}", ["A", "B", "R"]),
        (f"starts_before={_in(-1)}", []),
        ("funding=avgs&district=Hüls", ["E"]),
    ],
)
def test_filter(client, catalogue, query, expected):
    assert _refs(client, catalogue, query) == expected


def test_total_counts_all_matches_beyond_the_page(client, catalogue):
    body = client.get("/api/v1/offers?funding=avgs&limit=1", headers=catalogue.headers).get_json()

    assert (body["total"], len(body["items"])) == (2, 1)


def test_counsellor_finds_approved_offers_only(client, catalogue):
    assert "D" not in _refs(client, catalogue, "q=stapler&limit=500")


def test_sort_by_next_start_puts_offers_without_future_start_last(client, catalogue):
    assert _refs(client, catalogue, "sort=next_start") == ["R", "A", "B", "C", "E"]


def test_sort_by_travel_time_from_the_persons_district(client, catalogue):
    # From Uerdingen: online 0 min, Mitte 25, Süd 30, Hüls and Fischeln 40
    # (training.ranking.eligibility); equal minutes by next start.
    assert _refs(client, catalogue, "sort=travel&from_district=Uerdingen") == [
        "C",
        "B",
        "A",
        "R",
        "E",
    ]


def test_text_hits_in_title_come_first(client, catalogue):
    # "Deutsch" is in C's title and in A's description.
    assert _refs(client, catalogue, "q=deutsch") == ["C", "A"]


def test_explicit_sort_overrides_title_hits_first(client, catalogue):
    assert _refs(client, catalogue, "q=deutsch&sort=id") == ["A", "C"]


def test_pages_share_one_order(client, catalogue):
    first = _refs(client, catalogue, "sort=next_start&limit=2")
    body = client.get(
        "/api/v1/offers?sort=next_start&limit=2&offset=2", headers=catalogue.headers
    ).get_json()

    assert first + [i["external_ref"] for i in body["items"]] == ["R", "A", "B", "C"]
    assert body["total"] == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kldb=5", "kldb"),
        ("kldb=abcde", "kldb"),
        ("kldb=123456", "kldb"),
        ("starts_before=31.12.2026", "starts_before"),
        ("starts_before=1999-12-31", "starts_before"),
        ("format=fax", "format"),
        ("part_time=vielleicht", "part_time"),
        ("funding=lotto", "funding"),
        ("max_german_level=D1", "max_german_level"),
        ("sort=price", "sort"),
        ("sort=travel", "from_district"),
        ("from_district=Berlin", "from_district"),
        ("q=x", "q"),
        ("q=" + "x" * 101, "q"),
        ("limit=501", "limit"),
    ],
)
def test_invalid_parameter_is_422_naming_it(client, counsellor, query, field):
    response = client.get(f"/api/v1/offers?{query}", headers=counsellor.headers)

    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in [d["field"] for d in error["details"]]


def test_changed_start_dates_are_searched_at_once(client, factory):
    partner = factory.actor(Role.PARTNER)
    coordinator = factory.actor(Role.COORDINATOR)
    created = client.post(
        "/api/v1/offers",
        json=EXAMPLE_OFFER | {"start_dates": [_in(200)], "end_date": None},
        headers=partner.headers,
    ).get_json()
    client.patch(
        f"/api/v1/offers/{created['id']}",
        json={"version": created["version"], "start_dates": [_in(10)]},
        headers=partner.headers,
    )

    assert _refs(client, coordinator, f"starts_before={_in(30)}") == [created["external_ref"]]
