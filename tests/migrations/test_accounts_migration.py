"""Revision 0002 keeps existing users and tokens working: tokens count as collected."""

from __future__ import annotations

from sqlalchemy import text

from service.core import migrations
from tests.migrations.test_migrations import empty_engine  # noqa: F401 - the shared fixture


def test_existing_tokens_and_users_survive_the_upgrade(empty_engine):  # noqa: F811
    migrations.upgrade(empty_engine, "0001")
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO app_user (id, username, role, is_active, failed_logins, created_at)"
                " VALUES (1, 'beratung', 'counsellor', true, 0, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO api_token (user_id, token_hash, label, created_at)"
                " VALUES (1, 'abc', 'alt', CURRENT_TIMESTAMP)"
            )
        )

    migrations.upgrade(empty_engine)

    with empty_engine.connect() as conn:
        token = conn.execute(text("SELECT collected_at, token_hash FROM api_token")).one()
        user = conn.execute(text("SELECT password_change_required FROM app_user")).one()
    assert token.collected_at is not None
    assert token.token_hash == "abc"
    assert user.password_change_required in (False, 0)
