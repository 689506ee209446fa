"""``qualimatch users`` lifecycle commands: the same rules as the admin pages, audited as cli."""

from __future__ import annotations

from sqlmodel import Session, select

from models.audit import AuditEvent
from models.enums import Role
from models.user import ApiToken, User
from service.core.db import get_engine
from service.core.security import verify_password
from tests.ops.conftest import user_with_token


def _run(app, *args: str):
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def _user(app, name: str) -> User:
    with Session(get_engine(app)) as s:
        return s.exec(select(User).where(User.username == name)).one()


def _api_status(app, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().get("/api/v1/profiles", headers=headers).status_code


def _events(app, action: str) -> list[AuditEvent]:
    with Session(get_engine(app)) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)))


def test_deactivate_revokes_tokens_and_records_the_reason(make_app):
    app = make_app()
    _, token = user_with_token(app, Role.COUNSELLOR, "c-leaves")

    result = _run(app, "users", "deactivate", "c-leaves", "--reason", "Austritt")

    assert result.exit_code == 0, result.output
    assert _user(app, "c-leaves").is_active is False
    assert _api_status(app, token) == 401
    [event] = _events(app, "user.deactivate")
    assert (event.actor_role, event.detail["reason"]) == ("cli", "Austritt")


def test_deactivate_needs_a_reason(make_app):
    app = make_app()
    user_with_token(app, Role.COUNSELLOR, "c-stays")

    result = _run(app, "users", "deactivate", "c-stays")

    assert result.exit_code != 0
    assert _user(app, "c-stays").is_active is True


def test_reset_password_prints_only_the_code_on_stdout(make_app):
    app = make_app()
    user_with_token(app, Role.COUNSELLOR, "c-forgot")

    result = _run(app, "users", "reset-password", "c-forgot", "--reason", "vergessen")

    code = result.stdout.strip()
    user = _user(app, "c-forgot")
    assert verify_password(user.password_hash, code)
    assert user.password_change_required is True


def test_set_role_revokes_tokens(make_app):
    app = make_app()
    _, token = user_with_token(app, Role.COUNSELLOR, "c-moves")

    result = _run(
        app, "users", "set-role", "c-moves", "--role", "coordinator", "--reason", "Wechsel"
    )

    assert result.exit_code == 0, result.output
    assert _user(app, "c-moves").role == Role.COORDINATOR
    assert _api_status(app, token) == 401


def test_reset_second_factor_forgets_the_secret(make_app):
    app = make_app()
    user_with_token(app, Role.ADMIN, "a-lost-phone")
    with Session(get_engine(app)) as s:
        user = s.exec(select(User).where(User.username == "a-lost-phone")).one()
        user.totp_secret = "JBSWY3DPEHPK3PXP"
        s.add(user)
        s.commit()

    _run(app, "users", "reset-second-factor", "a-lost-phone", "--reason", "Handy verloren")

    assert _user(app, "a-lost-phone").totp_secret is None


def test_unknown_user_is_a_cli_error_not_a_trace(make_app):
    app = make_app()

    result = _run(app, "users", "deactivate", "niemand", "--reason", "Test")

    assert result.exit_code == 1
    assert "nicht gefunden" in result.output
    assert "Traceback" not in result.output


def test_duplicate_user_is_a_cli_error(make_app):
    app = make_app()
    user_with_token(app, Role.COUNSELLOR, "c-twice")

    result = _run(app, "users", "create", "c-twice", "--role", "counsellor")

    assert result.exit_code == 1
    assert "existiert bereits" in result.output


def test_issued_token_is_audited_with_owner_and_reason(make_app):
    app = make_app()
    user_id = user_with_token(app, Role.COUNSELLOR, "c-api")[0].id

    result = _run(app, "tokens", "issue", "c-api", "--reason", "Fachverfahren")

    assert result.stdout.strip().startswith("qm_")
    [event] = _events(app, "token.issue")
    assert event.detail == {"user_id": user_id, "reason": "Fachverfahren", "delivery": "operator"}
    with Session(get_engine(app)) as s:
        assert s.get(ApiToken, int(event.object_id)).user_id == user_id
