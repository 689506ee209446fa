"""The life of an account: creation, deactivation, password and second-factor resets, roles.

Every change that alters what a person may do ends their web sessions; deactivation and a role
change also revoke their API tokens, since a token carries the role it was issued under.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import gettext
from sqlmodel import Session, select

from models.enums import Role
from models.provider import Provider
from models.user import User
from service.accounts.errors import AccountConflict, AccountNotFound, InvalidAccountInput
from service.accounts.sessions import end_user_sessions
from service.accounts.tokens import revoke_user_tokens
from service.accounts.validation import checked_password, checked_reason, checked_username
from service.core import audit
from service.core.audit import CLI, Actor
from service.core.security import hash_password, verify_password

#: No 0/O or 1/I/L: the code is read out or typed from a screen.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 4


def find_user(db: Session, name: str) -> User:
    user = db.exec(select(User).where(User.username == name.strip())).first()
    if user is None:
        raise AccountNotFound(gettext("Benutzer %(name)s nicht gefunden.", name=f"{name!r}"))
    return user


def create_user(
    session: Session,
    name: str,
    role: Role,
    *,
    provider_id: int | None = None,
    password: str | None = None,
    by: Actor = CLI,
) -> User:
    """A new account; without a password it can use tokens only until one is set."""
    checked_username(name)
    if session.exec(select(User).where(User.username == name)).first():
        raise AccountConflict(gettext("Benutzer %(name)s existiert bereits.", name=f"{name!r}"))
    _check_provider(session, role, provider_id)
    user = User(
        username=name,
        role=role,
        provider_id=provider_id,
        password_hash=hash_password(checked_password(password)) if password else None,
    )
    session.add(user)
    session.flush()
    audit.record(session, "user.create", "user", user.id, by=by, detail={"role": role.value})
    return user


def deactivate(db: Session, user: User, *, reason: str, by: Actor) -> None:
    why = checked_reason(reason)
    _not_oneself(user, by, "deaktivieren")
    if not user.is_active:
        raise AccountConflict(
            gettext("%(username)s ist bereits deaktiviert.", username=user.username)
        )
    user.is_active = False
    db.add(user)
    _audit(db, "user.deactivate", user, by, why, **_end_access(db, user, "deactivated"))


def reactivate(db: Session, user: User, *, reason: str, by: Actor) -> None:
    why = checked_reason(reason)
    if user.is_active:
        raise AccountConflict(gettext("%(username)s ist bereits aktiv.", username=user.username))
    user.is_active = True
    user.failed_logins, user.locked_until = 0, None
    db.add(user)
    _audit(db, "user.reactivate", user, by, why)


def reset_password(db: Session, user: User, *, reason: str, by: Actor) -> str:
    """A one-time code that replaces the password until the user sets a new one at sign-in."""
    why = checked_reason(reason)
    code = "-".join(
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(CODE_GROUPS)
    )
    user.password_hash = hash_password(code)
    user.password_change_required = True
    user.failed_logins, user.locked_until = 0, None
    db.add(user)
    ended = end_user_sessions(db, user.id, reason="password_reset")  # type: ignore[arg-type]
    _audit(db, "user.password_reset", user, by, why, sessions_ended=ended)
    return code


def change_own_password(db: Session, user: User, *, current: str, new: str) -> None:
    """The user replaces their password (or a reset code); all their sessions end."""
    if not verify_password(user.password_hash, current):
        raise InvalidAccountInput(gettext("Das bisherige Passwort ist falsch."))
    checked_password(new)
    if new == current:
        raise InvalidAccountInput(
            gettext("Das neue Passwort muss sich vom bisherigen unterscheiden.")
        )
    user.password_hash = hash_password(new)
    user.password_change_required = False
    db.add(user)
    ended = end_user_sessions(db, user.id, reason="password_change")  # type: ignore[arg-type]
    audit.record(
        db,
        "user.password_change",
        "user",
        user.id,
        by=Actor.of(user),
        detail={"sessions_ended": ended},
    )


def change_role(
    db: Session,
    user: User,
    role: Role,
    *,
    provider_id: int | None = None,
    reason: str,
    by: Actor,
) -> None:
    why = checked_reason(reason)
    _not_oneself(user, by, gettext("in eine andere Rolle versetzen"))
    _check_provider(db, role, provider_id)
    if Role(user.role) == role and user.provider_id == provider_id:
        raise AccountConflict(gettext("Rolle und Träger sind unverändert."))
    before = str(user.role)
    user.role, user.provider_id = role, provider_id
    db.add(user)
    access = _end_access(db, user, "role_change")
    _audit(db, "user.role_change", user, by, why, before=before, after=role.value, **access)


def reset_second_factor(db: Session, user: User, *, reason: str, by: Actor) -> None:
    """Forget the TOTP secret: the user sets up a new one at the next sign-in."""
    why = checked_reason(reason)
    user.totp_secret, user.totp_last_step = None, None
    db.add(user)
    ended = end_user_sessions(db, user.id, reason="second_factor_reset")  # type: ignore[arg-type]
    _audit(db, "user.totp_reset", user, by, why, sessions_ended=ended)


def unlock(db: Session, user: User, *, by: Actor, reason: str = "") -> None:
    user.locked_until = None
    user.failed_logins = 0
    db.add(user)
    _audit(db, "user.unlock", user, by, reason.strip())


def _check_provider(db: Session, role: Role, provider_id: int | None) -> None:
    if role == Role.PARTNER:
        if provider_id is None:
            raise InvalidAccountInput(
                gettext("Partner-Konten brauchen einen Träger (--provider-id).")
            )
        if db.get(Provider, provider_id) is None:
            raise InvalidAccountInput(
                gettext("Träger %(provider_id)s existiert nicht.", provider_id=provider_id)
            )
    elif provider_id is not None:
        raise InvalidAccountInput(gettext("Ein Träger gilt nur für die Rolle partner."))


def _not_oneself(user: User, by: Actor, action: str) -> None:
    if by.id is not None and by.id == user.id:
        raise AccountConflict(
            gettext("Das eigene Konto lässt sich nicht %(action)s.", action=action)
        )


def _end_access(db: Session, user: User, reason: str) -> dict[str, int]:
    user_id: int = user.id  # type: ignore[assignment]
    return {
        "sessions_ended": end_user_sessions(db, user_id, reason=reason),
        "tokens_revoked": revoke_user_tokens(db, user_id),
    }


def _audit(db: Session, action: str, user: User, by: Actor, reason: str, **extra: Any) -> None:
    detail = {"reason": reason, **extra}
    audit.record(db, action, "user", user.id, by=by, detail=detail)
