"""Sign-in rules with the test client: CSRF, lockout, second factor, cookies, API separation."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from sqlmodel import Session, select

from models.base import utcnow
from models.enums import Role
from models.user import User
from service.core.db import get_engine
from tests.web.conftest import PASSWORD, csrf_token, sign_in


def _user(app, name: str) -> User:
    with Session(get_engine(app)) as s:
        return s.exec(select(User).where(User.username == name)).one()


def test_post_without_csrf_token_is_rejected(client, make_user):
    name = make_user(Role.COUNSELLOR)

    response = client.post("/anmelden", data={"username": name, "password": PASSWORD})

    assert response.status_code == 400
    assert "Sicherheitstoken" in response.get_data(as_text=True)


def test_counsellor_signs_in_with_password(client, make_user):
    response = sign_in(client, make_user(Role.COUNSELLOR))

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/beratung/")
    assert client.get("/beratung/").status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    response = sign_in(client, make_user(Role.COUNSELLOR))

    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("qm_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_api_ignores_the_web_session_cookie(client, make_user):
    sign_in(client, make_user(Role.COUNSELLOR))

    response = client.get("/api/v1/profiles")

    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_account_locks_after_max_failures(app, client, make_user):
    name = make_user(Role.COUNSELLOR)
    settings = app.extensions["qualimatch.settings"]

    for _ in range(settings.login_max_failures):
        sign_in(client, name, "falsch")
    response = sign_in(client, name)

    assert response.status_code == 200
    assert "gesperrt" in response.get_data(as_text=True)
    locked_until = _user(app, name).locked_until
    assert locked_until is not None
    assert locked_until > utcnow() + timedelta(minutes=settings.login_lockout_minutes - 1)


def test_lock_expires_after_lockout_period(app, client, make_user):
    name = make_user(Role.COUNSELLOR)
    with Session(get_engine(app)) as s:
        user = s.exec(select(User).where(User.username == name)).one()
        user.locked_until = utcnow() - timedelta(seconds=1)
        s.add(user)
        s.commit()

    response = sign_in(client, name)

    assert response.status_code == 302
    assert _user(app, name).failed_logins == 0


def test_coordinator_without_second_factor_must_enrol(client, make_user):
    response = sign_in(client, make_user(Role.COORDINATOR))

    assert response.headers["Location"].endswith("/anmelden/einrichten")
    page = client.get("/anmelden/einrichten").get_data(as_text=True)
    assert "<svg" in page
    assert client.get("/koordination/").status_code == 302  # not signed in yet


def test_admin_needs_current_totp_code(client, make_user):
    secret = pyotp.random_base32()
    name = make_user(Role.ADMIN, totp=secret)
    sign_in(client, name)
    token = csrf_token(client, "/anmelden/code")

    wrong = client.post("/anmelden/code", data={"code": "123456", "csrf_token": token})
    right = client.post(
        "/anmelden/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token}
    )

    assert "falsch" in wrong.get_data(as_text=True) or pyotp.TOTP(secret).now() == "123456"
    assert right.status_code == 302
    assert right.headers["Location"].endswith("/admin/")


def test_other_roles_pages_are_forbidden(client, make_user):
    sign_in(client, make_user(Role.COUNSELLOR))

    assert client.get("/admin/").status_code == 403
    assert client.get("/koordination/").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/beratung/")

    assert response.status_code == 302
    assert "/anmelden" in response.headers["Location"]


def _messages(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('id="messages"', 1)[1].split("</div>", 1)[0]


def test_lockout_answer_does_not_reveal_whether_the_user_exists(app, make_user):
    known = make_user(Role.COUNSELLOR)
    failures = app.extensions["qualimatch.settings"].login_max_failures
    answers = {}

    for name in (known, "niemand-hier"):
        client = app.test_client()
        for _ in range(failures):
            sign_in(client, name, "falsch")
        answers[name] = sign_in(client, name, "falsch")

    assert _user(app, known).locked_until is not None
    assert answers[known].status_code == answers["niemand-hier"].status_code
    assert _messages(answers[known]) == _messages(answers["niemand-hier"])


def _sign_in_with_code(app, name: str, code: str):
    client = app.test_client()
    sign_in(client, name)
    token = csrf_token(client, "/anmelden/code")
    return client.post("/anmelden/code", data={"code": code, "csrf_token": token})


def test_totp_code_is_accepted_only_once(app, make_user):
    secret = pyotp.random_base32()
    name = make_user(Role.ADMIN, totp=secret)
    code = pyotp.TOTP(secret).now()

    first = _sign_in_with_code(app, name, code)
    second = _sign_in_with_code(app, name, code)

    assert first.status_code == 302
    assert second.status_code == 200
    assert "Der Code ist falsch oder abgelaufen." in second.get_data(as_text=True)


def test_enrolment_code_cannot_be_used_again_to_sign_in(app, client, make_user):
    name = make_user(Role.COORDINATOR)
    sign_in(client, name)
    page = client.get("/anmelden/einrichten").get_data(as_text=True)
    secret = page.split('id="totp-secret">', 1)[1].split("<", 1)[0].replace(" ", "")
    code = pyotp.TOTP(secret).now()
    token = csrf_token(client, "/anmelden/einrichten")
    enrolled = client.post("/anmelden/einrichten", data={"code": code, "csrf_token": token})

    again = _sign_in_with_code(app, name, code)

    assert enrolled.status_code == 302
    assert again.status_code == 200
    assert "Der Code ist falsch oder abgelaufen." in again.get_data(as_text=True)
