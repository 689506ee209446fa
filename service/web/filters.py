"""Jinja filters that format numbers, dates and codes the German way."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from service.web import labels

BERLIN = ZoneInfo("Europe/Berlin")


def decimal(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(probability: float | None, digits: int = 0) -> str:
    """0.291 → '29 %'."""
    return "–" if probability is None else f"{decimal(probability * 100, digits)} %"


def points(value: float | None) -> str:
    """Percentage points with sign: 8.3 → '+8,3 Pp.'."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{decimal(abs(value))} Pp."


def german_date(value: date | datetime | str | None, with_time: bool = False) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, datetime):
        local = value.astimezone(BERLIN) if value.tzinfo else value
        return local.strftime("%d.%m.%Y %H:%M" if with_time else "%d.%m.%Y")
    return value.strftime("%d.%m.%Y")


def enum_label(value: Any, enum_name: str) -> str:
    enum = labels.enum_by_name()[enum_name]
    return labels.value_label(enum, value)


def flatten_errors(errors: Any) -> str:
    """WTForms errors of a field list are nested; show them as one sentence list."""
    if isinstance(errors, dict):
        errors = list(errors.values())
    if isinstance(errors, list | tuple):
        return " ".join(flatten_errors(e) for e in errors if e)
    return str(errors)


def register(app: Flask) -> None:
    app.add_template_filter(flatten_errors, "flatten_errors")
    app.add_template_filter(decimal, "decimal")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(points, "points")
    app.add_template_filter(german_date, "date_de")
    app.add_template_filter(enum_label, "de")
    app.add_template_global(labels.label, "label")
    app.add_template_global(labels.help_text, "help_text")
    app.jinja_env.globals["YES_NO"] = labels.YES_NO
