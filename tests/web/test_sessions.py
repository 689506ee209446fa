"""Server-side web sessions: a saved cookie stops working on sign-out, timeout or account change."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from models.base import utcnow
from models.enums import Role
from models.user import WebSession
from service.core.db import get_engine
from service.core.security import hash_token
from tests.web.conftest import PASSWORD, account, csrf_token, sign_in

COOKIE = "qm_session"


def _replay(app, cookie: str, path: str = "/beratung/"):
    """A fresh client that presents only the saved cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, cookie)
    return other.get(path)


def _signed_out(response) -> bool:
    return response.status_code == 302 and "/anmelden" in response.headers["Location"]


def _age_sessions(app, **ago: timedelta) -> None:
    with Session(get_engine(app)) as s:
        for row in s.exec(select(WebSession)):
            for column, delta in ago.items():
                setattr(row, column, utcnow() - delta)
            s.add(row)
        s.commit()


def test_saved_cookie_does_not_work_after_sign_out(app, signed_in):
    client, _ = signed_in(Role.COUNSELLOR)
    saved = client.get_cookie(COOKIE).value
    assert _replay(app, saved).status_code == 200

    client.post("/abmelden", data={"csrf_token": csrf_token(client, "/beratung/")})

    assert _signed_out(_replay(app, saved))


def test_cookie_names_a_session_row_not_the_user(app, signed_in):
    client, name = signed_in(Role.COUNSELLOR)

    with client.session_transaction() as cookie:
        session_id = cookie["_user_id"]

    assert session_id != str(account(app, name).id)
    with Session(get_engine(app)) as s:
        row = s.get(WebSession, hash_token(session_id))
        assert row is not None
        assert row.user_id == account(app, name).id
        assert s.get(WebSession, session_id) is None  # only the hash is stored


def test_session_ends_after_idle_timeout(app, signed_in):
    client, _ = signed_in(Role.COUNSELLOR)
    idle = app.extensions["qualimatch.settings"].session_idle_minutes

    _age_sessions(app, last_seen_at=timedelta(minutes=idle + 1))

    assert _signed_out(client.get("/beratung/"))


def test_session_ends_after_absolute_lifetime_even_when_active(app, signed_in):
    client, _ = signed_in(Role.COUNSELLOR)
    hours = app.extensions["qualimatch.settings"].session_max_hours

    _age_sessions(app, created_at=timedelta(hours=hours, minutes=1), last_seen_at=timedelta(0))

    assert _signed_out(client.get("/beratung/"))


def test_active_session_within_limits_stays_signed_in(app, signed_in):
    client, _ = signed_in(Role.COUNSELLOR)

    _age_sessions(app, last_seen_at=timedelta(minutes=5), created_at=timedelta(hours=1))

    assert client.get("/beratung/").status_code == 200


def test_password_change_ends_other_sessions_and_keeps_this_one(app, signed_in):
    client, name = signed_in(Role.COUNSELLOR)
    elsewhere = app.test_client()
    sign_in(elsewhere, name)
    token = csrf_token(client, "/konto/passwort")

    response = client.post(
        "/konto/passwort",
        data={
            "current": PASSWORD,
            "new": "Ein-neues-Passwort-2026",
            "repeat": "Ein-neues-Passwort-2026",
            "csrf_token": token,
        },
    )

    assert response.status_code == 302
    assert _signed_out(elsewhere.get("/beratung/"))
    assert client.get("/beratung/").status_code == 200


def test_password_change_needs_the_current_password(app, signed_in):
    client, name = signed_in(Role.COUNSELLOR)
    before = account(app, name).password_hash
    token = csrf_token(client, "/konto/passwort")

    response = client.post(
        "/konto/passwort",
        data={"current": "falsch", "new": "x" * 14, "repeat": "x" * 14, "csrf_token": token},
    )

    assert response.status_code == 422
    assert "bisherige Passwort ist falsch" in response.get_data(as_text=True)
    assert account(app, name).password_hash == before


def test_ended_sessions_are_removed_at_the_next_sign_in(app, signed_in):
    client, name = signed_in(Role.COUNSELLOR)
    client.post("/abmelden", data={"csrf_token": csrf_token(client, "/beratung/")})

    sign_in(client, name)

    with Session(get_engine(app)) as s:
        rows = s.exec(select(WebSession).where(WebSession.user_id == account(app, name).id)).all()
    assert [row.revoked_at for row in rows] == [None]
