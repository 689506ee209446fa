"""Plausibility of an outcome as dated facts: which dates a status needs or forbids, and from
when an employment status "6 (12) months after" can be known.

The reference day of an employment status is 6 (12) months after the measure's end, or after
the decision when no measure was taken. It is computed here, so a status can never be recorded
before the day it refers to.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from models.enums import OutcomeStatus
from models.recommendation import OutcomeFacts
from service.core.domain_errors import Invalid

TOOK_PART = (OutcomeStatus.STARTED, OutcomeStatus.COMPLETED, OutcomeStatus.DROPPED)
ENDED = (OutcomeStatus.COMPLETED, OutcomeStatus.DROPPED)
HORIZONS = {"employed_6m": 6, "employed_12m": 12}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31.08. + 6 → 28.02.)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def german(day: date) -> str:
    return f"{day:%d.%m.%Y}"


@dataclass(frozen=True)
class OutcomeContext:
    """What the checks need besides the facts: today, and the dates of the recommendation and
    of the current final decision it refers to (``None`` without a recommendation)."""

    today: date
    recommended_on: date | None = None
    decided_on: date | None = None


class _Errors:
    def __init__(self) -> None:
        self.details: list[dict[str, Any]] = []

    def add(self, field: str, code: str, message: str) -> None:
        if not any(d["field"] == field for d in self.details):  # first problem per field
            self.details.append({"field": field, "code": code, "message": message})


def checked_facts(facts: OutcomeFacts, context: OutcomeContext) -> dict[str, Any]:
    """The facts with both reference days filled in; 422 with every field error otherwise."""
    errors = _Errors()
    _check_future(facts, context, errors)
    _check_measure_dates(facts, context, errors)
    values = {name: getattr(facts, name) for name in OutcomeFacts.model_fields}
    base = _reference_base(facts, context)
    for name, months in HORIZONS.items():
        values[f"{name}_on"] = _check_employment(facts, name, months, base, context, errors)
    if errors.details:
        raise Invalid(details=errors.details)
    return values


def _check_future(facts: OutcomeFacts, context: OutcomeContext, errors: _Errors) -> None:
    for name in ("started_on", "ended_on", "employed_6m_on", "employed_12m_on"):
        value = getattr(facts, name)
        if value is not None and value > context.today:
            errors.add(name, "in_future", _("Das Datum liegt in der Zukunft."))


def _check_measure_dates(facts: OutcomeFacts, context: OutcomeContext, errors: _Errors) -> None:
    status = facts.status
    if status == OutcomeStatus.NOT_STARTED:
        for name, what in (("started_on", "Beginn"), ("ended_on", "Ende")):
            if getattr(facts, name) is not None:
                errors.add(
                    name,
                    "contradiction",
                    _(
                        "Bei „nicht begonnen“ darf kein %(what)s der Maßnahme angegeben sein.",
                        what=what,
                    ),
                )
        return
    if facts.started_on is None:
        errors.add("started_on", "required", _("Bitte den Beginn der Maßnahme angeben."))
    elif context.recommended_on is not None and facts.started_on < context.recommended_on:
        errors.add(
            "started_on",
            "before_recommendation",
            _(
                "Der Beginn liegt vor der Empfehlung vom %(date)s.",
                date=german(context.recommended_on),
            ),
        )
    if status == OutcomeStatus.STARTED:
        if facts.ended_on is not None:
            errors.add(
                "ended_on",
                "contradiction",
                _(
                    "Eine laufende Maßnahme hat noch kein Ende; bitte „abgeschlossen“ oder "
                    "„abgebrochen“ wählen."
                ),
            )
        return
    if facts.ended_on is None:
        errors.add("ended_on", "required", _("Bitte das Ende der Maßnahme angeben."))
    elif facts.started_on is not None and facts.ended_on < facts.started_on:
        errors.add("ended_on", "before_start", _("Das Ende liegt vor dem Beginn der Maßnahme."))


def _reference_base(facts: OutcomeFacts, context: OutcomeContext) -> date | None:
    """The day employment is counted from: the measure's end, or the decision (no measure)."""
    if facts.status in ENDED:
        return facts.ended_on
    if facts.status == OutcomeStatus.NOT_STARTED:
        return context.decided_on or context.recommended_on
    return None  # still running: no employment status yet


def _check_employment(
    facts: OutcomeFacts,
    name: str,
    months: int,
    base: date | None,
    context: OutcomeContext,
    errors: _Errors,
) -> date | None:
    status, given_on = getattr(facts, name), getattr(facts, f"{name}_on")
    if status is None:
        if given_on is not None:
            errors.add(f"{name}_on", "without_status", _("Stichtag ohne Beschäftigungsstand."))
        return None
    if base is None:
        message = (
            _(
                "Der Beschäftigungsstand nach %(months)s Monaten kann erst nach dem Ende der "
                "Maßnahme erfasst werden.",
                months=months,
            )
            if facts.status == OutcomeStatus.STARTED
            else _("Ohne Empfehlung fehlt der Bezugstag; bitte die Empfehlung angeben.")
        )
        errors.add(name, "no_reference_day", message)
        return None
    earliest = add_months(base, months)
    if given_on is not None and given_on < earliest:
        errors.add(
            f"{name}_on",
            "too_early",
            _(
                "Der Stichtag liegt vor dem %(date)s (%(months)s Monate nach %(reference)s).",
                date=german(earliest),
                months=months,
                reference=_("Maßnahmeende") if facts.status in ENDED else _("der Entscheidung"),
            ),
        )
        return None
    reference = given_on or earliest
    if reference > context.today:
        errors.add(
            name,
            "not_yet_known",
            _(
                "Der Beschäftigungsstand nach %(months)s Monaten kann erst ab dem %(date)s "
                "erfasst werden.",
                months=months,
                date=german(reference),
            ),
        )
        return None
    return reference
