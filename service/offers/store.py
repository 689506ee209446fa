"""Compare-and-set writes: every change to an offer bumps ``version`` exactly once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from models.base import utcnow
from models.offer import Offer
from service.errors import ConflictError


def stale(current: int) -> ConflictError:
    return ConflictError(
        "Das Angebot wurde inzwischen geändert. Bitte neu laden.",
        code="version_conflict",
        extra={"current_version": current},
    )


def check_version(offer: Offer, expected: int | None) -> None:
    if expected is not None and expected != offer.version:
        raise stale(offer.version)


def save(session: Session, offer: Offer, values: dict[str, Any]) -> None:
    """Write ``values`` if nobody changed the offer since it was loaded; 409 otherwise.

    Neither commits nor rolls back, so the caller's audit event and review row share the
    transaction (or savepoint) with the change.
    """
    assert offer.id is not None
    loaded = offer.version
    result = session.execute(
        update(Offer)
        .where(col(Offer.id) == offer.id, col(Offer.version) == loaded)
        .values(**values, version=loaded + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.expire(offer)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        current = session.get(Offer, offer.id)
        raise stale(current.version if current else loaded)
