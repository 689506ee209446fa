"""Role × page matrix over every web endpoint: anonymous → sign-in, wrong role → 403.

The endpoints come from the app's URL map, so a new page fails until it is added to
``tests/web/access.py``. Requests carry no form data: the role check answers first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from models.enums import Role
from tests.web.access import PUBLIC_ENDPOINTS, WEB_ACCESS

SAMPLE = {"int": "1", "path": "app.css"}


def _pages(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLE.get(m.group(1) or "", "x"), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


@contextmanager
def no_csrf(app) -> Iterator[None]:
    """The matrix sends no forms; CSRF is pinned by its own tests (test_sign_in)."""
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def test_every_web_endpoint_has_a_decided_role_set(app):
    missing = sorted({endpoint for endpoint, _, _ in _pages(app)} - set(WEB_ACCESS))
    assert not missing, f"Web endpoints without an entry in tests/web/access.py: {missing}"


def test_declared_roles_match_the_table(app):
    wrong = []
    for endpoint, _, _ in _pages(app):
        declared = getattr(app.view_functions[endpoint], "required_roles", None)
        if endpoint in WEB_ACCESS and declared != WEB_ACCESS[endpoint]:
            wrong.append(f"{endpoint}: declares {declared}, table says {WEB_ACCESS[endpoint]}")
    assert not wrong, "\n".join(wrong)


def test_anonymous_visitors_are_sent_to_sign_in(app):
    client = app.test_client()
    problems = []
    with no_csrf(app):
        for endpoint, method, path in _pages(app):
            response = client.open(path, method=method)
            if response.status_code != 302 or "/anmelden" not in response.headers["Location"]:
                problems.append(f"{method} {path} ({endpoint}): {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.slow  # every page for every role
def test_matrix(app, signed_in):
    clients = {role: signed_in(role)[0] for role in Role}
    problems = []
    with no_csrf(app):
        for endpoint, method, path in _pages(app):
            allowed = WEB_ACCESS.get(endpoint)
            if allowed is None:
                continue  # reported above
            for role, client in clients.items():
                status, where = _visit(client, method, path)
                if role in allowed and (status == 403 or "/anmelden" in where):
                    problems.append(f"{method} {path}: {role.value} refused ({status})")
                if role not in allowed and status != 403:
                    problems.append(f"{method} {path}: {role.value} got {status}")
    assert not problems, "\n".join(problems)


def _visit(client, method: str, path: str) -> tuple[int, str]:
    response = client.open(path, method=method)
    return response.status_code, response.headers.get("Location", "")
