"""API tokens an administrator creates: only their owner ever sees the value."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from models.audit import AuditEvent
from models.enums import Role
from models.user import ApiToken
from service.core.db import get_engine
from tests.web.conftest import account, csrf_token

TOKEN_VALUE = re.compile(r"qm_[A-Za-z0-9_-]{20,}")


def _create_for(admin, user_id: int, reason: str = "Anbindung Fachverfahren"):
    token = csrf_token(admin, f"/admin/benutzer/{user_id}")
    return admin.post(
        f"/admin/benutzer/{user_id}",
        data={"token-label": "Fachverfahren", "token-reason": reason, "csrf_token": token},
        follow_redirects=True,
    )


def _tokens(app, user_id: int) -> list[ApiToken]:
    with Session(get_engine(app)) as s:
        return list(s.exec(select(ApiToken).where(ApiToken.user_id == user_id)))


def _collect(client, token_id: int):
    token = csrf_token(client, "/konto/tokens")
    return client.post(f"/konto/tokens/{token_id}/abholen", data={"csrf_token": token})


def test_admin_creating_a_token_for_a_counsellor_sees_no_token(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    _, name = signed_in(Role.COUNSELLOR)
    target = account(app, name)

    page = _create_for(admin, target.id).get_data(as_text=True)

    assert TOKEN_VALUE.search(page) is None
    [row] = _tokens(app, target.id)
    assert row.token_hash is None  # no value exists until the owner collects it


def test_token_creation_is_audited_with_who_for_whom_and_why(app, signed_in):
    admin, admin_name = signed_in(Role.ADMIN)
    _, name = signed_in(Role.COUNSELLOR)

    _create_for(admin, account(app, name).id, reason="Schnittstelle Ticket 42")

    with Session(get_engine(app)) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "token.issue")).one()
    assert event.actor_id == account(app, admin_name).id
    assert event.detail["user_id"] == account(app, name).id
    assert event.detail["reason"] == "Schnittstelle Ticket 42"


def test_token_without_reason_is_not_created(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    _, name = signed_in(Role.COUNSELLOR)

    response = _create_for(admin, account(app, name).id, reason="")

    assert response.status_code == 422
    assert _tokens(app, account(app, name).id) == []


@dataclass(frozen=True)
class Waiting:
    """A token an administrator created for a counsellor, not yet collected."""

    admin: FlaskClient
    owner: FlaskClient
    user_id: int
    token_id: int


@pytest.fixture
def waiting(app, signed_in) -> Waiting:
    admin, _ = signed_in(Role.ADMIN)
    owner, name = signed_in(Role.COUNSELLOR)
    user_id = account(app, name).id
    _create_for(admin, user_id)
    [row] = _tokens(app, user_id)
    return Waiting(admin, owner, user_id, row.id)


def _collected_value(waiting: Waiting) -> str | None:
    found = TOKEN_VALUE.search(_collect(waiting.owner, waiting.token_id).get_data(as_text=True))
    return found.group(0) if found else None


def test_owner_collects_the_token_once_and_it_works(app, waiting):
    value = _collected_value(waiting)

    headers = {"Authorization": f"Bearer {value}"}
    assert app.test_client().get("/api/v1/profiles", headers=headers).status_code == 200
    assert _collected_value(waiting) is None


def test_admin_page_shows_prefix_but_never_the_collected_value(waiting):
    value = _collected_value(waiting)

    page = waiting.admin.get(f"/admin/benutzer/{waiting.user_id}").get_data(as_text=True)

    assert value not in page
    assert value[:10] in page
    assert "aktiv" in page


def test_nobody_else_can_collect_a_token(app, signed_in, waiting):
    other, _ = signed_in(Role.COUNSELLOR)

    response = _collect(other, waiting.token_id)

    assert response.status_code == 404
    assert _tokens(app, waiting.user_id)[0].token_hash is None


def test_admin_cannot_collect_a_token_meant_for_someone_else(waiting):
    assert _collect(waiting.admin, waiting.token_id).status_code == 404


def test_owner_revokes_own_token(app, waiting):
    value = _collected_value(waiting)

    token = csrf_token(waiting.owner, "/konto/tokens")
    waiting.owner.post(f"/konto/tokens/{waiting.token_id}/widerrufen", data={"csrf_token": token})

    headers = {"Authorization": f"Bearer {value}"}
    assert app.test_client().get("/api/v1/profiles", headers=headers).status_code == 401


def test_admin_revokes_a_waiting_token_so_it_cannot_be_collected(app, waiting):
    admin_page = f"/admin/benutzer/{waiting.user_id}"
    token = csrf_token(waiting.admin, admin_page)
    waiting.admin.post(
        f"{admin_page}/tokens/{waiting.token_id}/widerrufen", data={"csrf_token": token}
    )

    assert _collected_value(waiting) is None
    assert _tokens(app, waiting.user_id)[0].token_hash is None
