"""All settings, read once from the environment (or a mapping in tests), validated up front."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from flask import Flask, current_app

INSTANCE_DIR = Path(os.environ.get("QUALIMATCH_INSTANCE_DIR", Path.cwd() / "instance"))
DEV_SECRET = "dev-secret-change-me"  # noqa: S105 - refused in production, see validate()
DEV_PSEUDONYM_KEY = "dev-pseudonym-key-change-me"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def _default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'qualimatch.sqlite3'}"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    secret_key: str = DEV_SECRET
    pseudonym_key: str = DEV_PSEUDONYM_KEY
    redis_url: str | None = None
    log_level: str = "INFO"
    environment: str = "development"  # development | production | test
    token_ttl_days: int = 90
    max_upload_bytes: int = 5 * 1024 * 1024
    max_import_rows: int = 20_000
    model_refresh_seconds: int = 10
    recommendation_retention_days: int = 183
    profile_inactive_days: int = 730
    rate_limits_enabled: bool = True
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    rate_limit_api: str = "600 per minute"
    rate_limit_login: str = "10 per minute"
    rate_limit_token_failures: str = "60 per minute"  # noqa: S105 - not a secret
    proxy_fix_hops: int = 0  # reverse proxies in front that set X-Forwarded-For/-Proto
    decision_correction_days: int = 14  # how long a counsellor may correct a decision

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        """Build settings from ``DATABASE_URL``-style keys (environment or test config)."""
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            key = f.name.upper()
            if key not in values or values[key] in (None, ""):
                continue
            kwargs[f.name] = _coerce(key, values[key], f.type)
        return replace(cls(), **kwargs).validate()

    def validate(self) -> Settings:
        if not self.database_url.startswith(("sqlite", "postgresql")):
            raise ConfigError("DATABASE_URL muss mit sqlite:// oder postgresql:// beginnen.")
        if self.log_level.upper() not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL muss einer von {', '.join(LOG_LEVELS)} sein.")
        if self.environment not in ("development", "production", "test"):
            raise ConfigError("QUALIMATCH_ENV muss development, production oder test sein.")
        if self.environment == "production":
            if self.secret_key == DEV_SECRET or len(self.secret_key) < 32:
                raise ConfigError("SECRET_KEY fehlt oder ist zu kurz (mind. 32 Zeichen).")
            if self.pseudonym_key == DEV_PSEUDONYM_KEY or len(self.pseudonym_key) < 32:
                raise ConfigError("PSEUDONYM_KEY fehlt oder ist zu kurz (mind. 32 Zeichen).")
        for name in ("token_ttl_days", "max_upload_bytes", "max_import_rows"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name.upper()} muss positiv sein.")
        _validate_lifecycle(self)
        _validate_rate_limits(self)
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


#: EU AI Act Art. 12: recommendation logs are kept at least six months.
MIN_RECOMMENDATION_RETENTION_DAYS = 183


def _validate_lifecycle(settings: Settings) -> None:
    if settings.recommendation_retention_days < MIN_RECOMMENDATION_RETENTION_DAYS:
        raise ConfigError(
            "RECOMMENDATION_RETENTION_DAYS muss mindestens "
            f"{MIN_RECOMMENDATION_RETENTION_DAYS} Tage betragen (EU AI Act Art. 12)."
        )
    if settings.profile_inactive_days <= 0:
        raise ConfigError("PROFILE_INACTIVE_DAYS muss positiv sein.")
    if settings.decision_correction_days < 0:
        raise ConfigError("DECISION_CORRECTION_DAYS darf nicht negativ sein.")
    if settings.proxy_fix_hops < 0:
        raise ConfigError("PROXY_FIX_HOPS darf nicht negativ sein.")


def _validate_rate_limits(settings: Settings) -> None:
    from limits import parse_many

    for name in ("rate_limit_api", "rate_limit_login", "rate_limit_token_failures"):
        try:
            parse_many(getattr(settings, name))
        except ValueError:
            message = f"{name.upper()} ist keine gültige Grenze (z. B. 10/minute)."
            raise ConfigError(message) from None


def _coerce(key: str, raw: Any, annotation: Any) -> Any:
    kind = str(annotation)
    if isinstance(raw, bool | int) and not isinstance(raw, str):
        return raw
    text = str(raw).strip()
    try:
        if kind == "int":
            return int(text)
        if kind == "bool":
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
    except ValueError:
        raise ConfigError(f"{key} hat einen ungültigen Wert.") from None
    return text


SETTINGS_KEY = "qualimatch.settings"


def get_settings(app: Flask | None = None) -> Settings:
    """The settings the app was built with (``current_app`` by default)."""
    settings: Settings = (app or current_app).extensions[SETTINGS_KEY]
    return settings


ENV_ALIASES = {"QUALIMATCH_ENV": "ENVIRONMENT"}


def load_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Environment first, then explicit overrides (the app factory's ``config`` argument)."""
    values: dict[str, Any] = {
        ENV_ALIASES.get(k, k): v for k, v in os.environ.items() if k.isupper()
    }
    values.update({ENV_ALIASES.get(k, k): v for k, v in (overrides or {}).items()})
    return Settings.from_mapping(values)
