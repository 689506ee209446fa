"""Forms of the account pages: the user's own password and tokens, the admin's account actions."""

from __future__ import annotations

from flask_babel import gettext as _
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from models.enums import Role
from service.accounts.validation import MAX_REASON, MIN_PASSWORD
from service.web.forms import REQUIRED, EnumSelect, GermanForm
from service.web.labels import label

REASON_HELP = _("Wird mit Ihrem Namen im Prüfprotokoll gespeichert.")


def _reason_field() -> StringField:
    return StringField(
        _("Grund"),
        description=REASON_HELP,
        validators=[InputRequired(REQUIRED), Length(3, MAX_REASON)],
    )


def _provider_field() -> SelectField:
    """The provider of a partner account; the view fills in the choices."""
    return SelectField(
        _("Träger"), description=_("Nur für Partner-Konten."), choices=[], validate_choice=False
    )


def chosen_provider(form: UserForm | RoleForm) -> int | None:
    """The provider picked in the form, ``None`` for "kein Träger"."""
    return int(form.provider_id.data) if form.provider_id.data else None


class UserForm(GermanForm):
    username = StringField(
        label("username"),
        description="3–64 Zeichen: Kleinbuchstaben, Ziffern, Punkt, Unterstrich, Bindestrich.",
        validators=[InputRequired(REQUIRED), Length(3, 64)],
    )
    role = EnumSelect("role", Role)
    provider_id = _provider_field()
    password = PasswordField(
        label("password"),
        description=_("Mindestens 12 Zeichen."),
        validators=[InputRequired(REQUIRED), Length(min=12, message=_("Mindestens 12 Zeichen."))],
    )
    submit = SubmitField(_("Benutzer anlegen"))


class ReasonForm(GermanForm):
    """An account action that needs nothing but a reason (deactivate, reset, ...)."""

    reason = _reason_field()


class RoleForm(GermanForm):
    role = EnumSelect("role", Role)
    provider_id = _provider_field()
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
