"""The offer CSV format: German column headers and how each cell is read.

Cells are read leniently the way partners' staff write them (``ja``/``nein``, ``TT.MM.JJJJ`` or
ISO dates, lists separated by comma, ``|`` or ``;``, decimal comma); strict validation of the
assembled offer happens afterwards in :class:`~models.offer.OfferBase`. docs/offer-import.md
describes the format for users.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _

from models.columns import OFFER_COLUMNS, ColumnSpec, Kind
from models.enums import District, FocusGroup, Funding, GermanLevel, MeasureType, OfferFormat


class CellError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def fold(text: str) -> str:
    """Compare headers and words without case, umlauts, spaces or punctuation."""
    text = text.casefold().replace("ß", "ss")
    for umlaut, plain in ((_("ä"), "ae"), (_("ö"), "oe"), (_("ü"), "ue")):
        text = text.replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]", "", text)


def _items(raw: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,|;\n]", raw) if part.strip()]


def parse_text(raw: str) -> str:
    return raw.strip()


#: Digits an integer cell may have: every count in the format fits in 9 (and far below
#: Python's 4,300-digit limit for ``int(str)``, which would otherwise raise mid-import).
MAX_INT_DIGITS = 9


def parse_int(raw: str) -> int:
    text = raw.strip().replace(" ", "")
    if not re.fullmatch(r"-?\d+([.,]0+)?", text):
        raise CellError("not_an_integer", _("Ganze Zahl erwartet."))
    whole = re.split(r"[.,]", text)[0]
    if len(whole.lstrip("-").lstrip("0")) > MAX_INT_DIGITS:
        raise CellError("number_too_large", _("Die Zahl ist zu groß."))
    return int(whole)


def parse_decimal(raw: str) -> float:
    text = re.sub(r"(?i)\s|€|eur", "", raw)
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        value = float(text)
    except ValueError:
        raise CellError("not_a_number", _("Zahl erwartet (z. B. 1.250,50).")) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError("not_a_number", _("Zahl erwartet (z. B. 1.250,50)."))
    return value


TRUE_WORDS = {"ja", "j", "x", "1", "true", "wahr", "yes", "y"}
FALSE_WORDS = {"nein", "n", "0", "false", "falsch", "no", "-"}


def parse_bool(raw: str) -> bool:
    word = raw.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS or not word:
        return False
    raise CellError("not_a_boolean", _("„ja“ oder „nein“ erwartet."))


def parse_date(raw: str) -> date:
    text = raw.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError("invalid_date", _("Datum als TT.MM.JJJJ oder JJJJ-MM-TT erwartet."))


def parse_dates(raw: str) -> list[date]:
    return [parse_date(part) for part in re.split(r"[,|;\s]+", raw.strip()) if part]


def parse_codes(raw: str) -> list[str]:
    codes = [part for part in re.split(r"[,|;\s]+", raw.strip()) if part]
    for code in codes:
        if not re.fullmatch(r"\d{5}", code):
            raise CellError("invalid_kldb", _("KldB-Codes sind 5-stellige Zahlen (z. B. 82101)."))
    return codes


def _lookup(table: dict[str, Any], code: str, message: str) -> Callable[[str], Any]:
    folded = {fold(key): value for key, value in table.items()}

    def parse(raw: str) -> Any:
        try:
            return folded[fold(raw)]
        except KeyError:
            raise CellError(code, message) from None

    return parse


def _list_of(single: Callable[[str], Any]) -> Callable[[str], list[Any]]:
    def parse(raw: str) -> list[Any]:
        return list(dict.fromkeys(single(part) for part in _items(raw)))

    return parse


MEASURE_WORDS: dict[str, MeasureType] = {m.value: m for m in MeasureType} | {
    "Umschulung": MeasureType.UMSCHULUNG,
    "Teilqualifizierung": MeasureType.TEILQUALIFIZIERUNG,
    "Anpassungsqualifizierung": MeasureType.ANPASSUNGSQUALIFIZIERUNG,
    "Aktivierung": MeasureType.AKTIVIERUNG_COACHING,
    "Coaching": MeasureType.AKTIVIERUNG_COACHING,
    "Aktivierung und Coaching": MeasureType.AKTIVIERUNG_COACHING,
    "Berufssprachkurs": MeasureType.BERUFSSPRACHKURS,
    "Integrationskurs": MeasureType.INTEGRATIONSKURS,
    "Grundbildung": MeasureType.GRUNDBILDUNG,
    "Einstiegsqualifizierung": MeasureType.EINSTIEGSQUALIFIZIERUNG,
    "EQ": MeasureType.EINSTIEGSQUALIFIZIERUNG,
    "Berufsvorbereitung": MeasureType.BERUFSVORBEREITUNG,
    "BvB": MeasureType.BERUFSVORBEREITUNG,
    "Assistierte Ausbildung": MeasureType.ASSISTIERTE_AUSBILDUNG,
    "AsA": MeasureType.ASSISTIERTE_AUSBILDUNG,
    "Teilzeitausbildung": MeasureType.TEILZEITAUSBILDUNG,
    "Anerkennung": MeasureType.ANERKENNUNG,
    "Wiedereinstieg": MeasureType.WIEDEREINSTIEG,
    "Teilhabe am Arbeitsmarkt": MeasureType.TEILHABE_AM_ARBEITSMARKT,
}
FUNDING_WORDS: dict[str, Funding] = {f.value: f for f in Funding} | {
    "Bildungsgutschein": Funding.BILDUNGSGUTSCHEIN,
    "BGS": Funding.BILDUNGSGUTSCHEIN,
    "AVGS": Funding.AVGS,
    "kostenlos": Funding.FREE,
    "kostenfrei": Funding.FREE,
    "frei": Funding.FREE,
    "sonstige": Funding.OTHER,
    "andere": Funding.OTHER,
}
FORMAT_WORDS: dict[str, OfferFormat] = {f.value: f for f in OfferFormat} | {
    "Präsenz": OfferFormat.IN_PERSON,
    "vor Ort": OfferFormat.IN_PERSON,
    "online": OfferFormat.ONLINE,
    "digital": OfferFormat.ONLINE,
    "hybrid": OfferFormat.BLENDED,
    "gemischt": OfferFormat.BLENDED,
    "Blended Learning": OfferFormat.BLENDED,
}
GROUP_WORDS: dict[str, FocusGroup] = {g.value: g for g in FocusGroup} | {
    "Jugendliche": FocusGroup.YOUTH,
    "junge Menschen": FocusGroup.YOUTH,
    "unter 25": FocusGroup.YOUTH,
    "Langzeitarbeitslose": FocusGroup.LONG_TERM_UNEMPLOYED,
    "Frauen": FocusGroup.WOMEN,
    "Migrantinnen und Migranten": FocusGroup.MIGRANTS,
    "Migranten": FocusGroup.MIGRANTS,
    "Migrant:innen": FocusGroup.MIGRANTS,
    "Zugewanderte": FocusGroup.MIGRANTS,
}
LANGUAGE_WORDS = {
    "Deutsch": "de",
    "Englisch": "en",
    "Türkisch": "tr",
    "Arabisch": "ar",
    "Russisch": "ru",
    "Ukrainisch": "uk",
    "Polnisch": "pl",
}


def parse_language(raw: str) -> str:
    folded = {fold(k): v for k, v in LANGUAGE_WORDS.items()}
    text = raw.strip()
    if fold(text) in folded:
        return folded[fold(text)]
    if re.fullmatch(r"[A-Za-z]{2,3}", text):
        return text.lower()
    raise CellError("invalid_language", _("Sprache als Wort (Deutsch) oder Kürzel (de) angeben."))


def parse_level(raw: str) -> GermanLevel:
    text = raw.strip().upper()
    if fold(text) in ("keine", "ohne", ""):
        return GermanLevel.A0
    try:
        return GermanLevel(text)
    except ValueError:
        raise CellError("invalid_cefr", "Sprachniveau A0, A1, A2, B1, B2, C1 oder C2.") from None


DISTRICT_WORDS: dict[str, District] = {d.value: d for d in District} | {
    "Oppum": District.OPPUM_LINN,
    "Linn": District.OPPUM_LINN,
}
#: How a cell of each enum is read: the accepted words (codes and German names) and the error.
WORDS: dict[type[StrEnum], tuple[dict[str, Any], str, str]] = {
    MeasureType: (MEASURE_WORDS, "unknown_measure_type", _("Unbekannte Maßnahmeart.")),
    Funding: (FUNDING_WORDS, "unknown_funding", _("Unbekannte Förderart.")),
    OfferFormat: (FORMAT_WORDS, "unknown_format", _("Format: Präsenz, online oder hybrid.")),
    District: (
        DISTRICT_WORDS,
        "unknown_district",
        _(
            "Unbekannter Stadtbezirk (Mitte, Süd, West, Nord, Ost, Oppum-Linn, Uerdingen, Hüls,"
            " Fischeln)."
        ),
    ),
    FocusGroup: (GROUP_WORDS, "unknown_target_group", "Unbekannte Zielgruppe."),
    GermanLevel: ({}, "invalid_cefr", ""),  # read by ``parse_level``
}
#: Parsers by column kind (``models.columns``); enums go through ``WORDS``.
PARSERS: dict[Kind, Callable[[str], Any]] = {
    Kind.TEXT: parse_text,
    Kind.COUNT: parse_int,
    Kind.AMOUNT: parse_decimal,
    Kind.FLAG: parse_bool,
    Kind.DATE: parse_date,
    Kind.DATES: parse_dates,
    Kind.CODES: parse_codes,
}
#: Columns whose cells need a reader of their own.
SPECIAL_PARSERS: dict[str, Callable[[str], Any]] = {
    "language": parse_language,
    "min_german_level": parse_level,
}
#: Required columns a file may leave out: free seats default to all seats.
FILLED_IN = frozenset({"seats_free"})


def _parser(spec: ColumnSpec) -> Callable[[str], Any]:
    if spec.name in SPECIAL_PARSERS:
        return SPECIAL_PARSERS[spec.name]
    if spec.kind in (Kind.CATEGORY, Kind.CATEGORIES):
        assert spec.enum is not None
        single = _lookup(*WORDS[spec.enum])
        return single if spec.kind is Kind.CATEGORY else _list_of(single)
    return PARSERS[spec.kind]


@dataclass(frozen=True, slots=True)
class Header:
    text: str  # the spelling in the template
    aliases: tuple[str, ...] = ()


#: German header and accepted aliases of each offer column (``models.offer.OfferBase``).
HEADERS: dict[str, Header] = {
    "external_ref": Header("Referenz", ("Ref", "Angebotsnummer", "Nr")),
    "title": Header("Titel", ("Angebot", "Bezeichnung")),
    "description": Header("Beschreibung", ("Inhalt", "Inhalte")),
    "measure_type": Header("Maßnahmeart", ("Maßnahmetyp", "Art")),
    "target_occupations": Header("Zielberufe (KldB)", ("Zielberufe", "KldB")),
    "certificate": Header("Abschluss", ("Zertifikat",)),
    "funding": Header("Förderung", ("Finanzierung",)),
    "format": Header("Format", ("Lernform",)),
    "hours_per_week": Header("Wochenstunden", ("Stunden pro Woche",)),
    "part_time_possible": Header("Teilzeit möglich", ("Teilzeit",)),
    "childcare": Header("Kinderbetreuung"),
    "language": Header("Unterrichtssprache", ("Sprache",)),
    "min_german_level": Header("Deutsch mind.", ("Deutschniveau",)),
    "duration_weeks": Header("Dauer (Wochen)", ("Dauer",)),
    "start_dates": Header("Starttermine", ("Starttermin", "Beginn")),
    "end_date": Header("Enddatum", ("Ende",)),
    "seats_total": Header("Plätze gesamt", ("Plätze",)),
    "seats_free": Header("Plätze frei", ("freie Plätze",)),
    "district": Header("Stadtbezirk", ("Bezirk",)),
    "target_groups": Header("Zielgruppen"),
    "cost_eur": Header("Kosten (EUR)", ("Kosten",)),
    "rolling_entry": Header("Laufender Einstieg", ("Einstieg jederzeit", "Jederzeit")),
    "venue_street": Header("Kursort Straße", ("Kursort",)),
    "venue_postcode": Header("Kursort PLZ"),
    "venue_city": Header("Kursort Ort", ("Kursort Stadt",)),
    "registration_url": Header("Anmeldung (Link)", ("Anmeldelink",)),
    "registration_deadline": Header("Anmeldeschluss", ("Anmeldefrist",)),
    "azav_measure_number": Header("AZAV-Maßnahmenummer", ("Maßnahmenummer", "AZAV-Nummer")),
    "funding_note": Header("Förderhinweis", ("Förderdetails",)),
}


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    header: str  # the spelling in the template
    parse: Callable[[str], Any]
    required: bool = False
    aliases: tuple[str, ...] = ()


#: One CSV column per offer column, in the model's order; a column without a German header is
#: an error at import time, so a new offer field cannot be forgotten here.
COLUMNS: tuple[Column, ...] = tuple(
    Column(
        spec.name,
        HEADERS[spec.name].text,
        _parser(spec),
        spec.required and spec.name not in FILLED_IN,
        HEADERS[spec.name].aliases,
    )
    for spec in OFFER_COLUMNS
)
BY_FIELD = {c.field: c for c in COLUMNS}
HEADER_INDEX: dict[str, Column] = {
    fold(name): column
    for column in COLUMNS
    for name in (column.header, column.field, *column.aliases)
}

TEMPLATE_ROW = {
    "Referenz": "PFL-2026-01",
    "Titel": "Teilqualifizierung Pflegehelfer/in – Modul 1",
    "Beschreibung": "Grundlagen der Pflege; Praktikum in einer Krefelder Einrichtung",
    "Maßnahmeart": "Teilqualifizierung",
    "Zielberufe (KldB)": "82101",
    "Abschluss": "IHK-Zertifikat (Modul 1 von 5)",
    "Förderung": "Bildungsgutschein",
    "Format": "Präsenz",
    "Wochenstunden": "30",
    "Teilzeit möglich": "ja",
    "Kinderbetreuung": "nein",
    "Unterrichtssprache": "Deutsch",
    "Deutsch mind.": "A2",
    "Dauer (Wochen)": "16",
    "Starttermine": "01.03.2030 | 01.09.2030",
    "Enddatum": "20.12.2030",
    "Plätze gesamt": "12",
    "Plätze frei": "8",
    "Stadtbezirk": "Mitte",
    "Zielgruppen": "Langzeitarbeitslose, Frauen",
    "Kosten (EUR)": "4.800,00",
    "Laufender Einstieg": "nein",
    "Kursort Straße": "Ostwall 148",
    "Kursort PLZ": "47798",
    "Kursort Ort": "Krefeld",
    "Anmeldung (Link)": "https://bildungswerk-sued.example/anmeldung/pfl-2026-01",
    "Anmeldeschluss": "15.02.2030",
    "AZAV-Maßnahmenummer": "962/0815/2030",
    "Förderhinweis": "Bildungsgutschein (AZAV-zertifiziert)",
}
