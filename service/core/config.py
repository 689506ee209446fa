"""All settings, read once from the environment (or a mapping in tests), validated up front."""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _
from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

INSTANCE_DIR = Path(os.environ.get("QUALIMATCH_INSTANCE_DIR", Path.cwd() / "instance"))
DEV_SECRET = "dev-secret-change-me"  # noqa: S105 - refused in production, see _validate()
DEV_PSEUDONYM_KEY = "dev-pseudonym-key-change-me"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def _default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'qualimatch.sqlite3'}"


class Settings(BaseSettings):
    """Each field is read from the environment variable of its name in capitals
    (``environment`` from ``QUALIMATCH_ENV``); an empty variable counts as unset."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        env_ignore_empty=True,
        coerce_numbers_to_str=True,
        validate_default=False,
    )

    database_url: str = Field(default_factory=_default_database_url)
    secret_key: str = Field(default=DEV_SECRET, repr=False)
    pseudonym_key: str = Field(default=DEV_PSEUDONYM_KEY, repr=False)
    redis_url: str | None = None
    log_level: str = "INFO"
    environment: str = Field(  # development | production | test
        default="development",
        validation_alias=AliasChoices("QUALIMATCH_ENV", "ENVIRONMENT", "environment"),
    )
    token_ttl_days: int = 90
    max_upload_bytes: int = 5 * 1024 * 1024
    max_import_rows: int = 20_000
    model_refresh_seconds: int = 10
    recommendation_retention_days: int = 183
    profile_inactive_days: int = 730
    rate_limits_enabled: bool = True
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    session_idle_minutes: int = 30  # a web session ends after this long without a request
    session_max_hours: int = 12  # ... and this long after sign-in, however busy
    rate_limit_api: str = "600 per minute"
    rate_limit_login: str = "10 per minute"
    rate_limit_token_failures: str = "60 per minute"  # noqa: S105 - not a secret
    proxy_fix_hops: int = 0  # reverse proxies in front that set X-Forwarded-For/-Proto
    #: Offers starting later than this come after those starting within it on a shortlist.
    recommendation_start_window_days: int = 183
    decision_correction_days: int = 14  # how long a counsellor may correct a decision
    #: Threads of the numerical libraries during a retrain (bench/retrain/RESULTS.md: one thread
    #: is faster than two on the per-measure fits of a few thousand rows each).
    training_threads: int = 1

    @field_validator("*", mode="before")
    @classmethod
    def _stripped(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _validate(self) -> Settings:
        if not self.database_url.startswith(("sqlite", "postgresql")):
            raise ConfigError(_("DATABASE_URL muss mit sqlite:// oder postgresql:// beginnen."))
        if self.log_level.upper() not in LOG_LEVELS:
            raise ConfigError(
                _("LOG_LEVEL muss einer von %(join)s sein.", join=", ".join(LOG_LEVELS))
            )
        if self.environment not in ("development", "production", "test"):
            raise ConfigError(_("QUALIMATCH_ENV muss development, production oder test sein."))
        if self.environment == "production":
            _validate_production(self)
        if self.model_refresh_seconds < 0:
            raise ConfigError(_("MODEL_REFRESH_SECONDS darf nicht negativ sein."))
        for name in (
            "token_ttl_days",
            "max_upload_bytes",
            "max_import_rows",
            "recommendation_start_window_days",
            "session_idle_minutes",
            "session_max_hours",
            "training_threads",
        ):
            if getattr(self, name) <= 0:
                raise ConfigError(_("%(name)s muss positiv sein.", name=name.upper()))
        _validate_lifecycle(self)
        _validate_rate_limits(self)
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


MIN_SECRET_LENGTH = 32
#: A random key of 32 characters from any usual alphabet (hex, base64) has more of both (32 hex
#: digits: in 2,000 draws at least 10 distinct and 3.1 bits per character);
#: "aaaa…", "abababab…" or a word repeated do not.
MIN_SECRET_DISTINCT = 8
MIN_SECRET_BITS_PER_CHAR = 2.8
REDIS_SCHEMES = ("redis://", "rediss://", "redis+sentinel://", "redis+cluster://")


def _validate_production(settings: Settings) -> None:
    """What a production start refuses; each message names the variable to fix."""
    _validate_secret("SECRET_KEY", settings.secret_key, DEV_SECRET)
    _validate_secret("PSEUDONYM_KEY", settings.pseudonym_key, DEV_PSEUDONYM_KEY)
    if settings.secret_key == settings.pseudonym_key:
        raise ConfigError(_("SECRET_KEY und PSEUDONYM_KEY müssen verschiedene Schlüssel sein."))
    if settings.is_sqlite:
        raise ConfigError(
            _("DATABASE_URL: SQLite ist in Produktion nicht erlaubt (PostgreSQL nutzen).")
        )
    if not settings.rate_limits_enabled:
        raise ConfigError(_("RATE_LIMITS_ENABLED darf in Produktion nicht ausgeschaltet sein."))
    if not (settings.redis_url or "").startswith(REDIS_SCHEMES):
        raise ConfigError(
            _(
                "REDIS_URL fehlt: in Produktion müssen alle Worker die Anfragegrenzen gemeinsam "
                "in Redis zählen (redis://…)."
            )
        )
    if settings.login_max_failures <= 0:
        raise ConfigError(_("LOGIN_MAX_FAILURES muss in Produktion positiv sein (Kontosperre)."))
    if settings.login_lockout_minutes <= 0:
        raise ConfigError(_("LOGIN_LOCKOUT_MINUTES muss in Produktion positiv sein (Kontosperre)."))
    if settings.model_refresh_seconds <= 0:
        raise ConfigError(_("MODEL_REFRESH_SECONDS muss in Produktion positiv sein."))


def _validate_secret(name: str, value: str, development_value: str) -> None:
    if value == development_value or len(value) < MIN_SECRET_LENGTH:
        raise ConfigError(
            _(
                "%(name)s fehlt oder ist zu kurz (mind. %(min_secret_length)s Zeichen).",
                name=name,
                min_secret_length=MIN_SECRET_LENGTH,
            )
        )
    if (
        len(set(value)) < MIN_SECRET_DISTINCT
        or shannon_bits_per_char(value) < MIN_SECRET_BITS_PER_CHAR
    ):
        raise ConfigError(
            _(
                "%(name)s ist zu gleichförmig; bitte einen Zufallsschlüssel verwenden (z. B. "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))').",
                name=name,
            )
        )


def shannon_bits_per_char(text: str) -> float:
    """Empirical Shannon entropy of the characters of ``text``."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


#: EU AI Act Art. 12: recommendation logs are kept at least six months.
MIN_RECOMMENDATION_RETENTION_DAYS = 183


def _validate_lifecycle(settings: Settings) -> None:
    if settings.recommendation_retention_days < MIN_RECOMMENDATION_RETENTION_DAYS:
        raise ConfigError(
            _(
                "RECOMMENDATION_RETENTION_DAYS muss mindestens "
                "%(min_recommendation_retention_days)s Tage betragen (EU AI Act Art. 12).",
                min_recommendation_retention_days=MIN_RECOMMENDATION_RETENTION_DAYS,
            )
        )
    if settings.profile_inactive_days <= 0:
        raise ConfigError(_("PROFILE_INACTIVE_DAYS muss positiv sein."))
    if settings.decision_correction_days < 0:
        raise ConfigError(_("DECISION_CORRECTION_DAYS darf nicht negativ sein."))
    if settings.proxy_fix_hops < 0:
        raise ConfigError(_("PROXY_FIX_HOPS darf nicht negativ sein."))


def _validate_rate_limits(settings: Settings) -> None:
    from limits import parse_many

    for name in ("rate_limit_api", "rate_limit_login", "rate_limit_token_failures"):
        try:
            parse_many(getattr(settings, name))
        except ValueError:
            message = _("%(name)s ist keine gültige Grenze (z. B. 10/minute).", name=name.upper())
            raise ConfigError(message) from None


SETTINGS_KEY = "qualimatch.settings"


def get_settings(app: Flask | None = None) -> Settings:
    """The settings the app was built with (``current_app`` by default)."""
    settings: Settings = (app or current_app).extensions[SETTINGS_KEY]
    return settings


ENV_ALIASES = {"QUALIMATCH_ENV": "ENVIRONMENT"}
#: What a value of the wrong type is told, by pydantic's error type.
_EXPECTED = {
    "int_parsing": _("ganze Zahl erwartet"),
    "int_type": _("ganze Zahl erwartet"),
    "int_from_float": _("ganze Zahl erwartet"),
    "bool_parsing": _("Ja/Nein-Wert erwartet (true/false, 1/0, yes/no, on/off)"),
    "bool_type": _("Ja/Nein-Wert erwartet (true/false, 1/0, yes/no, on/off)"),
    "string_type": _("Text erwartet"),
}


def load_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Environment first, then explicit overrides (the app factory's ``config`` argument).

    Override keys are spelt like the variables (``DATABASE_URL``); ``None`` or ``""`` there
    means the default. Any bad value is a :class:`ConfigError` naming the variable.
    """
    fields = Settings.model_fields
    values: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        name = ENV_ALIASES.get(key, key).lower()
        if name not in fields:
            continue  # e.g. TESTING: a Flask setting, not ours
        if value is None or value == "":
            value = fields[name].get_default(call_default_factory=True)
        values[name] = value
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise _config_error(exc) from None


def _config_error(exc: ValidationError) -> ConfigError:
    """The first problem, in German and naming the variable; never the value (a secret)."""
    error = exc.errors(include_input=False, include_url=False)[0]
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, ConfigError):
        return cause
    name = str(error["loc"][0]) if error["loc"] else ""
    variable = "QUALIMATCH_ENV" if name == "environment" else name.upper()
    expected = _EXPECTED.get(error["type"], "Wert ist ungültig")
    return ConfigError(
        _(
            "%(variable)s hat einen ungültigen Wert: %(expected)s.",
            variable=variable,
            expected=expected,
        )
    )
