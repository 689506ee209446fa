"""Server-side web sessions: the browser's cookie names a row here, and only that row counts.

A row is valid while it is not revoked, was used within the idle timeout and is younger than
the absolute lifetime. Ending sessions is an UPDATE, so it takes effect on every worker at once.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlmodel import Session, col, delete, or_, update

from models.base import utcnow
from models.user import User, WebSession
from service.core.security import hash_token

#: ``last_seen_at`` is written at most this often, so reading a page rarely writes.
TOUCH_INTERVAL = timedelta(seconds=60)


def start_session(db: Session, user: User, *, lifetime: timedelta) -> str:
    """A new session for ``user``; the returned id goes into the cookie, its hash into the row.

    The user's ended sessions are removed on the way, so the table stays as small as the number
    of open sign-ins (sign-ins themselves are in the audit trail).
    """
    db.exec(
        delete(WebSession).where(
            col(WebSession.user_id) == user.id,
            or_(
                col(WebSession.revoked_at).is_not(None),
                col(WebSession.created_at) < utcnow() - lifetime,
            ),
        )
    )
    session_id = secrets.token_urlsafe(32)
    db.add(WebSession(id=hash_token(session_id), user_id=user.id))  # type: ignore[arg-type]
    return session_id


def resolve_session(
    db: Session, session_id: str, *, idle: timedelta, lifetime: timedelta
) -> User | None:
    """The active account behind ``session_id``, or ``None`` (ending a timed-out session)."""
    row = db.get(WebSession, hash_token(session_id))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    ended = "idle" if now - row.last_seen_at > idle else None
    if now - row.created_at > lifetime:
        ended = "lifetime"
    if ended:
        row.revoked_at, row.revoked_reason = now, ended
        db.add(row)
        db.commit()
        return None
    user = db.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    if now - row.last_seen_at > TOUCH_INTERVAL:
        row.last_seen_at = now
        db.add(row)
        db.commit()
    return user


def end_session(db: Session, session_id: str, *, reason: str = "logout") -> None:
    db.exec(
        update(WebSession)
        .where(col(WebSession.id) == hash_token(session_id), col(WebSession.revoked_at).is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


def end_user_sessions(db: Session, user_id: int, *, reason: str) -> int:
    """End every open session of the user; the number ended."""
    result = db.exec(
        update(WebSession)
        .where(col(WebSession.user_id) == user_id, col(WebSession.revoked_at).is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
    return int(result.rowcount)
