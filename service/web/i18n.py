"""The message catalogue: all user text, German; the texts a jobseeker takes home also translated.

Source texts are the German wording (``service/translations/messages.pot``; ``de`` is the
shipped catalogue); ``service/translations/<lang>/LC_MESSAGES/messages.po`` hold the handout's
translations and the compiled ``.mo`` files are committed beside them (``make translations``
extracts, updates and recompiles). Pages render German unless a handout asks for a language
with :func:`flask_babel.force_locale`; texts a handout language does not translate stay German.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_babel import Babel

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
#: Handout languages, each named in its own language.
LANGUAGES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "ru": "Русский",
}
RIGHT_TO_LEFT = frozenset({"ar"})


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "de")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Berlin")
    Babel(app, locale_selector=lambda: "de", default_translation_directories=str(TRANSLATIONS))


def language(code: str | None) -> str:
    """A supported handout language; German for anything else."""
    return code if code in LANGUAGES else "de"


def direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"
