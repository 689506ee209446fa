"""Response envelopes and shared parameter models for the OpenAPI description."""

from __future__ import annotations

import copy
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorDetail(BaseModel):
    field: str | None = None
    code: str
    message: str


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class Page(BaseModel):
    total: int
    limit: int
    offset: int


_SCHEMAS: dict[Any, dict[str, Any]] = {}


class PageQuery(BaseModel):
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=10_000_000)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The JSON schema, generated once per class: flask-openapi3 asks for it on every
        request to read the query string, and generating it costs more than a simple search."""
        key = (cls, args, tuple(sorted(kwargs.items())))
        if key not in _SCHEMAS:
            _SCHEMAS[key] = super().model_json_schema(*args, **kwargs)
        return copy.deepcopy(_SCHEMAS[key])

    def page(self, items: list[Any], total: int) -> dict[str, Any]:
        """The body of a list answer: this page's items, the total and the paging used."""
        return {"items": items, "total": total, "limit": self.limit, "offset": self.offset}


Responses = dict[str | int | HTTPStatus, type[BaseModel] | dict[Any, Any] | None]


def responses(ok: int, model: type[BaseModel] | dict[str, Any] | None, *errors: int) -> Responses:
    """OpenAPI responses: the success model plus the error envelope for each error status."""
    result: Responses = {ok: model}
    # 400 (malformed JSON), 414 (URI too long) and 415 (not JSON) come from the request checks
    # before any view.
    for status in (*errors, 400, 414, 415, 422):
        result[status] = ErrorEnvelope
    return result


AUTH_ERRORS = (401, 403, 429)
#: Response content of the CSV downloads (coverage export, import template).
CSV_CONTENT: dict[str, Any] = {"text/csv": {"schema": {"type": "string"}}}
