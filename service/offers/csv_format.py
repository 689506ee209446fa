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
from typing import Any

from flask_babel import gettext as _

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


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    header: str  # the spelling in the template
    parse: Callable[[str], Any]
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("external_ref", "Referenz", parse_text, True, ("Ref", "Angebotsnummer", "Nr")),
    Column("title", "Titel", parse_text, True, (_("Angebot"), "Bezeichnung")),
    Column("description", "Beschreibung", parse_text, aliases=("Inhalt", "Inhalte")),
    Column(
        "measure_type",
        "Maßnahmeart",
        _lookup(MEASURE_WORDS, "unknown_measure_type", _("Unbekannte Maßnahmeart.")),
        True,
        (_("Maßnahmetyp"), "Art"),
    ),
    Column("target_occupations", "Zielberufe (KldB)", parse_codes, aliases=("Zielberufe", "KldB")),
    Column("certificate", "Abschluss", parse_text, aliases=("Zertifikat",)),
    Column(
        "funding",
        "Förderung",
        _list_of(_lookup(FUNDING_WORDS, "unknown_funding", _("Unbekannte Förderart."))),
        aliases=("Finanzierung",),
    ),
    Column(
        "format",
        "Format",
        _lookup(FORMAT_WORDS, "unknown_format", _("Format: Präsenz, online oder hybrid.")),
        aliases=("Lernform",),
    ),
    Column("hours_per_week", "Wochenstunden", parse_int, True, ("Stunden pro Woche",)),
    Column("part_time_possible", "Teilzeit möglich", parse_bool, aliases=("Teilzeit",)),
    Column("childcare", "Kinderbetreuung", parse_bool),
    Column("language", "Unterrichtssprache", parse_language, aliases=("Sprache",)),
    Column("min_german_level", "Deutsch mind.", parse_level, aliases=("Deutschniveau",)),
    Column("duration_weeks", "Dauer (Wochen)", parse_int, True, ("Dauer",)),
    Column("start_dates", "Starttermine", parse_dates, aliases=("Starttermin", "Beginn")),
    Column("end_date", "Enddatum", parse_date, aliases=("Ende",)),
    Column("seats_total", "Plätze gesamt", parse_int, True, (_("Plätze"),)),
    Column("seats_free", "Plätze frei", parse_int, aliases=("freie Plätze",)),
    Column(
        "district",
        "Stadtbezirk",
        _lookup(
            {d.value: d for d in District}
            | {"Oppum": District.OPPUM_LINN, "Linn": District.OPPUM_LINN},
            "unknown_district",
            _(
                "Unbekannter Stadtbezirk (Mitte, Süd, West, Nord, Ost, Oppum-Linn, Uerdingen, Hüls,"
                " Fischeln)."
            ),
        ),
        True,
        ("Bezirk",),
    ),
    Column(
        "target_groups",
        "Zielgruppen",
        _list_of(_lookup(GROUP_WORDS, "unknown_target_group", _("Unbekannte Zielgruppe."))),
    ),
    Column("cost_eur", "Kosten (EUR)", parse_decimal, aliases=("Kosten",)),
    Column(
        "rolling_entry",
        "Laufender Einstieg",
        parse_bool,
        aliases=("Einstieg jederzeit", "Jederzeit"),
    ),
    Column("venue_street", "Kursort Straße", parse_text, aliases=("Kursort",)),
    Column("venue_postcode", "Kursort PLZ", parse_text),
    Column("venue_city", "Kursort Ort", parse_text, aliases=("Kursort Stadt",)),
    Column("registration_url", "Anmeldung (Link)", parse_text, aliases=("Anmeldelink",)),
    Column("registration_deadline", "Anmeldeschluss", parse_date, aliases=("Anmeldefrist",)),
    Column(
        "azav_measure_number",
        "AZAV-Maßnahmenummer",
        parse_text,
        aliases=("Maßnahmenummer", "AZAV-Nummer"),
    ),
    Column("funding_note", "Förderhinweis", parse_text, aliases=("Förderdetails",)),
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
