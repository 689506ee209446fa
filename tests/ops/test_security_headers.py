"""Security headers and the strict CSP on API, docs and web pages."""

from __future__ import annotations

import re

import pytest

from service.core.extensions import CONTENT_SECURITY_POLICY
from tests.ops.conftest import PRODUCTION

PAGES = ["/api/v1/health", "/api/v1/openapi.json", "/api/v1/swagger", "/api/v1/nope", "/login"]


@pytest.fixture
def client(sqlite_only_app):
    return sqlite_only_app.test_client()


@pytest.mark.parametrize("path", PAGES)
def test_every_route_sends_strict_headers(client, path):
    headers = client.get(path).headers

    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert "'unsafe-inline'" not in csp.split("style-src-attr")[0]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_script_sources_are_self_and_nonce_only():
    assert CONTENT_SECURITY_POLICY["script-src"] == "'self'"
    assert "http" not in str(CONTENT_SECURITY_POLICY)


def test_swagger_inline_script_carries_the_request_nonce(client):
    response = client.get("/api/v1/swagger")

    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    page = response.get_data(as_text=True)
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline_scripts
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline_scripts)
    assert "cdn" not in page.lower()


def test_nonce_changes_per_request(client):
    first = client.get("/api/v1/swagger").headers["Content-Security-Policy"]
    second = client.get("/api/v1/swagger").headers["Content-Security-Policy"]
    assert first != second


def test_api_answers_are_not_cached(client):
    assert client.get("/api/v1/health").headers["Cache-Control"] == "no-store"


def test_hsts_over_https(client):
    response = client.get("/api/v1/health", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_session_cookie_secure_only_in_production(make_app):
    production = make_app(**PRODUCTION)
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert make_app().config["SESSION_COOKIE_SECURE"] is False
