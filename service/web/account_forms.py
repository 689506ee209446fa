"""Forms of the account pages: the user's own password and tokens, the admin's account actions."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from models.enums import Role
from service.accounts.validation import MAX_REASON, MIN_PASSWORD
from service.web.forms import REQUIRED, EnumSelect, GermanForm

REASON_HELP = _("Wird mit Ihrem Namen im Prüfprotokoll gespeichert.")


def _reason_field() -> StringField:
    return StringField(
        _("Grund"),
        description=REASON_HELP,
        validators=[InputRequired(REQUIRED), Length(3, MAX_REASON)],
    )


class ReasonForm(GermanForm):
    """An account action that needs nothing but a reason (deactivate, reset, ...)."""

    reason = _reason_field()


class RoleForm(GermanForm):
    role = EnumSelect("role", Role)
    provider_id = SelectField(
        _("Träger"), description=_("Nur für Partner-Konten."), choices=[], validate_choice=False
    )
    reason = _reason_field()
    submit = SubmitField(_("Rolle ändern"))


class TokenRequestForm(GermanForm):
    label = StringField(
        _("Bezeichnung"),
        description=_("Wofür das Token gedacht ist, z. B. Fachverfahren-Schnittstelle."),
        validators=[InputRequired(REQUIRED), Length(1, 100)],
    )
    reason = _reason_field()
    submit = SubmitField(_("Token zum Abholen anlegen"))


class PasswordChangeForm(GermanForm):
    current = PasswordField(
        _("Bisheriges Passwort oder Einmalcode"), validators=[InputRequired(REQUIRED)]
    )
    new = PasswordField(
        _("Neues Passwort"),
        description=_("Mindestens %(min_password)s Zeichen.", min_password=MIN_PASSWORD),
        validators=[
            InputRequired(REQUIRED),
            Length(
                min=MIN_PASSWORD,
                message=_("Mindestens %(min_password)s Zeichen.", min_password=MIN_PASSWORD),
            ),
        ],
    )
    repeat = PasswordField(
        _("Neues Passwort wiederholen"),
        validators=[InputRequired(REQUIRED), EqualTo("new", message=_("Stimmt nicht überein."))],
    )
    submit = SubmitField(_("Passwort ändern"))
