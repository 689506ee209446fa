"""Web forms for sign-in, profiles and recommendation decisions; all carry a CSRF token.

Labels and help texts come from :mod:`service.web.labels`; messages are German (WTForms' own
German catalogue plus the messages written here).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask import abort
from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from models.columns import PROFILE_COLUMNS, ColumnSpec, Kind
from models.enums import DecisionCorrectionReason, DecisionReason, OutcomeStatus
from service.web.labels import choices, help_text, label

REQUIRED = gettext("Bitte ausfüllen.")
CHOOSE = gettext("Bitte einen Eintrag aus der Liste wählen.")
TRI_STATE = [("", gettext("noch offen")), ("yes", "ja"), ("no", "nein")]
KLDB = re.compile(r"^\s*(\d{5})\b")


class GermanForm(FlaskForm):  # type: ignore[misc]
    class Meta:
        locales = ("de_DE", "de")


def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in pairs]


def _kw(name: str) -> dict[str, Any]:
    return {"label": label(name), "description": help_text(name)}


class EnumSelect(SelectField):  # type: ignore[misc]
    """A select over an enum with a German placeholder and a German 'not in list' message."""

    def __init__(
        self, key: str, enum: type[StrEnum], *, required: bool = True, **kwargs: Any
    ) -> None:
        validators = [InputRequired(REQUIRED)] if required else [Optional()]
        super().__init__(
            **_kw(key),
            choices=options([("", gettext("Bitte wählen …")), *choices(enum)]),
            validators=validators,
            invalid_choice_message=CHOOSE,
            **kwargs,
        )


class OccupationField(StringField):  # type: ignore[misc]
    """Free text with autocomplete; the leading five-digit KldB code is what counts."""

    def __init__(self, key: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("validators", [Optional()])
        if key:
            kwargs.update(_kw(key))
        super().__init__(**kwargs)

    @property
    def code(self) -> str | None:
        match = KLDB.match(self.data or "")
        return match.group(1) if match else None

    def pre_validate(self, form: Any) -> None:
        if (self.data or "").strip() and self.code is None:
            raise ValidationError(gettext("Bitte einen Beruf aus der Vorschlagsliste wählen."))


def _int(name: str, low: int, high: int) -> IntegerField:
    return IntegerField(
        **_kw(name),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                low,
                high,
                gettext("Bitte eine Zahl von %(low)s bis %(high)s eingeben.", low=low, high=high),
            ),
        ],
    )


class LoginForm(GermanForm):
    username = StringField(label("username"), validators=[InputRequired(REQUIRED), Length(max=64)])
    password = PasswordField(label("password"), validators=[InputRequired(REQUIRED)])
    submit = SubmitField(gettext("Anmelden"))


class TotpForm(GermanForm):
    code = StringField(
        **_kw("totp_code"),
        validators=[InputRequired(REQUIRED), Regexp(r"^\d{6}$", message=gettext("Sechs Ziffern."))],
    )
    submit = SubmitField(gettext("Bestätigen"))


class LogoutForm(GermanForm):
    """Only the CSRF token: sign-out is a POST, so no other site can log a user out."""


class ConfirmForm(GermanForm):
    """A button that changes state and needs nothing but the CSRF token."""


def require_confirmation() -> None:
    """400 unless the posted :class:`ConfirmForm` carries a valid CSRF token."""
    if not ConfirmForm().validate_on_submit():
        abort(400)


TARGET_ENTRIES = 3  # empty target occupation inputs shown on a new profile


def _asked(column: ColumnSpec) -> bool:
    """A select must be filled in when the model requires it or the page places it in a section;
    otherwise an empty choice leaves the model's default."""
    return column.required or any(column.name in names for names in PROFILE_SECTIONS.values())


def _column_field(column: ColumnSpec) -> Any:
    """The form field of one profile column, from its kind, categories and bounds."""
    if column.kind is Kind.CATEGORY:
        assert column.enum is not None
        return EnumSelect(column.name, column.enum, required=_asked(column))
    if column.kind is Kind.FLAG:
        return BooleanField(**_kw(column.name))
    if column.kind is Kind.COUNT:
        assert column.low is not None
        assert column.high is not None
        return _int(column.name, column.low, column.high)
    if column.kind is Kind.CODE:
        return OccupationField(column.name)
    if column.kind is Kind.CODES:
        return FieldList(
            OccupationField(label="Zielberuf"),
            **_kw(column.name),
            min_entries=TARGET_ENTRIES,
            max_entries=column.max_items,
        )
    raise TypeError(f"no profile form field for {column.kind}")


class ProfileForm(GermanForm):
    """Create and edit a pseudonymised profile; ``client_number`` only when creating.

    One field per profile column (``models.columns.PROFILE_COLUMNS``), added below the class.
    """

    client_number = StringField(
        **_kw("client_number"),
        validators=[
            InputRequired(REQUIRED),
            Length(3, 32, gettext("3 bis 32 Zeichen.")),
            Regexp(
                r"^[A-Za-z0-9\-]+$", message=gettext("Nur Buchstaben, Ziffern und Bindestrich.")
            ),
        ],
    )

    def payload(self) -> dict[str, Any]:
        """Values in the shape of ``ProfileCreate`` / ``ProfileUpdate``."""
        data: dict[str, Any] = {}
        for column in PROFILE_COLUMNS:
            field = getattr(self, column.name)
            if column.kind is Kind.FLAG:
                data[column.name] = bool(field.data)
            elif column.kind is Kind.CODE:
                data[column.name] = field.code
            elif column.kind is Kind.CODES:
                codes = [entry.code for entry in field.entries]
                data[column.name] = list(dict.fromkeys(code for code in codes if code))
            elif field.data not in ("", None) or _asked(column):
                data[column.name] = field.data
        return data

    def sections(self) -> list[tuple[str, list[Field]]]:
        """The page's sections with their fields, in order (see ``PROFILE_SECTIONS``)."""
        named = [*PROFILE_SECTIONS.items(), (OTHER_SECTION, PROFILE_OTHER_COLUMNS)]
        return [(legend, [getattr(self, n) for n in names]) for legend, names in named if names]

    def field_for(self, path: str) -> Field | None:
        """The form field an API-style error path (``target_occupations.1``) refers to."""
        name, _, index = path.partition(".")
        field = getattr(self, name, None)
        if isinstance(field, FieldList) and index.isdigit():
            entries = [e for e in field.entries if e.code]
            return entries[int(index)] if int(index) < len(entries) else field
        return field if isinstance(field, Field) else None


#: The sections of the profile page (``counsellor/profile_form.html``) and their columns; any
#: other column appears under ``OTHER_SECTION``.
PROFILE_SECTIONS: dict[str, tuple[str, ...]] = {
    "Person": ("age_band", "gender", "district", "citizenship", "migration_background"),
    "Sprache und Qualifikation": (
        "german_level",
        "school_certificate",
        "vocational_qualification",
        "recognition_status",
        "foreign_qualification",
    ),
    "Lebenslage und Verfügbarkeit": (
        "unemployment_months",
        "benefit_regime",
        "hours_available",
        "max_commute_minutes",
        "care_duties",
        "single_parent",
        "driving_licence",
        "health_restriction",
    ),
}
OTHER_SECTION = "Weitere Angaben"
#: Profile columns outside the sections above (the occupations have a section of their own).
PROFILE_OTHER_COLUMNS: tuple[str, ...] = tuple(
    c.name
    for c in PROFILE_COLUMNS
    if c.kind not in (Kind.CODE, Kind.CODES)
    and not any(c.name in names for names in PROFILE_SECTIONS.values())
)
for _column in PROFILE_COLUMNS:
    setattr(ProfileForm, _column.name, _column_field(_column))
ProfileForm.version = HiddenField()
ProfileForm.submit = SubmitField("Speichern")


class DecisionForm(GermanForm):
    offer_id = HiddenField()
    reason_code = EnumSelect("reason_code", DecisionReason)


GERMAN_DATE = "%d.%m.%Y"


def parse_date(text: str | None) -> date | None:
    """A German date (TT.MM.JJJJ) or an ISO date (what a date picker sends); empty is None."""
    value = (text or "").strip()
    if not value:
        return None
    for pattern in (GERMAN_DATE, "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _german_date(_form: Any, field: Field) -> None:
    try:
        parse_date(field.data)
    except ValueError:
        raise ValidationError(gettext("Bitte ein Datum im Format TT.MM.JJJJ angeben.")) from None


def _date_field(text: str) -> StringField:
    return StringField(
        text,
        validators=[Optional(), _german_date],
        description="TT.MM.JJJJ",
        render_kw={"inputmode": "numeric", "placeholder": "TT.MM.JJJJ"},
    )


class DecisionCorrectionForm(GermanForm):
    offer_id = HiddenField()
    reason_code = EnumSelect("reason_code", DecisionReason)
    correction_reason = EnumSelect("correction_reason", DecisionCorrectionReason)


class OutcomeForm(GermanForm):
    status = EnumSelect("status", OutcomeStatus)
    offer_id = HiddenField()
    started_on = _date_field(gettext("Beginn der Maßnahme"))
    ended_on = _date_field(gettext("Ende der Maßnahme (Abschluss oder Abbruch)"))
    employed_6m = SelectField(
        gettext("Sozialversicherungspflichtig beschäftigt nach 6 Monaten"),
        choices=options(TRI_STATE),
        invalid_choice_message=CHOOSE,
    )
    employed_12m = SelectField(
        gettext("Sozialversicherungspflichtig beschäftigt nach 12 Monaten"),
        choices=options(TRI_STATE),
        invalid_choice_message=CHOOSE,
    )
    submit = SubmitField(gettext("Ergebnis speichern"))

    @staticmethod
    def tri_state(value: str | None) -> bool | None:
        return {"yes": True, "no": False}.get(value or "")
