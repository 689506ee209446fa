"""Errors of the domain: what went wrong, in German, without any idea of HTTP or a terminal.

Domain modules raise these; the adapters translate them: :mod:`service.core.errors` to an HTTP
status and the JSON error envelope, :mod:`service.cli.errors` to a ``click`` error, the web
views to form errors or flashes.

Each error has a machine ``code`` (stable, e.g. ``"decision_exists"``), a German ``message``
for the person acting, ``details`` (one entry per field: ``field``, ``code``, ``message``) and
``extra`` (facts that help the caller recover, e.g. ``current_version``). A subclass gives the
kind; the defaults are the kind's code and message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from flask_babel import gettext as _
from pydantic import ValidationError


class CodedError(Exception):
    """An error as it is reported: machine ``code``, German ``message``, ``details``, ``extra``."""

    def __init__(
        self, code: str, message: str, details: Sequence[dict[str, Any]], extra: dict[str, Any]
    ) -> None:
        self.code = code
        self.message = message
        self.details = list(details)
        self.extra = extra
        super().__init__(message)


class DomainError(CodedError):
    """A request the domain cannot carry out as asked."""

    default_code: ClassVar[str] = "bad_request"
    default_message: ClassVar[str] = _("Die Anfrage ist fehlerhaft.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: Sequence[dict[str, Any]] = (),
        extra: dict[str, Any] | None = None,
    ) -> None:
        message = message or self.default_message
        super().__init__(code or self.default_code, message, details, dict(extra or {}))


class NotFound(DomainError):
    """No such object, or none the caller may see (both look the same to the caller)."""

    default_code = "not_found"
    default_message = _("Nicht gefunden.")


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    default_code = "forbidden"
    default_message = _("Für diese Aktion fehlt die Berechtigung.")


class Conflict(DomainError):
    """The request contradicts the current state (a duplicate, a lost race, a wrong status)."""

    default_code = "conflict"
    default_message = _("Konflikt mit dem aktuellen Zustand.")


class Invalid(DomainError):
    """The input breaks a rule; ``details`` names the fields (never their values)."""

    default_code = "validation_error"
    default_message = _("Die Eingaben sind ungültig.")


def invalid_field(field: str, message: str, *, code: str = "invalid") -> Invalid:
    """One field breaks one rule."""
    return Invalid(details=[{"field": field, "code": code, "message": message}])


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    """Field, rule and a German hint per error — never the offending input."""
    details = []
    for err in exc.errors(include_input=False, include_url=False, include_context=False):
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query", "path")]
        details.append(
            {"field": ".".join(loc) or None, "code": err["type"], "message": _german(err["type"])}
        )
    return details


def _german(error_type: str) -> str:
    messages = {
        "missing": _("Pflichtfeld fehlt."),
        "null_not_allowed": _("Darf nicht null sein; zum Beibehalten das Feld weglassen."),
        "enum": _("Wert ist nicht in der erlaubten Liste."),
        "literal_error": _("Wert ist nicht in der erlaubten Liste."),
        "string_pattern_mismatch": _("Format ist ungültig."),
        "string_too_short": _("Text ist zu kurz."),
        "string_too_long": _("Text ist zu lang."),
        "too_long": _("Zu viele Einträge."),
        "greater_than_equal": _("Wert ist zu klein."),
        "less_than_equal": _("Wert ist zu groß."),
        "int_parsing": _("Ganze Zahl erwartet."),
        "int_type": _("Ganze Zahl erwartet."),
        "bool_parsing": _("Ja/Nein-Wert erwartet."),
        "bool_type": _("Ja/Nein-Wert erwartet."),
        "extra_forbidden": _("Unbekanntes Feld."),
        "date_from_datetime_parsing": _("Datum im Format JJJJ-MM-TT erwartet."),
        "date_parsing": _("Datum im Format JJJJ-MM-TT erwartet."),
        "value_error": _("Wert ist ungültig."),
        "model_attributes_type": _("JSON-Objekt erwartet."),
        "dict_type": _("JSON-Objekt erwartet."),
        "list_type": _("Liste erwartet."),
        "from_district_required": _("Für die Sortierung nach Fahrzeit den Wohnbezirk angeben."),
    }
    return str(messages.get(error_type, _("Wert ist ungültig.")))
