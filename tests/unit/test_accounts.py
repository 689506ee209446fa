"""The accounts module's rules, called directly: domain errors, not CLI or HTTP ones."""

from __future__ import annotations

import time

import click
import pyotp
import pytest

from models.enums import Role
from service import accounts
from service.accounts import AccountConflict, AccountNotFound, InvalidAccountInput
from service.core.audit import CLI, Actor


def _user(session, name: str = "beratung-1", role: Role = Role.COUNSELLOR):
    user = accounts.create_user(session, name, role, password="Krefeld-Test-2026!")
    session.commit()
    return user


def test_duplicate_name_is_a_domain_conflict_not_a_click_error(session):
    _user(session)

    with pytest.raises(AccountConflict) as caught:
        accounts.create_user(session, "beratung-1", Role.COUNSELLOR)

    assert not isinstance(caught.value, click.ClickException)


def test_partner_needs_a_provider(session):
    with pytest.raises(InvalidAccountInput):
        accounts.create_user(session, "traeger-1", Role.PARTNER)


def test_short_password_is_refused(session):
    with pytest.raises(InvalidAccountInput):
        accounts.create_user(session, "kurz-1", Role.COUNSELLOR, password="kurz")


def test_reset_without_reason_changes_nothing(session):
    user = _user(session)
    before = user.password_hash

    with pytest.raises(InvalidAccountInput):
        accounts.reset_password(session, user, reason=" ", by=CLI)

    assert user.password_hash == before


def test_admin_cannot_change_own_role(session):
    admin = _user(session, "admin-1", Role.ADMIN)

    with pytest.raises(AccountConflict):
        accounts.change_role(session, admin, Role.COUNSELLOR, reason="Test", by=Actor.of(admin))


def test_waiting_token_is_collected_once(session):
    user = _user(session)
    row = accounts.create_token_for_collection(
        session, user, ttl_days=1, label="x", reason="Test", by=CLI
    )
    accounts.collect_token(session, user, row.id)

    with pytest.raises(AccountConflict):
        accounts.collect_token(session, user, row.id)


def test_someone_elses_token_cannot_be_collected(session):
    owner, other = _user(session), _user(session, "beratung-2")
    row = accounts.create_token_for_collection(
        session, owner, ttl_days=1, label="x", reason="Test", by=CLI
    )

    with pytest.raises(AccountNotFound):
        accounts.collect_token(session, other, row.id)


def test_same_totp_code_is_accepted_once(session):
    user = _user(session, "admin-2", Role.ADMIN)
    user.totp_secret = pyotp.random_base32()
    code = pyotp.TOTP(user.totp_secret).now()

    assert accounts.accept_code(session, user, code) is True
    assert accounts.accept_code(session, user, code) is False


def test_earlier_step_is_refused_after_a_later_one(session):
    user = _user(session, "admin-3", Role.ADMIN)
    user.totp_secret = pyotp.random_base32()
    totp = pyotp.TOTP(user.totp_secret)

    assert accounts.accept_code(session, user, totp.at(time.time() + 30)) is True
    assert accounts.accept_code(session, user, totp.now()) is False
