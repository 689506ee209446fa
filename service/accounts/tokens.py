"""API tokens: minted for operators on the server, or created by an administrator for someone
else and collected by that person, so no administrator ever sees another user's token.

Only the SHA-256 of a value is stored, plus its first characters to tell tokens apart.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from flask_babel import gettext as _
from sqlmodel import Session, col, update

from models.base import utcnow
from models.user import ApiToken, User
from service.accounts.errors import AccountConflict, AccountNotFound
from service.accounts.validation import checked_reason
from service.core import audit
from service.core.audit import CLI, Actor
from service.core.security import hash_token, new_token

PREFIX_LENGTH = 10  # "qm_" and seven random characters: enough to recognise, useless to use
TokenStatus = Literal["pending", "active", "expired", "revoked"]


def issue_token(
    session: Session, user: User, *, ttl_days: int, label: str = ""
) -> tuple[str, ApiToken]:
    """Mint a token now; the plain value is returned once and never stored. Not audited."""
    token = new_token()
    row = ApiToken(
        user_id=user.id,  # type: ignore[arg-type]
        token_hash=hash_token(token),
        prefix=token[:PREFIX_LENGTH],
        label=label,
        expires_at=utcnow() + timedelta(days=ttl_days),
        collected_at=utcnow(),
    )
    session.add(row)
    return token, row


def issue_operator_token(
    db: Session,
    user: User,
    *,
    ttl_days: int,
    label: str,
    reason: str = "",
    by: Actor = CLI,
) -> tuple[str, ApiToken]:
    """``qualimatch tokens issue``: the operator on the server receives the value."""
    token, row = issue_token(db, user, ttl_days=ttl_days, label=label)
    db.flush()
    detail = {"user_id": user.id, "reason": reason.strip(), "delivery": "operator"}
    audit.record(db, "token.issue", "api_token", row.id, by=by, detail=detail)
    return token, row


def create_token_for_collection(
    db: Session, user: User, *, ttl_days: int, label: str, reason: str, by: Actor
) -> ApiToken:
    """A token without a value yet: its owner draws the value when collecting it."""
    why = checked_reason(reason)
    row = ApiToken(
        user_id=user.id,  # type: ignore[arg-type]
        label=label.strip(),
        expires_at=utcnow() + timedelta(days=ttl_days),
    )
    db.add(row)
    db.flush()
    detail = {"user_id": user.id, "reason": why, "delivery": "collect"}
    audit.record(db, "token.issue", "api_token", row.id, by=by, detail=detail)
    return row


def collect_token(db: Session, owner: User, token_id: int) -> str:
    """The value of a waiting token, drawn now and shown to its owner only, once."""
    row = db.get(ApiToken, token_id)
    if row is None or row.user_id != owner.id:
        raise AccountNotFound(_("Dieses Token gibt es nicht."))
    if token_status(row) != "pending":
        raise AccountConflict(
            _("Das Token wurde bereits abgeholt, widerrufen oder ist abgelaufen.")
        )
    token = new_token()
    claimed = db.exec(
        update(ApiToken)
        .where(col(ApiToken.id) == token_id, col(ApiToken.token_hash).is_(None))
        .values(token_hash=hash_token(token), prefix=token[:PREFIX_LENGTH], collected_at=utcnow())
    )
    if claimed.rowcount != 1:  # collected at the same moment in another request
        raise AccountConflict(_("Das Token wurde bereits abgeholt."))
    audit.record(db, "token.collect", "api_token", token_id, by=Actor.of(owner))
    db.refresh(row)
    return token


def revoke_token(
    db: Session, token_id: int, *, by: Actor, reason: str = "", owner_id: int | None = None
) -> ApiToken:
    """Revoke one token (``owner_id``: only if it belongs to that user)."""
    row = db.get(ApiToken, token_id)
    if row is None or (owner_id is not None and row.user_id != owner_id):
        raise AccountNotFound(_("Token %(token_id)s nicht gefunden.", token_id=token_id))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.add(row)
        detail = {"user_id": row.user_id, "reason": reason.strip()}
        audit.record(db, "token.revoke", "api_token", token_id, by=by, detail=detail)
    return row


def revoke_user_tokens(db: Session, user_id: int) -> int:
    """Revoke every token of the user, collected or waiting; the number revoked."""
    result = db.exec(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount)


def token_status(row: ApiToken, now: datetime | None = None) -> TokenStatus:
    now = now or utcnow()
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "pending" if row.token_hash is None else "active"
