"""TOTP checks that accept each time step at most once per account (RFC 6238, section 5.2).

The step is claimed with a conditional UPDATE, so two requests racing with the same code cannot
both win, whichever worker they reach.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

import pyotp
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, or_, update

from models.user import User
from service.core import audit

#: Steps either side of now that are accepted, for clocks that drift a little.
VALID_WINDOW = 1


def _matching_step(secret: str, code: str) -> int | None:
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(UTC))
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _claim(db: Session, user: User, step: int) -> bool:
    result = db.exec(
        update(User)
        .where(
            col(User.id) == user.id,
            or_(col(User.totp_last_step).is_(None), col(User.totp_last_step) < step),
        )
        .values(totp_last_step=step)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def accept_code(db: Session, user: User, code: str) -> bool:
    """True once for a current code of the user's secret; the same step again is refused."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code)
    return step is not None and _claim(db, user, step)


def enrol_second_factor(db: Session, user: User, secret: str, code: str) -> bool:
    """Store ``secret`` when ``code`` proves the app has it; the code's step counts as used."""
    step = _matching_step(secret, code)
    if step is None or not _claim(db, user, step):
        return False
    user.totp_secret = secret
    db.add(user)
    audit.record(db, "user.totp_enrol", "user", user.id, by=audit.Actor.of(user))
    return True
