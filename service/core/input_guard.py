"""Input no backend can store or no parser should chew on, refused before any view runs.

NUL characters: PostgreSQL refuses them in text (a ``DataError`` deep in a query), SQLite
stores them; both now get the same 422 up front. JSON bodies: a nesting limit, checked without
recursion, and a guard against the parser's own ``RecursionError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, RequestURITooLarge

from service.core.domain_errors import Invalid
from service.core.errors import ApiError

API_PREFIX = "/api/"
#: Our request bodies nest three levels at most; anything far deeper is not meant for us.
MAX_JSON_DEPTH = 32
NUL = "\x00"


#: gunicorn's ``limit_request_line`` (4094) less method and protocol: the same bound whichever
#: server runs the app, and on the API as the documented JSON 414.
MAX_URI_CHARS = 4070


def init_app(app: Flask) -> None:
    app.before_request(refuse_long_uri)
    app.before_request(refuse_nul_in_parameters)


def refuse_long_uri() -> None:
    if len(request.full_path) > MAX_URI_CHARS:
        if not request.path.startswith(API_PREFIX):
            raise RequestURITooLarge()
        raise ApiError(status=414, code="uri_too_long", message=_("Die Adresse (URL) ist zu lang."))


def refuse_nul_in_parameters() -> None:
    """Query string, form fields and path segments: 422 on the API, 400 on the web pages."""
    fields = [name for name, value in _parameters() if NUL in f"{name}{value}"]
    if not fields:
        return
    if not request.path.startswith(API_PREFIX):
        raise BadRequest()
    raise _nul_error(fields)


def _parameters() -> Iterator[tuple[str, str]]:
    yield from request.args.items(multi=True)
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            yield name, value
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        yield from request.form.items(multi=True)


def check_json_body() -> None:
    """400 for JSON that does not parse or nests too deep, 422 for NUL characters in it."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise _too_deep() from None
    if data is None:
        raise ApiError(
            status=400, code="malformed_json", message=_("Der Inhalt ist kein gültiges JSON.")
        )
    fields = list(_nul_fields(data))
    if fields:
        raise _nul_error(fields)


def _nul_fields(data: Any) -> Iterator[str]:
    """Paths of strings holding NUL; raises for nesting beyond ``MAX_JSON_DEPTH``."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(value, str):
            if NUL in value:
                yield path or "body"
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if NUL in key:
                    yield path or "body"
                    continue
                stack.append((item, child, depth + 1))
        elif isinstance(value, list):
            stack.extend(
                (item, f"{path}.{i}" if path else str(i), depth + 1) for i, item in enumerate(value)
            )


def _too_deep() -> ApiError:
    return ApiError(
        status=400,
        code="json_too_deep",
        message=_(
            "Das JSON ist zu tief verschachtelt (höchstens %(max_json_depth)s Ebenen).",
            max_json_depth=MAX_JSON_DEPTH,
        ),
    )


def _nul_error(fields: Iterable[str]) -> Invalid:
    unique = sorted({name[:100] for name in fields})[:20]
    return Invalid(
        details=[
            {
                "field": name,
                "code": "nul_character",
                "message": _("Text darf kein NUL-Zeichen enthalten."),
            }
            for name in unique
        ]
    )
