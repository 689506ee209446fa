"""CSV import over the API: file formats, cell errors and file limits.

Parsing happens before any database work, so these run on SQLite only; everything that
stores or matches offers is in test_import.py and runs on both backends."""

from __future__ import annotations

import pytest

from tests.api.import_helpers import HEADER
from tests.api.import_helpers import csv_text as _csv
from tests.api.import_helpers import row as _row
from tests.api.import_helpers import upload as _upload
from tests.factories import offers_seen as _offers


@pytest.fixture
def app(sqlite_only_app):
    return sqlite_only_app


def test_values_are_read_the_german_way(client, partner):
    _upload(client, partner, _csv(_row(starts="01.03.2030 | 2030-09-01")))

    offer = _offers(client, partner)[0]

    assert offer["cost_eur"] == 1250.5
    assert offer["part_time_possible"] is True
    assert offer["start_dates"] == ["2030-03-01", "2030-09-01"]
    assert offer["measure_type"] == "ANPASSUNGSQUALIFIZIERUNG"


def test_utf8_bom_is_accepted(client, partner):
    response = _upload(client, partner, _csv(_row()).encode("utf-8-sig"))

    assert response.get_json()["created"] == 1


def test_windows_1252_is_accepted(client, partner):
    response = _upload(client, partner, _csv(_row(title="Fortbildung Größe")).encode("cp1252"))

    assert response.get_json()["created"] == 1
    assert _offers(client, partner)[0]["title"] == "Fortbildung Größe"


def test_comma_separated_file_is_sniffed(client, partner):
    data = _csv(_row(cost="1250"), header=HEADER).replace(";", ",")

    response = _upload(client, partner, data)

    assert response.get_json()["created"] == 1


def test_quoted_newline_stays_in_cell(client, partner):
    header = HEADER + ";Beschreibung"
    data = _csv(_row() + ';"Zeile eins\nZeile zwei"', _row("A-2") + ";kurz", header=header)

    report = _upload(client, partner, data).get_json()

    assert report["created"] == 2
    descriptions = {o["external_ref"]: o["description"] for o in _offers(client, partner)}
    assert descriptions["A-1"] == "Zeile eins\nZeile zwei"


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        ({"hours": "dreißig"}, "Wochenstunden", "not_an_integer"),
        ({"starts": "31.02.2030"}, "Starttermine", "invalid_date"),
        ({"district": "Köln"}, "Stadtbezirk", "unknown_district"),
        ({"free": "11"}, "Plätze frei", "seats_free_exceeds_total"),
        ({"hours": "99"}, "Wochenstunden", "less_than_equal"),
        ({"part": "vielleicht"}, "Teilzeit möglich", "not_a_boolean"),
    ],
)
def test_invalid_cell_is_reported_with_column_and_code(client, partner, cells, column, code):
    report = _upload(client, partner, _csv(_row(**cells))).get_json()

    assert report["created"] == 0
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [(2, column, code)]


def test_missing_required_cell_is_reported(client, partner):
    report = _upload(client, partner, _csv(_row(title=""))).get_json()

    assert report["errors"][0]["code"] == "required"


def test_empty_file_is_422(client, partner):
    response = _upload(client, partner, b"")

    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "empty_file"


def test_binary_file_is_422(client, partner):
    response = _upload(client, partner, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)

    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "not_csv"


def test_text_without_known_header_is_422(client, partner):
    response = _upload(client, partner, "Liebe Kolleginnen,\nanbei die Liste.\n")

    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "unknown_header"


def test_missing_required_columns_are_named(client, partner):
    response = _upload(client, partner, "Referenz;Titel\nA;Kurs\n")

    assert response.status_code == 422
    assert "Maßnahmeart" in response.get_json()["error"]["message"]


def test_too_many_rows_is_422(client, partner, app, monkeypatch):
    settings = app.extensions["qualimatch.settings"]
    monkeypatch.setitem(
        app.extensions,
        "qualimatch.settings",
        settings.model_copy(update={"max_import_rows": 2}),
    )

    response = _upload(client, partner, _csv(_row("A-1"), _row("A-2"), _row("A-3")))

    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "too_many_rows"


def test_file_over_upload_limit_is_413(client, partner, app):
    # A hand-built body: the test client would spool a generated one to a temporary file.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
        + b"\r\n--b--\r\n"
    )

    response = client.post(
        "/api/v1/offers/import",
        data=body,
        headers=partner.headers,
        content_type="multipart/form-data; boundary=b",
    )

    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_missing_file_field_is_422(client, partner):
    response = client.post(
        "/api/v1/offers/import",
        data={},
        headers=partner.headers,
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
