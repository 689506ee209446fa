"""Role × endpoint matrix over every operation in the OpenAPI description.

The operations come from the live spec, so a new route is covered (and fails until it is
added to ``tests/api/access.py``). Bodies and parameters are deliberately meaningless:
authentication and role checks must answer before any input is looked at.
"""

from __future__ import annotations

import re

import pytest

from models.enums import Role
from tests.api.access import ACCESS, JSON_BODY_ACCESS, PUBLIC

METHODS = ("get", "post", "put", "patch", "delete")
DENIED = (401, 403)


def _operations(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    return [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS
    ]


def _concrete(path):
    return re.sub(r"\{[^}]+\}", "1", path)


def _call(client, method, path, headers=None):
    kwargs = {"headers": headers or {}}
    if method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    return client.open(_concrete(path), method=method, **kwargs)


@pytest.fixture
def actors(factory):
    return {role: factory.actor(role) for role in Role}


def test_every_operation_has_a_decided_role_set(app):
    missing = [op for op in _operations(app) if op not in ACCESS]
    assert not missing, f"Routes without an entry in tests/api/access.py: {missing}"


def test_matrix(app, actors):
    client = app.test_client()
    problems = []
    for method, path in _operations(app):
        allowed = ACCESS.get((method, path))
        if allowed is None:
            continue  # reported by the test above
        allowed = JSON_BODY_ACCESS.get((method, path), allowed)
        anonymous = _call(client, method, path).status_code
        if allowed == PUBLIC:
            if anonymous in DENIED:
                problems.append(f"{method} {path}: public but {anonymous} without token")
            continue
        if anonymous != 401:
            problems.append(f"{method} {path}: {anonymous} without token (expected 401)")
        for role, actor in actors.items():
            status = _call(client, method, path, actor.headers).status_code
            if role in allowed and status in DENIED:
                problems.append(f"{method} {path}: {role.value} refused with {status}")
            if role not in allowed and status != 403:
                problems.append(f"{method} {path}: {role.value} got {status} (expected 403)")
    assert not problems, "\n".join(problems)


def test_unknown_and_malformed_tokens_are_401(app):
    client = app.test_client()
    for header in ("Bearer qm_unknown", "Basic dXNlcjpwYXNz", "Bearer", "bearer  "):
        response = client.get("/api/v1/profiles", headers={"Authorization": header})
        assert response.status_code == 401, header
