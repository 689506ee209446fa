"""Secrets only from the environment; lifecycle and limit settings fail fast."""

from __future__ import annotations

import pytest

from models.enums import Role
from service.config import DEV_PSEUDONYM_KEY, DEV_SECRET, ConfigError, load_settings
from tests.ops.conftest import user_with_token

STRONG = "k" * 40


def _production(**values):
    return {"QUALIMATCH_ENV": "production", "SECRET_KEY": STRONG, "PSEUDONYM_KEY": STRONG} | values


def test_production_accepts_strong_secrets_from_the_environment(monkeypatch):
    monkeypatch.setenv("QUALIMATCH_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG)
    monkeypatch.setenv("PSEUDONYM_KEY", "p" * 40)
    settings = load_settings()
    assert settings.environment == "production"
    assert settings.pseudonym_key == "p" * 40


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
