"""CSV import of files built to break it: huge numbers, mixed encodings, endless headers."""

from __future__ import annotations

from tests.api.import_helpers import HEADER
from tests.api.test_import import _csv, _offers, _row, _upload


def test_a_4400_digit_integer_cell_is_a_row_error(client, partner):
    response = _upload(client, partner, _csv(_row(hours="9" * 4400)))

    assert response.status_code == 200
    report = response.get_json()
    assert report["created"] == 0
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (2, "Wochenstunden", "number_too_large")
    ]


def test_leading_zeros_do_not_make_a_number_too_large(client, partner):
    report = _upload(client, partner, _csv(_row(hours="0000000000030"))).get_json()
    assert report["created"] == 1


def test_one_windows_1252_row_in_a_utf8_file_is_read_per_row_and_reported(client, partner):
    utf8 = (HEADER + "\r\n" + _row("A-1", title="Größe UTF-8") + "\r\n").encode("utf-8")
    cp1252 = (_row("A-2", title="Größe ANSI") + "\r\n").encode("cp1252")

    response = _upload(client, partner, utf8 + cp1252)

    assert response.status_code == 200
    report = response.get_json()
    assert report["created"] == 2
    assert [(w["row"], w["code"]) for w in report["warnings"]] == [(3, "decoded_as_cp1252")]
    titles = sorted(o["title"] for o in _offers(client, partner))
    assert titles == ["Größe ANSI", "Größe UTF-8"]


def test_a_plain_windows_1252_file_has_no_warnings(client, partner):
    data = _csv(_row(title="Fortbildung Größe")).encode("cp1252")
    report = _upload(client, partner, data).get_json()
    assert report["created"] == 1
    assert report["warnings"] == []


def test_ignored_columns_are_counted_and_only_the_first_ten_named(client, partner):
    extra = [f"Notiz {i}" for i in range(5000)]
    header = HEADER + ";" + ";".join(extra)
    row = _row() + ";" * len(extra)

    response = _upload(client, partner, _csv(row, header=header))

    report = response.get_json()
    assert report["created"] == 1
    assert report["ignored_column_count"] == 5000
    assert report["ignored_columns"] == extra[:10]
    assert len(response.get_data()) < 2000
