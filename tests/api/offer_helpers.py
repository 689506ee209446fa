"""Helpers shared by the offer, import and coverage tests."""

from __future__ import annotations

from typing import Any

from tests.factories import offer_payload

__all__ = ["approved_id", "create", "created_id", "offer_payload", "review", "submit", "version"]


def create(client: Any, actor: Any, **overrides: Any) -> Any:
    return client.post("/api/v1/offers", json=offer_payload(**overrides), headers=actor.headers)


def created_id(client: Any, actor: Any, **overrides: Any) -> int:
    response = create(client, actor, **overrides)
    assert response.status_code == 201, response.get_json()
    return int(response.get_json()["id"])


def submit(client: Any, actor: Any, offer_id: int, **body: Any) -> Any:
    return client.post(
        f"/api/v1/offers/{offer_id}/submit", json=body or None, headers=actor.headers
    )


def review(client: Any, actor: Any, offer_id: int, decision: str, reason: str | None = None) -> Any:
    body: dict[str, Any] = {"decision": decision}
    if reason is not None:
        body["reason"] = reason
    return client.post(f"/api/v1/offers/{offer_id}/review", json=body, headers=actor.headers)


def approved_id(client: Any, partner: Any, coordinator: Any, **overrides: Any) -> int:
    offer_id = created_id(client, partner, **overrides)
    assert submit(client, partner, offer_id).status_code == 200
    assert review(client, coordinator, offer_id, "approve").status_code == 200
    return offer_id


def version(client: Any, actor: Any, offer_id: int) -> int:
    return int(
        client.get(f"/api/v1/offers/{offer_id}", headers=actor.headers).get_json()["version"]
    )
