"""Domain errors: one table maps them to HTTP, one helper to the CLI; the domain imports neither.

The HTTP bodies are compared byte for byte with what an :class:`ApiError` of the same status
renders, the envelope every API client, the schemathesis run and the role matrix rely on.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from flask import Flask

import service
from service.accounts.errors import AccountConflict, AccountNotFound, InvalidAccountInput
from service.cli.errors import domain_errors_as_click
from service.core.domain_errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from service.core.errors import (
    DOMAIN_STATUS,
    HTTP_CODES,
    ApiError,
    domain_status,
    register_error_handlers,
)
from service.offers.csv_file import FileProblem
from service.offers.wbs_format import WbsFileProblem

ROOT = Path(__file__).resolve().parents[2]

KINDS = [
    (NotFound, 404, "not_found"),
    (Forbidden, 403, "forbidden"),
    (Conflict, 409, "conflict"),
    (Invalid, 422, "validation_error"),
]


def _render(exc: Exception) -> tuple[int, bytes]:
    app = Flask(__name__)
    register_error_handlers(app)

    @app.get("/api/v1/fails")
    def fails() -> Any:
        raise exc

    response = app.test_client().get("/api/v1/fails")
    return response.status_code, response.get_data()


@pytest.mark.parametrize(("kind", "status", "code"), KINDS)
def test_each_kind_has_its_status_code_and_german_default(kind, status, code):
    assert DOMAIN_STATUS[kind] == status
    rendered_status, body = _render(kind())

    assert rendered_status == status
    assert body == _render(ApiError(status=status, code=code))[1]
    assert kind().message == HTTP_CODES[status][1]


@pytest.mark.parametrize(("kind", "status", "_code"), KINDS)
def test_message_code_details_and_extra_reach_the_body_unchanged(kind, status, _code):
    details = [{"field": "seats_free", "code": "invalid", "message": "Wert ist zu groß."}]
    extra = {"current_version": 3}
    message = "Das Angebot wurde geändert."
    domain = kind(message, code="version_conflict", details=details, extra=extra)
    api = ApiError(
        message,
        status=status,
        code="version_conflict",
        details=details,
        extra=extra,
    )

    assert _render(domain) == _render(api)
    assert _render(domain)[1] == (
        b'{"error":{"code":"version_conflict","current_version":3,"details":[{"code":"invalid",'
        b'"field":"seats_free","message":"Wert ist zu gro\\u00df."}],'
        b'"message":"Das Angebot wurde ge\\u00e4ndert."}}\n'
    )


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (AccountNotFound("Benutzer 'x' nicht gefunden."), 404, "not_found"),
        (AccountConflict("Benutzer 'x' existiert bereits."), 409, "conflict"),
        (InvalidAccountInput("Unbekannte Rolle."), 422, "validation_error"),
        (FileProblem("Die Datei ist leer.", code="empty_file"), 422, "empty_file"),
        (WbsFileProblem("Die Datei ist kein gültiges JSON.", code="not_json"), 422, "not_json"),
    ],
)
def test_subclasses_take_the_status_of_their_kind(error, status, code):
    assert domain_status(error) == status
    assert _render(error) == _render(ApiError(error.message, status=status, code=code))


def _all_subclasses(kind: type) -> set[type]:
    found = set()
    for sub in kind.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_every_domain_error_in_the_service_is_one_of_the_four_kinds():
    """A new error class derived straight from DomainError would silently become a 400.

    Leaves are what gets raised; a base with subclasses (``AccountError``) only groups them.
    """
    for info in pkgutil.walk_packages(service.__path__, "service."):
        if info.name not in {"service.wsgi", "service.gunicorn_conf"}:  # these start an app
            importlib.import_module(info.name)
    kinds = {kind for kind, _status, _code in KINDS}
    leaves = {error for error in _all_subclasses(DomainError) if not error.__subclasses__()}
    assert {AccountConflict, FileProblem, WbsFileProblem} <= leaves
    for error in leaves:
        assert any(issubclass(error, kind) for kind in kinds), error


def test_the_cli_shows_the_german_message_and_exits_with_1():
    @click.command()
    def command() -> None:
        with domain_errors_as_click():
            raise Conflict("Das Konto lässt sich nicht deaktivieren.")

    result = CliRunner().invoke(command)

    assert result.exit_code == 1
    assert result.output == "Error: Das Konto lässt sich nicht deaktivieren.\n"


def test_the_cli_helper_leaves_other_errors_alone():
    with pytest.raises(KeyError), domain_errors_as_click():
        raise KeyError("x")


# --- The domain speaks neither HTTP nor Flask nor click -------------------------------------

#: Adapters (HTTP, web pages, command line) and the app's infrastructure around them.
ADAPTERS = ("service/api/", "service/web/", "service/cli/")
INFRASTRUCTURE = {
    "service/__init__.py",  # the app factory
    "service/accounts/api_auth.py",  # bearer tokens of the API
    "service/core/config.py",  # settings stored on the app
    "service/core/db.py",  # one session per request or command
    "service/core/errors.py",  # errors → HTTP
    "service/core/extensions.py",  # limiter, security headers, API docs
    "service/core/input_guard.py",  # request size and shape
    "service/core/logging.py",  # request ids in the log
    "service/core/metrics.py",  # Prometheus endpoint
    "service/wsgi.py",
}
#: Per-process caches that live on the app object (``app.extensions``); no request state.
APP_CACHES = {
    "service/recommendations/catalog.py",
    "service/ranking/model_store.py",
    "service/occupations/store.py",
}
#: flask_babel is allowed: its gettext reads the catalogue, not the request (German without one).
FORBIDDEN_IN_DOMAIN = ("flask", "flask_", "werkzeug", "click", "service.core.errors")
ALLOWED_IN_DOMAIN = ("flask_babel",)


def imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules |= {f"{node.module}.{alias.name}" for alias in node.names}
    return modules


def _forbidden(modules: set[str]) -> set[str]:
    return {
        m
        for m in modules
        if any(
            m == f or m.startswith(f if f.endswith("_") else f + ".") for f in FORBIDDEN_IN_DOMAIN
        )
        and not any(m == a or m.startswith(a + ".") for a in ALLOWED_IN_DOMAIN)
    }


def test_the_scanner_finds_what_it_looks_for():
    source = (
        "from flask import g\nimport click\nfrom service.core import errors\nimport flask_login\n"
    )
    assert _forbidden(imported_modules(source)) == {
        "flask",
        "flask.g",
        "click",
        "service.core.errors",
        "flask_login",
    }
    assert (
        _forbidden(imported_modules("from service.core.domain_errors import Conflict\n")) == set()
    )


def _domain_files() -> list[Path]:
    files = []
    for path in sorted((ROOT / "service").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith(ADAPTERS) or name in INFRASTRUCTURE | APP_CACHES:
            continue
        files.append(path)
    return (
        files + sorted((ROOT / "training").rglob("*.py")) + sorted((ROOT / "models").rglob("*.py"))
    )


@pytest.mark.slow  # imports in a fresh interpreter
def test_domain_modules_import_no_flask_click_or_http_errors():
    offenders = {
        path.relative_to(ROOT).as_posix(): sorted(_forbidden(imported_modules(path.read_text())))
        for path in _domain_files()
    }
    assert {name: found for name, found in offenders.items() if found} == {}
    assert len(offenders) > 50  # the walk really found the domain


def test_app_caches_use_flask_only_for_the_app_object():
    """They may keep a cache on ``current_app``; errors, ``g`` and requests stay out."""
    allowed = {"Flask", "current_app", "has_app_context"}
    for name in APP_CACHES:
        tree = ast.parse((ROOT / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "flask":
                assert {alias.name for alias in node.names} <= allowed, name
        modules = imported_modules((ROOT / name).read_text())
        assert _forbidden(modules) <= {"flask"} | {f"flask.{a}" for a in allowed}, name
