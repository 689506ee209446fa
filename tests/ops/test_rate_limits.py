"""Rate limits: per caller on the API, per address on failed tokens and sign-in; Redis-backed."""

from __future__ import annotations

import socket
import uuid

import pytest

from models.enums import Role
from service.core.config import get_settings
from tests.ops.conftest import user_with_token

pytestmark = pytest.mark.slow  # talks to the local Redis


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _statuses(client, token, times):
    headers = _bearer(token)
    return [client.get("/api/v1/profiles", headers=headers).status_code for _ in range(times)]


def test_api_limit_answers_429_envelope_with_retry_after(make_app):
    app = make_app(RATE_LIMIT_API="3/minute")
    _, token = user_with_token(app, Role.COUNSELLOR, "c-limit")
    client = app.test_client()

    statuses = _statuses(client, token, 4)

    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/profiles", headers=_bearer(token))
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


def test_api_limit_is_per_token(make_app):
    app = make_app(RATE_LIMIT_API="2/minute")
    _, first = user_with_token(app, Role.COUNSELLOR, "c-one")
    _, second = user_with_token(app, Role.COUNSELLOR, "c-two")
    client = app.test_client()
    for _ in range(3):
        client.get("/api/v1/profiles", headers=_bearer(first))

    assert client.get("/api/v1/profiles", headers=_bearer(second)).status_code == 200


def test_health_is_never_limited(make_app):
    client = make_app(RATE_LIMIT_API="1/minute").test_client()
    assert {client.get("/api/v1/health").status_code for _ in range(5)} == {200}


def test_failed_tokens_are_limited_per_address(make_app):
    app = make_app(RATE_LIMIT_TOKEN_FAILURES="3/minute")
    client = app.test_client()
    statuses = [
        client.get("/api/v1/profiles", headers=_bearer(f"qm_guess{i}")).status_code
        for i in range(4)
    ]

    assert statuses == [401, 401, 401, 429]


def test_failed_tokens_from_an_address_never_lock_out_a_valid_token(make_app):
    app = make_app(RATE_LIMIT_TOKEN_FAILURES="3/minute")
    _, valid = user_with_token(app, Role.COUNSELLOR, "c-valid")
    client = app.test_client()
    for _ in range(5):
        client.get("/api/v1/profiles", headers=_bearer("qm_guess"))

    assert client.get("/api/v1/profiles", headers=_bearer(valid)).status_code == 200
    assert client.get("/api/v1/profiles", headers=_bearer("qm_guess")).status_code == 429


def test_successful_calls_do_not_count_as_failures(make_app):
    app = make_app(RATE_LIMIT_TOKEN_FAILURES="2/minute")
    _, valid = user_with_token(app, Role.COUNSELLOR, "c-ok")
    client = app.test_client()
    assert set(_statuses(client, valid, 5)) == {200}


def test_sign_in_is_limited_per_address(make_app):
    app = make_app(RATE_LIMIT_LOGIN="2/minute")
    if "auth.login" not in app.view_functions:
        pytest.skip("web sign-in not present")
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    form = {"username": "nobody", "password": "wrong"}
    statuses = [client.post("/login", data=form).status_code for _ in range(3)]

    assert statuses[-1] == 429
    assert 429 not in statuses[:2]


def test_limits_off_when_disabled(make_app):
    app = make_app(RATE_LIMIT_API="1/minute", RATE_LIMITS_ENABLED=False)
    _, token = user_with_token(app, Role.COUNSELLOR, "c-off")
    client = app.test_client()
    assert set(_statuses(client, token, 3)) == {200}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_redis_down_falls_back_to_memory(make_app):
    app = make_app(RATE_LIMIT_API="2/minute", REDIS_URL=f"redis://127.0.0.1:{_free_port()}/0")
    _, token = user_with_token(app, Role.COUNSELLOR, "c-fallback")
    client = app.test_client()

    statuses = _statuses(client, token, 3)

    assert statuses == [200, 200, 429]  # still served, still limited


def _redis_up():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
REDIS = "redis://127.0.0.1:6379/15"


def _two_apps_on_one_database(make_app, **config):
    first = make_app(REDIS_URL=REDIS, **config)
    second = make_app(REDIS_URL=REDIS, DATABASE_URL=get_settings(first).database_url, **config)
    return first, second


@needs_redis
def test_two_apps_sharing_redis_share_one_budget_per_token(make_app):
    first, second = _two_apps_on_one_database(make_app, RATE_LIMIT_API="3/minute")
    _, token = user_with_token(first, Role.COUNSELLOR, f"c-{uuid.uuid4().hex[:8]}")

    statuses = [
        app.test_client().get("/api/v1/profiles", headers=_bearer(token)).status_code
        for app in (first, second, first, second)
    ]

    assert statuses == [200, 200, 200, 429]


@needs_redis
def test_two_apps_sharing_redis_share_the_sign_in_budget(make_app):
    first, second = _two_apps_on_one_database(make_app, RATE_LIMIT_LOGIN="2/minute")
    address = {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"}
    form = {"username": "nobody", "password": "wrong"}
    statuses = []
    for app in (first, second, first):
        app.config["WTF_CSRF_ENABLED"] = False
        client = app.test_client()
        statuses.append(client.post("/login", data=form, environ_base=address).status_code)

    assert statuses[-1] == 429
    assert 429 not in statuses[:2]


@needs_redis
def test_redis_storage_is_shared_between_apps(make_app):
    url = "redis://127.0.0.1:6379/15"
    first = make_app(RATE_LIMIT_API="2/minute", REDIS_URL=url)
    second = make_app(RATE_LIMIT_API="2/minute", REDIS_URL=url)
    token = f"qm_{uuid.uuid4().hex}"  # invalid, but the limit key is the token's hash
    headers = _bearer(token)

    first.test_client().get("/api/v1/profiles", headers=headers)
    first.test_client().get("/api/v1/profiles", headers=headers)

    assert second.test_client().get("/api/v1/profiles", headers=headers).status_code == 429
