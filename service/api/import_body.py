"""OpenAPI request body of ``POST /api/v1/offers/import``: a CSV file (multipart) or a saved
response of the federal course database (JSON); the view dispatches on the content type."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

# Saved exports are loose about types (numbers as strings, nulls), so only the shape is fixed.
_NUMBER_OR_TEXT: dict[str, Any] = {"description": _("Zahl oder Text, auch null")}
_DATE_OR_NULL: dict[str, Any] = {"description": _("Datum JJJJ-MM-TT oder null")}
WBS_PAGE: dict[str, Any] = {
    "type": "object",
    "description": _("Antwortseite der Weiterbildungssuche (Felder: docs/offer-import.md)."),
    "required": ["_embedded"],
    "properties": {
        "_embedded": {
            "type": "object",
            "properties": {
                "termine": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": _NUMBER_OR_TEXT,
                            "angebot": {"type": "object"},
                            "adresse": {"type": "object"},
                            "beginn": _DATE_OR_NULL,
                            "ende": _DATE_OR_NULL,
                            "individuellerEinstieg": {"type": "boolean"},
                            "kostenWert": _NUMBER_OR_TEXT,
                            "foerderung": {"type": "boolean"},
                            "link": {"description": _("Adresse der Kursseite")},
                            "ansprechpartner": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                }
            },
        },
        "page": {"type": "object"},
    },
}
IMPORT_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "provider_id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                },
            }
        },
        "application/json": {"schema": {"oneOf": [WBS_PAGE, {"type": "array", "items": WBS_PAGE}]}},
    },
}
