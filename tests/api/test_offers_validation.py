"""Offer validation over the API. Validation happens before any database write, so these
run on SQLite only."""

from __future__ import annotations

import pytest

from tests.api.offer_helpers import create


@pytest.fixture
def app(sqlite_only_app):
    return sqlite_only_app


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"measure_type": "YOGA"}, "measure_type"),
        ({"target_occupations": ["99999"]}, "target_occupations.0"),
        ({"target_occupations": ["8210"]}, "target_occupations.0"),
        ({"min_german_level": "B3"}, "min_german_level"),
        ({"seats_total": 5, "seats_free": 6}, "seats_free"),
        ({"seats_total": -1, "seats_free": 0}, "seats_total"),
        ({"start_dates": ["2030-03-01"], "end_date": "2030-01-01"}, "end_date"),
        ({"district": "Köln"}, "district"),
        ({"venue_postcode": "4780"}, "venue_postcode"),
        ({"registration_url": "ftp://traeger.example/anmeldung"}, "registration_url"),
        ({"registration_url": "www.traeger.example"}, "registration_url"),
        ({"registration_deadline": "15.02.2030"}, "registration_deadline"),
    ],
)
def test_invalid_fields_are_422_naming_the_field(client, partner, overrides, field):
    response = create(client, partner, **overrides)

    assert response.status_code == 422
    fields = [d["field"] for d in response.get_json()["error"]["details"]]
    assert field in fields


def test_start_dates_are_sorted(client, partner):
    response = create(client, partner, start_dates=["2030-09-01", "2030-03-01"])

    assert response.get_json()["start_dates"] == ["2030-03-01", "2030-09-01"]


def test_implausible_duration_is_warning_not_error(client, partner):
    response = create(client, partner, measure_type="UMSCHULUNG", duration_weeks=4)

    assert response.status_code == 201
    body = response.get_json()
    assert any("ungewöhnlich" in w for w in body["warnings"])
    assert "implausible_duration" in [f["code"] for f in body["quality_flags"]]


def test_contact_fields_round_trip(client, partner):
    response = create(client, partner, rolling_entry=True, venue_city="Krefeld-Uerdingen")

    body = response.get_json()
    assert response.status_code == 201
    assert body["rolling_entry"] is True
    assert body["venue_city"] == "Krefeld-Uerdingen"
    assert body["registration_deadline"] == "2030-02-15"
    assert body["funding_note"] == "Bildungsgutschein (AZAV-zertifiziert)"
