"""The offer CSV parser: German cell formats, file-level checks, and fuzzing (no input crashes
it, and nothing it stores is an invalid offer)."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from models.enums import Role
from models.offer import Offer, OfferPublic
from models.user import User
from service.core.db import get_engine
from service.core.domain_errors import DomainError
from service.core.errors import domain_status
from service.offers import csv_format as fmt
from service.offers.csv_file import decode, map_header, read_records, sniff_delimiter
from service.offers.csv_import import ImportReport, import_csv, parse_row, template_csv


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4.800,00", 4800.0),
        ("1250,5", 1250.5),
        ("4800", 4800.0),
        ("12.000", 12000.0),
        ("99,90 €", 99.9),
        ("1 200 EUR", 1200.0),
    ],
)
def test_decimal_comma(raw, expected):
    assert fmt.parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["01.03.2030", "2030-03-01", "1.3.2030", "01.03.30"])
def test_dates_german_and_iso(raw):
    assert fmt.parse_date(raw) == date(2030, 3, 1)


def test_date_list_separators():
    assert fmt.parse_dates("01.03.2030 | 2030-09-01, 01.12.2030") == [
        date(2030, 3, 1),
        date(2030, 9, 1),
        date(2030, 12, 1),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"), [("ja", True), ("X", True), ("nein", False), ("", False)]
)
def test_yes_no(raw, expected):
    assert fmt.parse_bool(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Umschulung", "UMSCHULUNG"),
        ("aktivierung und coaching", "AKTIVIERUNG_COACHING"),
        ("BERUFSSPRACHKURS", "BERUFSSPRACHKURS"),
        ("EQ", "EINSTIEGSQUALIFIZIERUNG"),
    ],
)
def test_measure_type_words(raw, expected):
    assert fmt.BY_FIELD["measure_type"].parse(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("Sued", "Süd"), ("hüls", "Hüls"), ("Oppum-Linn", "Oppum-Linn")]
)
def test_district_spellings(raw, expected):
    assert fmt.BY_FIELD["district"].parse(raw) == expected


def test_target_groups_in_german():
    parse = fmt.BY_FIELD["target_groups"].parse

    assert parse("Frauen | Langzeitarbeitslose") == ["women", "long_term_unemployed"]


@pytest.mark.parametrize(("line", "delimiter"), [("a;b;c", ";"), ("a,b,c", ","), ("a\tb", "\t")])
def test_sniff_delimiter(line, delimiter):
    assert sniff_delimiter(line + "\n1;2,3\n") == delimiter


def test_header_matching_ignores_case_umlauts_and_punctuation():
    layout = map_header(
        [
            "referenz",
            "TITEL",
            "Massnahmeart",
            "wochenstunden",
            "Dauer Wochen",
            "Plaetze gesamt",
            "Stadtbezirk",
            "Notizen",
        ]
    )

    assert set(layout.positions) >= {"external_ref", "title", "measure_type", "seats_total"}
    assert layout.ignored == ["Notizen"]


def test_duplicate_column_is_refused():
    with pytest.raises(DomainError) as info:
        map_header(["Referenz", "Ref", "Titel"])

    assert info.value.code == "duplicate_column"


def test_utf16_with_bom_is_decoded():
    assert decode("Referenz;Titel\n".encode("utf-16")).text == "Referenz;Titel\n"


def test_template_row_parses_without_errors():
    records = read_records(template_csv())
    report = ImportReport()

    content = parse_row(records[1], map_header(records[0]), 2, report)

    assert report.errors == []
    assert content is not None
    assert content.external_ref == "PFL-2026-01"


@pytest.mark.slow  # hundreds of generated inputs
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_either_parse_or_raise_a_file_problem(data):
    assert _parse_all(data) in ("parsed", 422)


def _parse_all(data: bytes) -> str | int:
    try:
        records = read_records(decode(data).text)
        layout = map_header(records[0])
    except DomainError as exc:
        return domain_status(exc)
    report = ImportReport()
    for row, cells in enumerate(records[1:], start=2):
        parse_row(cells, layout, row, report)
    return "parsed"


HEADER = read_records(template_csv())[0]
cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "ja",
            "nein",
            "01.03.2030",
            "2030-13-01",
            "82101",
            "99999",
            "4.800,00",
            "-5",
            "0",
            "Mitte",
            "Süd",
            "A2",
            "Z9",
            "Umschulung",
            "",
            " ",
            "1e309",
        ]
    ),
)


@pytest.mark.slow  # hundreds of generated inputs
@settings(max_examples=300, deadline=None)
@given(st.lists(cell, min_size=0, max_size=len(HEADER) + 2))
def test_any_row_yields_valid_content_or_row_errors(cells):
    report = ImportReport()

    content = parse_row(cells, map_header(HEADER), 2, report)

    assert (content is None) == bool(report.errors)
    assert all(e["row"] == 2 and e["code"] and e["message"] for e in report.errors)


@pytest.mark.slow  # generated imports into a database
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)), max_size=4))
def test_fuzzed_import_stores_only_valid_offers(sqlite_only_app, rows):
    text = "\n".join(
        ";".join(c.replace(";", ",").replace('"', "") for c in r) for r in [HEADER, *rows]
    )
    with Session(get_engine(sqlite_only_app), expire_on_commit=False) as session:
        provider_id = _provider(session)
        user = User(id=None, username="cli", role=Role.COORDINATOR)
        with sqlite_only_app.app_context(), contextlib.suppress(DomainError):
            import_csv(session, text.encode(), user=user, provider_id=provider_id, max_rows=100)
        for offer in session.exec(select(Offer)):
            OfferPublic.model_validate(offer, from_attributes=True)


def _provider(session: Session) -> int:
    from models.provider import Provider

    provider = session.exec(select(Provider)).first()
    if provider is None:
        provider = Provider(name="Fuzz-Träger", kind="welfare", district="Mitte")
        session.add(provider)
        session.commit()
    assert provider.id is not None
    return provider.id


@pytest.mark.slow  # hundreds of generated inputs
@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\A-?[0-9]{0,5000}([.,]0{0,3})?\Z") | st.text(max_size=50))
def test_integer_cells_parse_within_nine_digits_or_raise_a_cell_error(raw):
    outcome: int | str
    try:
        outcome = fmt.parse_int(raw)
    except fmt.CellError as exc:
        outcome = exc.code
    if isinstance(outcome, str):
        assert outcome in ("not_an_integer", "number_too_large")
    else:
        assert abs(outcome) < 10**fmt.MAX_INT_DIGITS


def test_lines_that_are_not_utf8_are_decoded_one_by_one():
    data = "Titel;Größe\n".encode() + "Maß;1\n".encode("cp1252") + "Öl;2\n".encode()

    decoded = decode(data)

    assert decoded.text == "Titel;Größe\nMaß;1\nÖl;2\n"
    assert decoded.cp1252_lines == [2]
