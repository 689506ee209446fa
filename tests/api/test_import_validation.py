"""The CSV import applies the API's and the form's rules on the first pass, row by row."""

from __future__ import annotations

import pytest

from tests.api.test_import import _csv, _row, _upload


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        (_row("A-1", title="X"), "Titel", "string_too_short"),
        (_row("A-2", kldb="99999"), "Zielberufe (KldB)", "unknown_kldb"),
        (_row("A-3", hours="70"), "Wochenstunden", "less_than_equal"),
        (_row("A-4", free="20"), "Plätze frei", "seats_free_exceeds_total"),
        (_row("A-5", cost="-5"), "Kosten (EUR)", "greater_than_equal"),
    ],
)
def test_invalid_row_is_reported_and_not_stored(client, partner, row, column, code):
    report = _upload(client, partner, _csv(row, _row("OK-1"))).get_json()

    assert report["created"] == 1
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [(2, column, code)]
