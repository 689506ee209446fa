"""Secrets only from the environment; lifecycle and limit settings fail fast."""

from __future__ import annotations

import pytest

from models.enums import Role
from service.core.config import DEV_PSEUDONYM_KEY, DEV_SECRET, ConfigError, load_settings
from tests.ops.conftest import PRODUCTION, PSEUDONYM, STRONG, user_with_token


def _production(**values):
    return PRODUCTION | values


def test_production_accepts_strong_secrets_from_the_environment(monkeypatch):
    for key, value in PRODUCTION.items():
        monkeypatch.setenv(key, value)
    settings = load_settings()
    assert settings.environment == "production"
    assert settings.pseudonym_key == PSEUDONYM


@pytest.mark.parametrize(
    "override",
    [
        {"SECRET_KEY": DEV_SECRET},
        {"SECRET_KEY": "short"},
        {"SECRET_KEY": None},
        {"PSEUDONYM_KEY": DEV_PSEUDONYM_KEY},
        {"PSEUDONYM_KEY": "short"},
        {"PSEUDONYM_KEY": None},
    ],
)
def test_production_refuses_default_or_weak_secrets(monkeypatch, override):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PSEUDONYM_KEY", raising=False)
    values = {k: v for k, v in _production(**override).items() if v is not None}
    with pytest.raises(ConfigError):
        load_settings(values)


@pytest.mark.parametrize(
    ("override", "variable"),
    [
        ({"DATABASE_URL": "sqlite:///instance/qualimatch.sqlite3"}, "DATABASE_URL"),
        ({"RATE_LIMITS_ENABLED": "false"}, "RATE_LIMITS_ENABLED"),
        ({"LOGIN_LOCKOUT_MINUTES": "0"}, "LOGIN_LOCKOUT_MINUTES"),
        ({"LOGIN_MAX_FAILURES": "0"}, "LOGIN_MAX_FAILURES"),
        ({"LOGIN_MAX_FAILURES": "-3"}, "LOGIN_MAX_FAILURES"),
        ({"MODEL_REFRESH_SECONDS": "0"}, "MODEL_REFRESH_SECONDS"),
        ({"MODEL_REFRESH_SECONDS": "-1"}, "MODEL_REFRESH_SECONDS"),
        ({"PSEUDONYM_KEY": STRONG}, "SECRET_KEY und PSEUDONYM_KEY"),
        ({"SECRET_KEY": "a" * 32}, "SECRET_KEY"),
        ({"PSEUDONYM_KEY": "ab" * 20}, "PSEUDONYM_KEY"),
        ({"SECRET_KEY": "passwortpasswortpasswortpasswort"}, "SECRET_KEY"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"REDIS_URL": "memory://"}, "REDIS_URL"),
    ],
)
def test_production_refuses_unsafe_settings_naming_the_variable(monkeypatch, override, variable):
    for key in PRODUCTION:
        monkeypatch.delenv(key, raising=False)
    values = {k: v for k, v in _production(**override).items() if v is not None}
    with pytest.raises(ConfigError, match=variable):
        load_settings(values)


def test_production_accepts_a_random_hex_key():
    import secrets

    settings = load_settings(_production(SECRET_KEY=secrets.token_hex(16)))
    assert len(settings.secret_key) == 32


def test_development_may_use_dev_secrets():
    assert load_settings({"QUALIMATCH_ENV": "development"}).secret_key


@pytest.mark.parametrize("days", [0, 30, 182])
def test_recommendation_retention_below_six_months_is_refused(days):
    with pytest.raises(ConfigError, match="RECOMMENDATION_RETENTION_DAYS"):
        load_settings({"RECOMMENDATION_RETENTION_DAYS": days})


def test_retention_of_six_months_or_more_is_accepted():
    settings = load_settings({"RECOMMENDATION_RETENTION_DAYS": "183"})
    assert settings.recommendation_retention_days == 183


def test_profile_inactivity_must_be_positive():
    with pytest.raises(ConfigError, match="PROFILE_INACTIVE_DAYS"):
        load_settings({"PROFILE_INACTIVE_DAYS": 0})


def test_training_threads_must_be_positive():
    assert load_settings({}).training_threads == 1
    with pytest.raises(ConfigError, match="TRAINING_THREADS"):
        load_settings({"TRAINING_THREADS": 0})


def test_malformed_rate_limit_is_refused():
    with pytest.raises(ConfigError, match="RATE_LIMIT_API"):
        load_settings({"RATE_LIMIT_API": "lots"})


def test_request_size_limit_is_applied(make_app):
    app = make_app(MAX_UPLOAD_BYTES=1024)
    _, token = user_with_token(app, Role.COUNSELLOR, "c-size")
    response = app.test_client().post(
        "/api/v1/profiles",
        data=b"{" + b" " * 2048 + b"}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert app.config["MAX_CONTENT_LENGTH"] == 1024
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("TOKEN_TTL_DAYS", "neunzig", "TOKEN_TTL_DAYS hat einen ungültigen Wert: ganze Zahl"),
        ("MAX_UPLOAD_BYTES", "5 MB", "MAX_UPLOAD_BYTES hat einen ungültigen Wert: ganze Zahl"),
        ("RATE_LIMITS_ENABLED", "vielleicht", "RATE_LIMITS_ENABLED hat einen ungültigen Wert: Ja"),
    ],
)
def test_a_value_of_the_wrong_type_names_the_variable_in_german(
    monkeypatch, variable, value, expected
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(expected)
    assert value not in message  # a value may be a secret
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_values_from_the_environment_are_typed_and_trimmed(monkeypatch):
    monkeypatch.setenv("RATE_LIMITS_ENABLED", " off ")
    monkeypatch.setenv("TOKEN_TTL_DAYS", " 30 ")
    monkeypatch.setenv("LOG_LEVEL", "")  # empty counts as unset
    settings = load_settings({"QUALIMATCH_ENV": "test"})
    assert (settings.rate_limits_enabled, settings.token_ttl_days) == (False, 30)
    assert settings.log_level == "INFO"


def test_overrides_win_over_the_environment_and_none_means_the_default(monkeypatch):
    monkeypatch.setenv("TOKEN_TTL_DAYS", "30")
    monkeypatch.setenv("QUALIMATCH_ENV", "production")
    settings = load_settings({"QUALIMATCH_ENV": "test", "TOKEN_TTL_DAYS": None})
    assert (settings.environment, settings.token_ttl_days) == ("test", 90)


def test_settings_do_not_show_the_secrets():
    settings = load_settings(PRODUCTION)
    assert STRONG not in repr(settings)
    assert PSEUDONYM not in repr(settings)


def test_the_command_line_reports_a_bad_value_without_a_traceback(monkeypatch):
    from click.testing import CliRunner

    from service.cli import main

    monkeypatch.setenv("QUALIMATCH_ENV", "test")
    monkeypatch.setenv("SESSION_MAX_HOURS", "zwölf")
    result = CliRunner().invoke(main, ["db", "--help"])
    assert result.exit_code == 1
    assert "Konfigurationsfehler: SESSION_MAX_HOURS hat einen ungültigen Wert" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow  # starts gunicorn
def test_gunicorn_s_entry_point_reports_a_bad_value_without_a_traceback(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = os.environ | {
        "PYTHONPATH": str(ROOT),
        "QUALIMATCH_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "RATE_LIMITS_ENABLED": "vielleicht",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import service.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Konfigurationsfehler: RATE_LIMITS_ENABLED hat einen ungültigen Wert: "
        "Ja/Nein-Wert erwartet (true/false, 1/0, yes/no, on/off)."
    )
