"""Account lifecycle in the admin pages: each action needs a reason, is audited, ends sessions."""

from __future__ import annotations

import re

import pyotp
from sqlmodel import Session, select

from models.audit import AuditEvent
from models.enums import Role
from service.accounts import issue_token
from service.core.db import get_engine
from tests.web.conftest import account, csrf_token, sign_in


def _act(admin, user_id: int, action: str, prefix: str, reason: str = "Ticket 4711", **extra):
    token = csrf_token(admin, f"/admin/benutzer/{user_id}")
    data = {f"{prefix}-reason": reason, "csrf_token": token} | extra
    return admin.post(f"/admin/benutzer/{user_id}/{action}", data=data)


def _signed_out(client) -> bool:
    response = client.get("/")
    return "/anmelden" in response.headers.get("Location", "")


def _api_token(app, name: str) -> str:
    with Session(get_engine(app), expire_on_commit=False) as s:
        user = account(app, name)
        token, _ = issue_token(s, user, ttl_days=1, label="test")
        s.commit()
    return token


def _api_status(app, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().get("/api/v1/occupations/search?q=pflege", headers=headers).status_code


def _landing_after_sign_in(app, name: str) -> str:
    """Where a fresh browser lands after signing in as ``name``."""
    return sign_in(app.test_client(), name).headers["Location"]


def _event(app, action: str) -> AuditEvent:
    with Session(get_engine(app)) as s:
        return s.exec(select(AuditEvent).where(AuditEvent.action == action)).one()


def test_deactivation_ends_sessions_and_revokes_tokens(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    person, name = signed_in(Role.COUNSELLOR)
    token = _api_token(app, name)

    _act(admin, account(app, name).id, "deaktivieren", "deactivate")

    assert account(app, name).is_active is False
    assert _signed_out(person)
    assert _api_status(app, token) == 401


def test_deactivation_is_audited_with_actor_and_reason(app, signed_in):
    admin, admin_name = signed_in(Role.ADMIN)
    _, name = signed_in(Role.COUNSELLOR)

    _act(admin, account(app, name).id, "deaktivieren", "deactivate", reason="Austritt 30.11.")

    event = _event(app, "user.deactivate")
    assert event.actor_id == account(app, admin_name).id
    assert event.object_id == str(account(app, name).id)
    assert event.detail["reason"] == "Austritt 30.11."
    assert event.detail["sessions_ended"] == 1


def test_action_without_reason_changes_nothing(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    person, name = signed_in(Role.COUNSELLOR)

    _act(admin, account(app, name).id, "deaktivieren", "deactivate", reason="")

    assert account(app, name).is_active is True
    assert not _signed_out(person)


def test_admin_cannot_deactivate_own_account(app, signed_in):
    admin, admin_name = signed_in(Role.ADMIN)

    _act(admin, account(app, admin_name).id, "deaktivieren", "deactivate")

    assert account(app, admin_name).is_active is True


def test_reactivated_user_can_sign_in_again(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    _, name = signed_in(Role.COUNSELLOR)
    user_id = account(app, name).id
    _act(admin, user_id, "deaktivieren", "deactivate")

    _act(admin, user_id, "reaktivieren", "reactivate")

    assert _landing_after_sign_in(app, name).endswith("/beratung/")


def test_password_reset_shows_one_time_code_that_must_be_replaced(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    person, name = signed_in(Role.COUNSELLOR)

    page = _act(admin, account(app, name).id, "passwort-zuruecksetzen", "password")
    code = re.search(r'id="reset-code">([A-Z0-9-]+)<', page.get_data(as_text=True)).group(1)

    assert _signed_out(person)
    fresh = app.test_client()
    assert sign_in(fresh, name, code).status_code == 302
    assert fresh.get("/beratung/").headers["Location"].endswith("/konto/passwort")
    changed = fresh.post(
        "/konto/passwort",
        data={
            "current": code,
            "new": "Selbst-gewaehlt-2026",
            "repeat": "Selbst-gewaehlt-2026",
            "csrf_token": csrf_token(fresh, "/konto/passwort"),
        },
    )
    assert changed.status_code == 302
    assert fresh.get("/beratung/").status_code == 200
    assert account(app, name).password_change_required is False


def test_old_password_fails_after_reset(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    _, name = signed_in(Role.COUNSELLOR)

    _act(admin, account(app, name).id, "passwort-zuruecksetzen", "password")

    response = sign_in(app.test_client(), name)
    assert response.status_code == 200  # the sign-in page again, with the error


def test_role_change_ends_sessions_and_revokes_tokens(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    person, name = signed_in(Role.COUNSELLOR)
    token = _api_token(app, name)

    _act(admin, account(app, name).id, "rolle", "role", **{"role-role": "coordinator"})

    assert account(app, name).role == Role.COORDINATOR
    assert _signed_out(person)
    assert _api_status(app, token) == 401
    event = _event(app, "user.role_change")
    assert (event.detail["before"], event.detail["after"]) == ("counsellor", "coordinator")


def test_role_change_to_partner_needs_a_provider(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    _, name = signed_in(Role.COUNSELLOR)

    _act(admin, account(app, name).id, "rolle", "role", **{"role-role": "partner"})

    assert account(app, name).role == Role.COUNSELLOR


def test_second_factor_reset_ends_sessions_and_asks_to_enrol_again(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    person, name = signed_in(Role.COORDINATOR)

    _act(admin, account(app, name).id, "zweiter-faktor-zuruecksetzen", "totp")

    assert account(app, name).totp_secret is None
    assert _signed_out(person)
    assert _landing_after_sign_in(app, name).endswith("/anmelden/einrichten")


def test_lifecycle_actions_are_admin_only(app, signed_in):
    coordinator, _ = signed_in(Role.COORDINATOR)
    _, name = signed_in(Role.COUNSELLOR)

    response = _act(coordinator, account(app, name).id, "deaktivieren", "deactivate")

    assert response.status_code == 403
    assert account(app, name).is_active is True


def test_enrolment_after_reset_accepts_a_new_secret(app, signed_in):
    admin, _ = signed_in(Role.ADMIN)
    _, name = signed_in(Role.COORDINATOR)
    _act(admin, account(app, name).id, "zweiter-faktor-zuruecksetzen", "totp")
    client = app.test_client()
    sign_in(client, name)
    page = client.get("/anmelden/einrichten").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")

    token = csrf_token(client, "/anmelden/einrichten")
    response = client.post(
        "/anmelden/einrichten", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token}
    )

    assert response.status_code == 302
    assert account(app, name).totp_secret == secret
