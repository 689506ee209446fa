"""JSON replies the API modules share: a stored row through its public schema, and 201 Created."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from pydantic import BaseModel


def public_json(schema: type[BaseModel], row: object) -> dict[str, Any]:
    """``row`` as the API shows it: only the fields of ``schema``, JSON-ready."""
    return schema.model_validate(row, from_attributes=True).model_dump(mode="json")


def created(body: Any, *, location: str | None = None) -> Response:
    """``body`` with status 201, and ``Location`` when the new resource has its own URL."""
    response = jsonify(body)
    response.status_code = 201
    if location is not None:
        response.headers["Location"] = location
    return response
