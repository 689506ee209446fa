"""Message markers for user-facing text made in ``training`` (reasons, gate results, model card).

``training`` must not import Flask, so it has its own ``_``/``ngettext`` with the same names that
``pybabel extract`` looks for: the texts land in the one catalogue
(``service/translations/messages.pot``). Source texts are German, the shipped language, so
the default translations are the identity (:class:`gettext.NullTranslations`); a caller that
wants another catalogue installs it with :func:`use`.
"""

from __future__ import annotations

import gettext as _stdlib

_translations: _stdlib.NullTranslations = _stdlib.NullTranslations()


def use(translations: _stdlib.NullTranslations) -> None:
    """Translate with ``translations`` from now on (e.g. ``babel.support.Translations``)."""
    global _translations
    _translations = translations


def gettext(message: str, **variables: object) -> str:
    """``message`` in the current language, ``%(name)s`` filled from ``variables``."""
    text = _translations.gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """Singular or plural by ``num`` (available as ``%(num)d``), as flask_babel does it."""
    variables.setdefault("num", num)
    return _translations.ngettext(singular, plural, num) % variables


_ = gettext
