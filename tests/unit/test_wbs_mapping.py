"""One course-database run as offer content: the field mapping and what is left out."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.enums import District, Funding, OfferFormat
from service.offers.wbs_format import RawRun, load_pages, number
from service.offers.wbs_mapping import map_run


def _termin(**overrides: Any) -> dict[str, Any]:
    termin: dict[str, Any] = {
        "id": 42,
        "angebot": {
            "titel": "Staplerschein kompakt",
            "inhalt": "<p>Theorie &amp; Praxis</p>",
            "abschlussart": "Zertifikat",
            "bildungsanbieter": {"name": "Logistik-Schule Hüls"},
        },
        "adresse": {
            "strasse": "Krefelder Straße 7",
            "ortStraße": {"plz": "47839", "name": "Krefeld"},
            "koordinaten": {"lat": 51.3731, "lon": 6.5105},
        },
        "unterrichtsform": {"id": 101},
        "unterrichtszeit": {"id": 1},
        "dauer": {"id": 3},
        "beginn": "2027-05-03",
        "ende": "2027-05-28",
        "kostenWert": "390",
        "kostenWaehrung": "EUR",
        "teilnehmerMax": "12",
        "foerderung": True,
    }
    return termin | overrides


def _map(**overrides: Any):
    return map_run(RawRun(1, "Datei, Seite 1, Eintrag 1", _termin(**overrides)))


@pytest.mark.parametrize(
    ("form_id", "expected"),
    [
        (101, OfferFormat.IN_PERSON),
        (105, OfferFormat.IN_PERSON),
        (201, OfferFormat.ONLINE),
        (206, OfferFormat.ONLINE),
        (303, OfferFormat.BLENDED),
        (402, OfferFormat.ONLINE),
    ],
)
def test_teaching_form_gives_the_format(form_id, expected):
    run = _map(unterrichtsform={"id": form_id})

    assert run.values["format"] == expected
    assert run.flags == []


def test_unknown_teaching_form_is_flagged():
    run = _map(unterrichtsform={"id": 777, "bezeichnung": "Exkursion"})

    assert run.values["format"] == OfferFormat.IN_PERSON
    assert [f["code"] for f in run.flags] == ["wbs_unknown_teaching_form"]


@pytest.mark.parametrize(
    ("time_id", "hours", "part_time"), [(1, 35, False), (2, 20, True), (4, 10, True)]
)
def test_lesson_time_gives_hours_and_part_time(time_id, hours, part_time):
    run = _map(unterrichtszeit={"id": time_id})

    assert (run.values["hours_per_week"], run.values["part_time_possible"]) == (hours, part_time)


@pytest.mark.parametrize(("band", "weeks"), [(2, 1), (4, 13), (5, 26), (7, 104), (9, 208)])
def test_duration_band_gives_its_upper_bound(band, weeks):
    assert _map(dauer={"id": band}).values["duration_weeks"] == weeks


def test_duration_on_request_comes_from_the_dates():
    assert _map(dauer={"id": 0}).values["duration_weeks"] == 4  # 3 to 28 May


def test_rolling_entry_has_no_start_dates():
    run = _map(individuellerEinstieg=True, beginn=None, ende=None)

    assert (run.values["rolling_entry"], run.values["start_dates"]) == (True, [])


def test_dates_and_deadline():
    run = _map(anmeldeschluss="2027-04-15")

    assert run.values["start_dates"] == [date(2027, 5, 3)]
    assert run.values["end_date"] == date(2027, 5, 28)
    assert run.values["registration_deadline"] == date(2027, 4, 15)


@pytest.mark.parametrize(
    ("raw", "expected"), [("2.450,00", 2450.0), ("2450.5", 2450.5), (1200, 1200.0), (None, None)]
)
def test_cost_string_becomes_a_number(raw, expected):
    assert _map(kostenWert=raw).values["cost_eur"] == expected


@pytest.mark.parametrize("raw", ["-5", "99999999"])
def test_implausible_cost_is_left_out_and_flagged(raw):
    run = _map(kostenWert=raw)

    assert run.values["cost_eur"] is None
    assert [f["code"] for f in run.flags] == ["wbs_cost_ignored"]


def test_funding_approval_means_bildungsgutschein():
    assert _map().values["funding"] == [Funding.BILDUNGSGUTSCHEIN]
    assert _map(foerderung=False).values["funding"] == []


def test_description_is_plain_text():
    assert _map().values["description"] == "Theorie & Praxis"


def test_contact_channels_are_kept_and_the_persons_name_is_not():
    person = {
        "anrede": "Frau",
        "vorname": "Sabine",
        "nachname": "Musterfrau",
        "telefonVorwahl": "02151",
        "telefonDurchwahl": "7070",
        "email": "sabine.musterfrau@schule.example",
        "homepage": "www.schule.example",
        "rollen": [{"bezeichnung": "Anmeldung"}],
    }
    provider = _map(ansprechpartner=[person]).provider

    assert provider is not None
    assert (provider.phone, provider.email, provider.website, provider.contact_role) == (
        "02151 7070",
        "",  # the address carries the name
        "https://www.schule.example",
        "Anmeldung",
    )
    assert "musterfrau" not in repr(provider).casefold()


def test_run_outside_krefeld_is_refused():
    run = _map(adresse={"ortStraße": {"plz": "40210", "name": "Düsseldorf"}})

    assert [e["code"] for e in run.errors] == ["outside_krefeld"]
    assert "außerhalb Krefelds" in run.errors[0]["message"]


def test_district_from_the_address():
    assert _map().values["district"] == District.HUELS


def test_run_without_id_is_refused():
    assert [e["code"] for e in _map(id=None).errors] == ["missing_id"]


def test_page_list_and_single_page_are_read():
    page = {"_embedded": {"termine": [_termin()]}, "page": {"number": 0}}

    assert load_pages(b'{"page": {"number": 0}}') == [{"page": {"number": 0}}]
    assert load_pages([page, page]) == [page, page]


@given(st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.none(), st.booleans()))
def test_number_never_raises(value):
    result = number(value)

    assert result is None or result == result  # never NaN
