"""An offer's content as one validated value: conversion between rows, API data and storage.

JSON columns hold JSON-native values, so start dates are stored as ISO strings and parsed back
through :class:`~models.offer.OfferBase` whenever an offer's content is needed as a whole.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError
from sqlmodel import Session

from models.offer import Offer, OfferBase
from service.core.domain_errors import Invalid, validation_details
from service.occupations import unknown_codes

CONTENT_FIELDS: tuple[str, ...] = tuple(OfferBase.model_fields)

CUSTOM_MESSAGES = {
    "end_before_start": _("Das Enddatum liegt vor dem letzten Starttermin."),
    "seats_free_exceeds_total": _("Es sind mehr freie Plätze als Plätze insgesamt angegeben."),
    "unknown_kldb": _("Unbekannter KldB-Code (5-stellige Berufsgattung erwartet)."),
}
CUSTOM_FIELDS = {"end_before_start": "end_date", "seats_free_exceeds_total": "seats_free"}


def content_of(offer: Offer) -> OfferBase:
    """The stored content, validated (it was valid when written)."""
    return OfferBase.model_validate({name: getattr(offer, name) for name in CONTENT_FIELDS})


def storage_values(content: OfferBase) -> dict[str, Any]:
    """Column values: JSON columns JSON-ready, date columns as ``date``."""
    values = content.model_dump(mode="json")
    values["end_date"] = content.end_date
    values["registration_deadline"] = content.registration_deadline
    return values


def german_details(exc: ValidationError) -> list[dict[str, Any]]:
    details = validation_details(exc)
    for detail in details:
        if detail["code"] in CUSTOM_MESSAGES:
            detail["message"] = CUSTOM_MESSAGES[detail["code"]]
            detail["field"] = detail["field"] or CUSTOM_FIELDS.get(detail["code"])
    return details


def validated(values: dict[str, Any]) -> OfferBase:
    """Validate a full content dict; 422 with German details per field."""
    try:
        return OfferBase.model_validate(values)
    except ValidationError as exc:
        raise Invalid(details=german_details(exc)) from None


def merged(offer: Offer, changes: dict[str, Any]) -> OfferBase:
    """The content after applying JSON-form ``changes``; cross-field rules see the whole offer."""
    return validated(content_of(offer).model_dump(mode="json") | changes)


def code_errors(session: Session, codes: list[str]) -> list[dict[str, Any]]:
    """One detail per unknown KldB code, naming its position."""
    return [
        {
            "field": f"target_occupations.{i}",
            "code": "unknown_kldb",
            "message": CUSTOM_MESSAGES["unknown_kldb"],
        }
        for i, code in enumerate(codes)
        if unknown_codes(session, [code])
    ]


def check_codes(session: Session, codes: list[str]) -> None:
    details = code_errors(session, codes)
    if details:
        raise Invalid(details=details)


def changed_fields(before: OfferBase, after: OfferBase) -> dict[str, Any]:
    """Fields whose JSON form differs, with the new JSON-ready value."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return {name: new[name] for name in CONTENT_FIELDS if old[name] != new[name]}
