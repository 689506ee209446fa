"""Versioned writes: every change to an offer bumps ``version`` exactly once (see
:mod:`service.core.versioning`)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session

from models.base import utcnow
from models.offer import Offer
from service.core.domain_errors import Conflict
from service.core.versioning import flush_versioned


def stale(current: int) -> Conflict:
    return Conflict(
        _("Das Angebot wurde inzwischen geändert. Bitte neu laden."),
        code="version_conflict",
        extra={"current_version": current},
    )


def check_version(offer: Offer, expected: int | None) -> None:
    if expected is not None and expected != offer.version:
        raise stale(offer.version)


def save(session: Session, offer: Offer, values: dict[str, Any]) -> None:
    """Write ``values`` if nobody changed the offer since it was loaded; 409 otherwise.

    Does not commit, so the caller's audit event and review row share the transaction (or
    savepoint) with the change.
    """
    for name, value in values.items():
        setattr(offer, name, value)
    offer.updated_at = utcnow()
    flush_versioned(session, offer, stale)
    session.expire(offer)  # read back as stored (JSON columns, enum values)
