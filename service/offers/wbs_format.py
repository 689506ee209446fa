"""Saved responses of the Bundesagentur's course database (*Weiterbildungssuche*): reading.

A file holds one response page (``{"_embedded": {"termine": [...]}, "page": {...}}``) or a
JSON list of such pages (reference: docs/offer-import.md). Each *Termin* is one dated run. File
problems (not JSON, not pages) raise :class:`WbsFileProblem`; everything inside a Termin is
read defensively, because saved exports are often partial.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from service.core.domain_errors import Invalid


class WbsFileProblem(Invalid):
    """The whole file is unusable (422, like a broken CSV file)."""

    def __init__(self, message: str, *, code: str = "not_wbs") -> None:
        super().__init__(message, code=code)


@dataclass(frozen=True, slots=True)
class RawRun:
    """One Termin as found, with where it was (for the per-row report)."""

    row: int  # running number over all files of one import, from 1
    source: str  # "Datei …, Seite n, Eintrag k"
    data: dict[str, Any]


def load_pages(data: bytes | str | Any) -> list[dict[str, Any]]:
    """The pages of one file; ``data`` may already be decoded JSON (the API's body)."""
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (UnicodeDecodeError, ValueError):
            raise WbsFileProblem(_("Die Datei ist kein gültiges JSON."), code="not_json") from None
    pages = data if isinstance(data, list) else [data]
    for page in pages:
        if not isinstance(page, dict) or not _is_page(page):
            raise WbsFileProblem(
                _(
                    "Kein Export der Weiterbildungssuche: erwartet wird eine Antwortseite "
                    "mit „_embedded.termine“ oder eine Liste solcher Seiten."
                )
            )
    return pages


def _is_page(page: dict[str, Any]) -> bool:
    embedded = page.get("_embedded")
    if isinstance(embedded, dict):
        return isinstance(embedded.get("termine", []), list)
    return embedded is None and isinstance(page.get("page"), dict)  # an empty result page


def runs(files: list[tuple[str, list[dict[str, Any]]]]) -> Iterator[RawRun]:
    """All Termine of all pages of all files, numbered in order."""
    row = 0
    for name, pages in files:
        for page_no, page in enumerate(pages, start=1):
            termine = (page.get("_embedded") or {}).get("termine") or []
            for entry_no, termin in enumerate(termine, start=1):
                row += 1
                source = f"{name}, Seite {page_no}, Eintrag {entry_no}"
                yield RawRun(row, source, termin if isinstance(termin, dict) else {})


def get(obj: Any, *path: str) -> Any:
    """``obj[path[0]][path[1]]…`` or None when any step is missing or of the wrong type."""
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def text(obj: Any, *path: str) -> str:
    value = get(obj, *path)
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def number(value: Any) -> float | None:
    """A number from a JSON number or a string such as "2450", "2450.00", "2.450,00"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str) or not value.strip():
        return None
    cleaned = value.strip().replace(" ", "").replace("€", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        result = float(cleaned)
    except ValueError:
        return None
    return result if math.isfinite(result) else None


def integer(value: Any) -> int | None:
    result = number(value)
    if result is None or result != int(result):
        return None
    return int(result)


def iso_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
