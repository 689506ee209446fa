"""Fixture files of the course-database import and how the tests send them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

WBS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "wbs"
FIRST = ("krefeld_page1.json", "krefeld_pages2-3.json")
CHANGED = ("krefeld_page1_changed.json", "krefeld_pages2-3.json")
# Names of contact persons in the fixtures; none may end up in the database.
STAFF_NAMES = ("Musterfrau", "Sabine", "Beispielmann", "Probst", "Petra", "Yilmaz", "Schmitz")


def pages(*names: str) -> list[dict[str, Any]]:
    """All pages of the named files as one JSON list (what the API takes)."""
    result: list[dict[str, Any]] = []
    for name in names:
        data = json.loads((WBS_DIR / name).read_text(encoding="utf-8"))
        result.extend(data if isinstance(data, list) else [data])
    return result


def post(client: Any, actor: Any, body: Any) -> Any:
    return client.post("/api/v1/offers/import", json=body, headers=actor.headers)
