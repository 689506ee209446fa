"""Input rules shared by the account operations."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from models.enums import Role
from models.user import USERNAME_PATTERN
from service.accounts.errors import InvalidAccountInput

MAX_REASON = 200
MIN_PASSWORD = 12


def checked_reason(reason: str) -> str:
    """Why an administrator acts; required, so the audit trail can answer the question."""
    text = " ".join(reason.split())
    if len(text) < 3:
        raise InvalidAccountInput(_("Bitte einen Grund angeben (mindestens 3 Zeichen)."))
    if len(text) > MAX_REASON:
        raise InvalidAccountInput(
            _("Der Grund darf höchstens %(max_reason)s Zeichen lang sein.", max_reason=MAX_REASON)
        )
    return text


def checked_username(name: str) -> str:
    if not re.match(USERNAME_PATTERN, name):
        raise InvalidAccountInput(_("Benutzername: 3–64 Zeichen, Kleinbuchstaben, Ziffern, . _ -"))
    return name


def checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidAccountInput(
            _(
                "Das Passwort braucht mindestens %(min_password)s Zeichen.",
                min_password=MIN_PASSWORD,
            )
        )
    return password


def checked_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidAccountInput(_("Unbekannte Rolle.")) from None
