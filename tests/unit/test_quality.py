"""Quality flags and the duplicate detector, without a database."""

from __future__ import annotations

from datetime import date

from models.offer import EXAMPLE_OFFER, Offer, OfferBase
from service.offers.fields import storage_values
from service.offers.quality import DuplicateIndex, content_flags, normalise_title

TODAY = date(2026, 6, 1)


def _content(**overrides):
    return OfferBase.model_validate(EXAMPLE_OFFER | overrides)


def _offer(offer_id, provider_id, **overrides):
    return Offer(
        id=offer_id,
        provider_id=provider_id,
        status="approved",
        **storage_values(_content(**overrides)),
    )


def _codes(flags):
    return [f["code"] for f in flags]


def test_complete_offer_has_no_flags():
    assert content_flags(_content(), today=TODAY) == []


def test_missing_recommended_fields_are_flagged():
    flags = content_flags(
        _content(
            description="", certificate="", target_occupations=[], start_dates=[], end_date=None
        ),
        today=TODAY,
    )

    assert _codes(flags) == [
        "missing_description",
        "missing_certificate",
        "missing_target_occupations",
        "missing_start_dates",
    ]


def test_start_in_past_is_flagged():
    flags = content_flags(_content(start_dates=["2026-01-01", "2030-01-01"]), today=TODAY)

    assert flags[0]["code"] == "start_in_past"
    assert flags[0]["dates"] == ["2026-01-01"]


def test_zero_seats_is_flagged():
    assert _codes(content_flags(_content(seats_free=0), today=TODAY)) == ["no_seats"]


def test_implausible_duration_names_expected_range():
    flags = content_flags(_content(measure_type="INTEGRATIONSKURS", duration_weeks=2), today=TODAY)

    assert flags[0]["code"] == "implausible_duration"
    assert flags[0]["expected_weeks"] == [16, 45]


def test_title_normalisation():
    assert normalise_title("Pflege-Helfer/in  (Modul 1)") == "pflege helfer in modul 1"


def test_similar_offer_of_other_provider_is_duplicate():
    index = DuplicateIndex([_offer(7, provider_id=2)])

    flags = index.matches(
        _content(title="Teilqualifizierung Pflegehelfer/in - Modul 1 (Krefeld)"), provider_id=1
    )

    assert [(f["code"], f["offer_id"]) for f in flags] == [("possible_duplicate", 7)]
    assert 0.86 <= flags[0]["score"] <= 1


def test_similar_offer_of_same_provider_is_flagged_as_own_duplicate():
    index = DuplicateIndex([_offer(7, provider_id=1)])

    flags = index.matches(_content(), provider_id=1)

    assert [(f["code"], f["offer_id"]) for f in flags] == [("possible_duplicate_own", 7)]


def test_offer_is_not_its_own_duplicate():
    index = DuplicateIndex([_offer(7, provider_id=1)])

    assert index.matches(_content(), provider_id=1, offer_id=7) == []


def test_other_district_is_not_a_duplicate():
    index = DuplicateIndex([_offer(7, provider_id=2, district="Nord")])

    assert index.matches(_content(), provider_id=1) == []


def test_disjoint_dates_are_not_a_duplicate():
    index = DuplicateIndex(
        [_offer(7, provider_id=2, start_dates=["2027-01-01"], end_date="2027-05-01")]
    )

    assert index.matches(_content(), provider_id=1) == []


def test_different_title_is_not_a_duplicate():
    index = DuplicateIndex(
        [_offer(7, provider_id=2, title="Teilqualifizierung Lagerlogistik Modul 1")]
    )

    assert index.matches(_content(), provider_id=1) == []
