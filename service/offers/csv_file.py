"""Reading an uploaded offer CSV file: encoding, separator, records and the header layout.

File-level problems (empty, binary, unknown header, missing columns) raise
:class:`FileProblem`, a 422 for the whole file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from service.core.domain_errors import Invalid
from service.offers.csv_format import COLUMNS, HEADER_INDEX, fold

#: Unknown columns named in the report; the rest are only counted (a file can have 100,000).
MAX_IGNORED_LISTED = 10
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\x0b", "\x0c"}


class FileProblem(Invalid):
    """The whole file is unusable (422); every raise names its own ``code``."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """The file's text, and the lines (1-based) that were not UTF-8 but Windows-1252."""

    text: str
    cp1252_lines: list[int]


def decode(data: bytes) -> Decoded:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 line by line.

    A file saved by Excel is one encoding throughout, but a file pasted together from two
    sources is not: decoding the whole of it as Windows-1252 turned its UTF-8 umlauts into
    mojibake (header included, hence "Pflichtspalten fehlen"). So each line that is not valid
    UTF-8 is read as Windows-1252 on its own and reported; binary content is refused.
    """
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileProblem(_("Die Datei ist leer."), code="empty_file")
    cp1252_lines: list[int] = []
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        elif b"\x00" in data:
            raise UnicodeDecodeError("csv", data, 0, 1, "NUL byte")
        else:
            text, cp1252_lines = _utf8_or_cp1252_lines(data)
    except UnicodeDecodeError:
        raise _not_csv() from None
    if any(ch in _CONTROL for ch in text[:65536]):
        raise _not_csv()
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise FileProblem(_("Die Datei ist leer."), code="empty_file")
    return Decoded(text, cp1252_lines)


def _utf8_or_cp1252_lines(data: bytes) -> tuple[str, list[int]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    # b"\n" never occurs inside a multi-byte UTF-8 sequence, so lines decode independently.
    lines = data.split(b"\n")
    texts: list[str] = []
    fallback: list[int] = []
    utf8_beyond_ascii = False
    for number, line in enumerate(lines, start=1):
        try:
            texts.append(line.decode("utf-8-sig" if number == 1 else "utf-8"))
            utf8_beyond_ascii = utf8_beyond_ascii or not line.isascii()
        except UnicodeDecodeError:
            texts.append(line.decode("cp1252"))
            fallback.append(number)
    # A plain Windows-1252 file (Excel's "CSV") is nothing to warn about; a mixed one is.
    return "\n".join(texts), fallback if utf8_beyond_ascii else []


def _not_csv() -> FileProblem:
    return FileProblem(
        _("Die Datei ist keine CSV-Textdatei. Bitte als CSV (UTF-8 oder Windows-1252) speichern."),
        code="not_csv",
    )


def sniff_delimiter(text: str) -> str:
    """The header line decides: the most frequent of ``;``, ``,`` and tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"


def read_records(text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        records = [record for record in reader]
    except csv.Error:
        raise FileProblem(
            _("Die CSV-Datei ist fehlerhaft (bei Zeile %(line_num)s).", line_num=reader.line_num),
            code="malformed_csv",
        ) from None
    while records and not any(cell.strip() for cell in records[0]):
        records.pop(0)  # blank lines above the header
    if not records:
        raise FileProblem(_("Die Datei ist leer."), code="empty_file")
    return records


@dataclass(frozen=True, slots=True)
class Layout:
    """Which column of the file holds which field, and the header as the file spells it."""

    positions: dict[str, int]
    headers: dict[str, str]
    ignored: list[str]
    ignored_count: int = 0


def map_header(header: list[str]) -> Layout:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    ignored_count = 0
    for i, name in enumerate(header):
        column = HEADER_INDEX.get(fold(name))
        if column is None:
            if name.strip():
                ignored_count += 1
                if len(ignored) < MAX_IGNORED_LISTED:
                    ignored.append(name.strip()[:100])
            continue
        if column.field in positions:
            raise FileProblem(
                _("Die Spalte „%(header)s“ kommt mehrfach vor.", header=column.header),
                code="duplicate_column",
            )
        positions[column.field] = i
        headers[column.field] = name.strip()
    if not positions:
        raise FileProblem(
            _("Keine bekannte Spaltenüberschrift gefunden. Bitte die Vorlage verwenden."),
            code="unknown_header",
        )
    missing = [c.header for c in COLUMNS if c.required and c.field not in positions]
    if missing:
        raise FileProblem(
            _("Pflichtspalten fehlen: ") + ", ".join(missing) + ".",
            code="missing_columns",
            details=[
                {"field": name, "code": "missing", "message": _("Pflichtspalte fehlt.")}
                for name in missing
            ],
        )
    return Layout(positions, headers, ignored, ignored_count)
