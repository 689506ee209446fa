"""Forms for partners' offers, the coordinator's review and providers."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    Field,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from models.columns import OFFER
from models.contact import POSTCODE_PATTERN, WEB_URL_PATTERN
from models.enums import (
    District,
    ProviderKind,
)
from service.offers.csv_format import CellError, parse_date
from service.web.forms import CHOOSE, REQUIRED, EnumSelect, GermanForm, _int, _kw, options
from service.web.labels import choices

CODES = re.compile(r"\d{5}")
DATE_HINT = _("Datum als TT.MM.JJJJ (oder JJJJ-MM-TT)")


class CheckboxGroup(SelectMultipleField):  # type: ignore[misc]
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _group(name: str, enum: Any) -> CheckboxGroup:
    return CheckboxGroup(**_kw(name), choices=options(choices(enum)), invalid_choice_message=CHOOSE)


def _enum(column: str) -> type[StrEnum]:
    """The categories of an offer column (``models.columns``)."""
    enum = OFFER[column].enum
    assert enum is not None
    return enum


def _bounded(column: str) -> Any:
    """A whole-number field with the offer column's bounds."""
    low, high = OFFER[column].low, OFFER[column].high
    assert low is not None
    assert high is not None
    return _int(column, low, high)


class OfferForm(GermanForm):
    title = StringField(**_kw("title"), validators=[InputRequired(REQUIRED), Length(3, 200)])
    external_ref = StringField(
        **_kw("external_ref"), validators=[InputRequired(REQUIRED), Length(1, 64)]
    )
    measure_type = EnumSelect("measure_type", _enum("measure_type"))
    description = TextAreaField(**_kw("description"), validators=[Length(max=5000)])
    target_occupations = StringField(**_kw("offer_occupations"))
    certificate = StringField(**_kw("certificate"), validators=[Length(max=200)])
    funding = _group("funding", _enum("funding"))
    format = EnumSelect("format", _enum("format"))
    hours_per_week = _bounded("hours_per_week")
    part_time_possible = BooleanField(**_kw("part_time_possible"))
    childcare = BooleanField(**_kw("childcare"))
    language = StringField(**_kw("language"), default="de", validators=[Length(2, 8)])
    min_german_level = EnumSelect("min_german_level", _enum("min_german_level"))
    duration_weeks = _bounded("duration_weeks")
    start_dates = StringField(**_kw("start_dates"))
    end_date = StringField(**_kw("end_date"), validators=[Optional(), Length(max=10)])
    seats_total = _bounded("seats_total")
    seats_free = _bounded("seats_free")
    district = EnumSelect("offer_district", _enum("district"))
    target_groups = _group("target_groups", _enum("target_groups"))
    cost_eur = DecimalField(
        **_kw("cost_eur"), places=2, validators=[Optional(), NumberRange(0, 1_000_000)]
    )
    venue_street = StringField(**_kw("venue_street"), validators=[Length(max=200)])
    venue_postcode = StringField(
        **_kw("venue_postcode"),
        validators=[Regexp(POSTCODE_PATTERN, message=_("Bitte eine fünfstellige Postleitzahl."))],
    )
    venue_city = StringField(**_kw("venue_city"), validators=[Length(max=100)])
    registration_url = StringField(
        **_kw("registration_url"),
        validators=[
            Length(max=500),
            Regexp(WEB_URL_PATTERN, message=_("Bitte eine Webadresse mit http:// oder https://.")),
        ],
    )
    registration_deadline = StringField(
        **_kw("registration_deadline"), validators=[Optional(), Length(max=10)]
    )
    azav_measure_number = StringField(**_kw("azav_measure_number"), validators=[Length(max=40)])
    funding_note = StringField(**_kw("funding_note"), validators=[Length(max=500)])
    submit = SubmitField(_("Speichern"))

    def validate_target_occupations(self, field: Field) -> None:
        rest = CODES.sub("", field.data or "").replace(",", "").strip()
        if rest:
            raise ValidationError(_("Nur fünfstellige KldB-Codes, durch Komma getrennt."))

    def validate_start_dates(self, field: Field) -> None:
        try:
            self.parsed_dates()
        except CellError:
            raise ValidationError(DATE_HINT + _(", mehrere durch Komma getrennt.")) from None

    def validate_end_date(self, field: Field) -> None:
        try:
            self.parsed_end()
        except CellError:
            raise ValidationError(DATE_HINT + ".") from None

    def validate_registration_deadline(self, field: Field) -> None:
        try:
            self.parsed_deadline()
        except CellError:
            raise ValidationError(DATE_HINT + ".") from None

    def parsed_dates(self) -> list[date]:
        """German (TT.MM.JJJJ) or ISO dates, as in the CSV import."""
        items = [p.strip() for p in (self.start_dates.data or "").split(",") if p.strip()]
        return sorted(parse_date(item) for item in items)

    def parsed_end(self) -> date | None:
        text = (self.end_date.data or "").strip()
        return parse_date(text) if text else None

    def parsed_deadline(self) -> date | None:
        text = (self.registration_deadline.data or "").strip()
        return parse_date(text) if text else None

    def occupation_codes(self) -> list[str]:
        return list(dict.fromkeys(CODES.findall(self.target_occupations.data or "")))

    def payload(self) -> dict[str, Any]:
        """JSON-ready values in the shape of ``OfferCreate``."""
        cost = self.cost_eur.data
        ref = self._fields.get("external_ref")
        values = {
            "external_ref": (ref.data or "").strip() if ref is not None else None,
            "title": (self.title.data or "").strip(),
            "description": self.description.data or "",
            "measure_type": self.measure_type.data,
            "target_occupations": list(
                dict.fromkeys(CODES.findall(self.target_occupations.data or ""))
            ),
            "certificate": self.certificate.data or "",
            "funding": list(self.funding.data or []),
            "format": self.format.data,
            "hours_per_week": self.hours_per_week.data,
            "part_time_possible": bool(self.part_time_possible.data),
            "childcare": bool(self.childcare.data),
            "language": (self.language.data or "de").strip(),
            "min_german_level": self.min_german_level.data,
            "duration_weeks": self.duration_weeks.data,
            "start_dates": [d.isoformat() for d in self.parsed_dates()],
            "end_date": end.isoformat() if (end := self.parsed_end()) else None,
            "seats_total": self.seats_total.data,
            "seats_free": self.seats_free.data,
            "district": self.district.data,
            "target_groups": list(self.target_groups.data or []),
            "cost_eur": float(cost) if cost is not None else None,
            "venue_street": _text(self.venue_street),
            "venue_postcode": _text(self.venue_postcode),
            "venue_city": _text(self.venue_city),
            "registration_url": _text(self.registration_url),
            "registration_deadline": d.isoformat() if (d := self.parsed_deadline()) else None,
            "azav_measure_number": _text(self.azav_measure_number),
            "funding_note": _text(self.funding_note),
        }
        return {k: v for k, v in values.items() if not (k == "external_ref" and v is None)}

    @classmethod
    def data_of(cls, offer: dict[str, Any]) -> dict[str, Any]:
        """Form data from an offer's public dict."""
        data = dict(offer)
        data["target_occupations"] = ", ".join(offer.get("target_occupations") or [])
        data["start_dates"] = ", ".join(_german(d) for d in offer.get("start_dates") or [])
        end = offer.get("end_date")
        data["end_date"] = _german(end) if end else ""
        deadline = offer.get("registration_deadline")
        data["registration_deadline"] = _german(deadline) if deadline else ""
        return data


def _text(field: Field) -> str:
    return str(field.data or "").strip()


def _german(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


REVIEW_CHOICES = [
    ("approve", _("Freigeben")),
    ("request_changes", _("Änderungen erbitten")),
    ("reject", _("Ablehnen")),
]


class ReviewForm(GermanForm):
    decision = RadioField(
        _("Entscheidung"),
        choices=options(REVIEW_CHOICES),
        validators=[InputRequired(_("Bitte eine Entscheidung wählen."))],
        invalid_choice_message=CHOOSE,
    )
    reason = TextAreaField(**_kw("reason"), validators=[Length(max=1000)])
    submit = SubmitField(_("Entscheidung speichern"))

    def validate_reason(self, field: Field) -> None:
        if self.decision.data in ("request_changes", "reject") and not (field.data or "").strip():
            raise ValidationError(
                _("Bei Ablehnung oder Änderungswunsch ist eine Begründung nötig.")
            )


def _upload_field(
    text: str, description: str, extensions: list[str], wrong_type: str, accept: str
) -> Any:
    """A required file field of the import forms that takes only the given file endings.

    ``accept`` lets the browser's file picker offer the same files the validator takes.
    """
    return FileField(
        text,
        description=description,
        render_kw={"accept": accept},
        validators=[
            FileRequired(_("Bitte eine Datei auswählen.")),
            FileAllowed(extensions, wrong_type),
        ],
    )


class ImportForm(GermanForm):
    file = _upload_field(
        _("CSV-Datei"),
        _("Semikolon-getrennt, UTF-8; Aufbau wie in der Vorlage."),
        ["csv", "txt"],
        _("Nur CSV-Dateien."),
        ".csv,text/csv",
    )
    submit = SubmitField(_("Hochladen und prüfen"))


class WbsImportForm(GermanForm):
    file = _upload_field(
        _("Export der Weiterbildungssuche (JSON)"),
        _("Eine gespeicherte Antwortseite oder eine Liste von Seiten."),
        ["json"],
        _("Nur JSON-Dateien."),
        ".json,application/json",
    )
    submit = SubmitField(_("Importieren und zur Prüfung einreichen"))


class ProviderForm(GermanForm):
    name = StringField(_("Name des Trägers"), validators=[InputRequired(REQUIRED), Length(2, 200)])
    kind = EnumSelect("provider_kind", ProviderKind)
    district = EnumSelect("district", District)
    azav_certified = BooleanField("AZAV-zertifiziert")
    street = StringField(_("Straße und Hausnummer"), validators=[Length(max=200)])
    postcode = StringField("PLZ", validators=[Length(max=10)])
    city = StringField(_("Ort"), default="Krefeld", validators=[Length(max=100)])
    phone = StringField(_("Telefon"), validators=[Length(max=40)])
    email = StringField("E-Mail", validators=[Length(max=200)])
    website = StringField(
        _("Webseite"), description=_("Mit https:// beginnend."), validators=[Length(max=300)]
    )
    contact_role = StringField(
        _("Ansprechstelle"),
        description=_("Eine Funktion wie „Kursberatung“, keine Namen von Beschäftigten."),
        validators=[Length(max=100)],
    )
    submit = SubmitField(_("Träger anlegen"))

    CONTACT_FIELDS = ("street", "postcode", "city", "phone", "email", "website", "contact_role")
