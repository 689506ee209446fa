"""Offers and profiles alike: each belongs to one provider or caseload, keyed by its own number."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from models.enums import Role
from tests.api.offer_helpers import offer_payload
from tests.factories import profile_payload


@dataclass(frozen=True)
class Record:
    role: Role
    path: str
    payload: Callable[..., dict[str, Any]]
    key: dict[str, str]
    same_key: dict[str, str]  # written differently, the same record
    duplicate_code: str

    def create(self, client: Any, actor: Any, **overrides: Any) -> Any:
        body = self.payload(**overrides)
        return client.post(self.path, json=body, headers=actor.headers)


RECORDS = [
    pytest.param(
        Record(
            Role.PARTNER,
            "/api/v1/offers",
            offer_payload,
            {"external_ref": "A-1"},
            {"external_ref": "A-1"},
            "duplicate_external_ref",
        ),
        id="offers",
    ),
    pytest.param(
        Record(
            Role.COUNSELLOR,
            "/api/v1/profiles",
            profile_payload,
            {"client_number": "KR-000333"},
            {"client_number": "kr-000333 "},
            "duplicate_profile",
        ),
        id="profiles",
    ),
]


@pytest.mark.parametrize("record", RECORDS)
def test_same_key_twice_is_conflict(client, factory, record):
    owner = factory.actor(record.role)
    record.create(client, owner, **record.key)

    response = record.create(client, owner, **record.same_key)

    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == record.duplicate_code


@pytest.mark.parametrize("record", RECORDS)
def test_list_shows_own_records_only(client, factory, record):
    owner, other = factory.actor(record.role), factory.actor(record.role)
    own_id = record.create(client, owner).get_json()["id"]
    record.create(client, other)

    body = client.get(record.path, headers=owner.headers).get_json()

    assert body["total"] == 1
    assert [item["id"] for item in body["items"]] == [own_id]
