"""Web forms for sign-in, profiles and recommendation decisions; all carry a CSRF token.

Labels and help texts come from :mod:`service.web.labels`; messages are German (WTForms' own
German catalogue plus the messages written here).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

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
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from models.enums import (
    AgeBand,
    BenefitRegime,
    Citizenship,
    DecisionCorrectionReason,
    DecisionReason,
    District,
    Gender,
    GermanLevel,
    OutcomeStatus,
    RecognitionStatus,
    SchoolCertificate,
    VocationalQualification,
)
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


PROFILE_SELECTS: dict[str, type[StrEnum]] = {
    "age_band": AgeBand,
    "gender": Gender,
    "district": District,
    "citizenship": Citizenship,
    "german_level": GermanLevel,
    "school_certificate": SchoolCertificate,
    "vocational_qualification": VocationalQualification,
    "recognition_status": RecognitionStatus,
    "benefit_regime": BenefitRegime,
}
PROFILE_FLAGS = (
    "migration_background",
    "foreign_qualification",
    "care_duties",
    "single_parent",
    "driving_licence",
    "health_restriction",
)
PROFILE_NUMBERS = ("unemployment_months", "hours_available", "max_commute_minutes")


class ProfileForm(GermanForm):
    """Create and edit a pseudonymised profile; ``client_number`` only when creating."""

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
    age_band = EnumSelect("age_band", AgeBand)
    gender = EnumSelect("gender", Gender)
    district = EnumSelect("district", District)
    citizenship = EnumSelect("citizenship", Citizenship)
    migration_background = BooleanField(**_kw("migration_background"))
    german_level = EnumSelect("german_level", GermanLevel)
    school_certificate = EnumSelect("school_certificate", SchoolCertificate)
    vocational_qualification = EnumSelect("vocational_qualification", VocationalQualification)
    foreign_qualification = BooleanField(**_kw("foreign_qualification"))
    recognition_status = EnumSelect("recognition_status", RecognitionStatus)
    unemployment_months = _int("unemployment_months", 0, 600)
    benefit_regime = EnumSelect("benefit_regime", BenefitRegime)
    care_duties = BooleanField(**_kw("care_duties"))
    single_parent = BooleanField(**_kw("single_parent"))
    hours_available = _int("hours_available", 0, 60)
    driving_licence = BooleanField(**_kw("driving_licence"))
    max_commute_minutes = _int("max_commute_minutes", 0, 180)
    health_restriction = BooleanField(**_kw("health_restriction"))
    last_occupation = OccupationField("last_occupation")
    target_occupations = FieldList(
        OccupationField(label=gettext("Zielberuf")),
        **_kw("target_occupations"),
        min_entries=3,
        max_entries=5,
    )
    version = HiddenField()
    submit = SubmitField(gettext("Speichern"))

    def payload(self) -> dict[str, Any]:
        """Values in the shape of ``ProfileCreate`` / ``ProfileUpdate``."""
        data: dict[str, Any] = {name: getattr(self, name).data for name in PROFILE_SELECTS}
        data |= {name: bool(getattr(self, name).data) for name in PROFILE_FLAGS}
        data |= {name: getattr(self, name).data for name in PROFILE_NUMBERS}
        data["last_occupation"] = self.last_occupation.code
        targets = [entry.code for entry in self.target_occupations.entries]
        data["target_occupations"] = list(dict.fromkeys(code for code in targets if code))
        return data

    def field_for(self, path: str) -> Field | None:
        """The form field an API-style error path (``target_occupations.1``) refers to."""
        name, _, index = path.partition(".")
        field = getattr(self, name, None)
        if isinstance(field, FieldList) and index.isdigit():
            entries = [e for e in field.entries if e.code]
            return entries[int(index)] if int(index) < len(entries) else field
        return field if isinstance(field, Field) else None


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
