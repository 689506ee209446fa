"""Profiles API: caseload isolation, pseudonyms, optimistic locking, erasure and audit."""

from __future__ import annotations

from sqlmodel import Session, select

from models.audit import AuditEvent
from models.enums import Role
from models.profile import Profile
from models.recommendation import Outcome
from service.core.db import get_engine
from service.core.security import pseudonym
from tests.factories import profile_payload


def _create(client, actor, **overrides):
    return client.post("/api/v1/profiles", json=profile_payload(**overrides), headers=actor.headers)


def test_create_returns_profile_without_client_number(client, counsellor):
    response = _create(client, counsellor, client_number="KR-000111")

    assert response.status_code == 201
    body = response.get_json()
    assert "client_number" not in body
    assert body["pseudonym"] != "KR-000111"
    assert body["version"] == 1
    assert set(body["focus_groups"]) == {"women", "long_term_unemployed", "migrants"}
    assert body["unemployment_band"] == "12-23"


def test_pseudonym_is_keyed_hmac_not_stored_number(client, counsellor, app):
    _create(client, counsellor, client_number="KR-000222")

    with Session(get_engine(app)) as s:
        stored = s.exec(select(Profile.pseudonym)).one()
    assert stored == pseudonym("KR-000222", key=app.extensions["qualimatch.settings"].pseudonym_key)
    assert stored != pseudonym("KR-000222", key="another-key")


def test_lookup_by_client_number(client, counsellor):
    _create(client, counsellor, client_number="KR-444555")
    _create(client, counsellor)

    body = client.get(
        "/api/v1/profiles?client_number=KR-444555", headers=counsellor.headers
    ).get_json()

    assert body["total"] == 1


def test_other_counsellors_profile_is_not_found(client, factory, counsellor):
    other = factory.actor(Role.COUNSELLOR)
    profile_id = _create(client, other).get_json()["id"]

    for method in ("get", "delete"):
        response = getattr(client, method)(
            f"/api/v1/profiles/{profile_id}", headers=counsellor.headers
        )
        assert response.status_code == 404
    patch = client.patch(
        f"/api/v1/profiles/{profile_id}", json={"version": 1}, headers=counsellor.headers
    )
    assert patch.status_code == 404


def test_update_increments_version(client, counsellor):
    profile_id = _create(client, counsellor).get_json()["id"]

    response = client.patch(
        f"/api/v1/profiles/{profile_id}",
        json={"version": 1, "german_level": "B2"},
        headers=counsellor.headers,
    )

    assert response.status_code == 200
    assert response.get_json()["version"] == 2
    assert response.get_json()["german_level"] == "B2"


def test_stale_update_is_conflict_with_current_version(client, counsellor):
    profile_id = _create(client, counsellor).get_json()["id"]
    client.patch(
        f"/api/v1/profiles/{profile_id}",
        json={"version": 1, "hours_available": 30},
        headers=counsellor.headers,
    )

    response = client.patch(
        f"/api/v1/profiles/{profile_id}",
        json={"version": 1, "hours_available": 20},
        headers=counsellor.headers,
    )

    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "version_conflict"
    assert error["current_version"] == 2


def test_unknown_kldb_code_is_rejected_with_field(client, counsellor):
    response = _create(client, counsellor, target_occupations=["99999"])

    assert response.status_code == 422
    fields = [d["field"] for d in response.get_json()["error"]["details"]]
    assert fields == ["target_occupations.0"]


def test_validation_error_lists_fields_without_echoing_values(client, counsellor):
    response = _create(client, counsellor, age_band="SECRET-VALUE-1", hours_available=-5)

    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "SECRET-VALUE-1" not in text
    fields = {d["field"] for d in response.get_json()["error"]["details"]}
    assert fields == {"age_band", "hours_available"}


def test_free_text_fields_are_refused(client, counsellor):
    response = _create(client, counsellor, notes="lebt mit Partner XY")

    assert response.status_code == 201
    assert "notes" not in response.get_json()


def test_delete_erases_profile_and_derived_rows(client, counsellor, app):
    profile_id = _create(client, counsellor).get_json()["id"]
    with Session(get_engine(app)) as s:
        s.add(Outcome(profile_id=profile_id, status="started"))
        s.commit()

    response = client.delete(f"/api/v1/profiles/{profile_id}", headers=counsellor.headers)

    assert response.status_code == 204
    with Session(get_engine(app)) as s:
        assert s.get(Profile, profile_id) is None
        assert s.exec(select(Outcome)).all() == []
        actions = [
            e.action
            for e in s.exec(select(AuditEvent).where(AuditEvent.object_id == str(profile_id)))
        ]
    assert "profile.delete" in actions


def test_reads_and_writes_are_audited_without_contents(client, counsellor, app):
    profile_id = _create(client, counsellor).get_json()["id"]
    client.get(f"/api/v1/profiles/{profile_id}", headers=counsellor.headers)
    client.patch(
        f"/api/v1/profiles/{profile_id}",
        json={"version": 1, "german_level": "C1"},
        headers=counsellor.headers,
    )

    with Session(get_engine(app)) as s:
        events = list(s.exec(select(AuditEvent).order_by(AuditEvent.id)))
    actions = [e.action for e in events]
    assert actions[-3:] == ["profile.create", "profile.read", "profile.update"]
    assert all(e.actor_id == counsellor.user.id and e.request_id for e in events[-3:])
    assert events[-1].detail == {"fields": ["german_level"]}
    assert "C1" not in str([e.detail for e in events])


def test_client_number_in_another_caseload_reveals_nothing(client, factory, counsellor):
    other = factory.actor(Role.COUNSELLOR)
    _create(client, other, client_number="KR-000444")

    response = _create(client, counsellor, client_number="KR-000444")

    assert response.status_code == 201
    own = client.get("/api/v1/profiles", headers=counsellor.headers).get_json()
    assert [p["id"] for p in own["items"]] == [response.get_json()["id"]]


def test_duplicate_in_own_caseload_names_the_existing_profile(client, counsellor):
    first = _create(client, counsellor, client_number="KR-000555").get_json()["id"]

    response = _create(client, counsellor, client_number="KR-000555")

    assert response.status_code == 409
    assert response.get_json()["error"]["profile_id"] == first
