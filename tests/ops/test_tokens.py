"""Token expiry and revocation, and the role bound to the request's log context."""

from __future__ import annotations

from datetime import timedelta

import structlog
from sqlmodel import Session, select

from models.base import utcnow
from models.enums import Role
from models.user import ApiToken, User
from service.accounts.api_auth import current_user
from service.core.db import get_engine
from service.core.security import hash_token
from tests.ops.conftest import user_with_token


def _status(app, token):
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().get("/api/v1/profiles", headers=headers).status_code


def _update_token(app, token, **values):
    with Session(get_engine(app)) as session:
        row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).one()
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        session.commit()
        return row.id


def test_valid_token_is_accepted(make_app):
    app = make_app()
    _, token = user_with_token(app, Role.COUNSELLOR, "c-valid")
    assert _status(app, token) == 200


def test_expired_token_is_refused(make_app):
    app = make_app()
    _, token = user_with_token(app, Role.COUNSELLOR, "c-expired")
    _update_token(app, token, expires_at=utcnow() - timedelta(seconds=1))
    assert _status(app, token) == 401


def test_revoked_token_is_refused(make_app):
    app = make_app()
    _, token = user_with_token(app, Role.COUNSELLOR, "c-revoked")
    _update_token(app, token, revoked_at=utcnow())
    assert _status(app, token) == 401


def test_deactivated_user_token_is_refused(make_app):
    app = make_app()
    user, token = user_with_token(app, Role.COUNSELLOR, "c-inactive")
    with Session(get_engine(app)) as session:
        row = session.get(User, user.id)
        row.is_active = False
        session.add(row)
        session.commit()
    assert _status(app, token) == 401


def test_cli_revocation_takes_effect_and_is_audited(make_app):
    app = make_app()
    _, token = user_with_token(app, Role.COUNSELLOR, "c-cli")
    token_id = _update_token(app, token)

    with app.app_context():
        result = app.test_cli_runner().invoke(args=["tokens", "revoke", str(token_id)])

    assert result.exit_code == 0
    assert _status(app, token) == 401
    from models.audit import AuditEvent

    with Session(get_engine(app)) as session:
        actions = session.exec(select(AuditEvent.action)).all()
    assert "token.revoke" in actions


def test_cli_issued_tokens_expire_after_the_configured_ttl(make_app):
    app = make_app(TOKEN_TTL_DAYS=7)
    user_with_token(app, Role.ADMIN, "admin-ttl")

    with app.app_context():
        result = app.test_cli_runner().invoke(args=["tokens", "issue", "admin-ttl"])

    token = result.stdout.strip().splitlines()[-1]
    with Session(get_engine(app)) as session:
        row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).one()
    assert timedelta(days=6, hours=23) < row.expires_at - utcnow() <= timedelta(days=7)


def test_role_is_bound_to_the_log_context(make_app):
    app = make_app()
    _, token = user_with_token(app, Role.COORDINATOR, "coord-log")
    headers = {"Authorization": f"Bearer {token}"}
    with app.test_request_context("/api/v1/providers", headers=headers):
        structlog.contextvars.clear_contextvars()
        current_user()
        context = structlog.contextvars.get_contextvars()
    assert context["role"] == "coordinator"
    assert set(context) == {"role"}
