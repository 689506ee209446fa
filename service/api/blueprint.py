"""The blueprint every token-protected API module registers its routes on."""

from __future__ import annotations

from flask_openapi3 import APIBlueprint, Tag

from service.accounts.api_auth import BEARER_SECURITY


def api_blueprint(name: str, import_name: str, path: str, tag: str) -> APIBlueprint:
    """Routes under ``/api/v1<path>`` that need a bearer token, under ``tag`` in the spec."""
    return APIBlueprint(
        name,
        import_name,
        url_prefix=f"/api/v1{path}",
        abp_tags=[Tag(name=tag)],
        abp_security=BEARER_SECURITY,
    )
