"""Reads behind the pages: a row the signed-in account may see, or 404 without saying why."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort

from models.offer import Offer
from models.recommendation import Recommendation
from service import offers
from service.core.db import get_session
from service.core.domain_errors import DomainError
from service.recommendations import requests as rec_service
from service.web.auth import web_user

T = TypeVar("T")


def or_404(read: Callable[[], T]) -> T:
    """What ``read`` returns; 404 when the domain refuses (unknown or someone else's)."""
    try:
        return read()
    except DomainError:
        abort(404)


def audited_or_404(read: Callable[[], T]) -> T:
    """Like :func:`or_404`, and commits the audit event the read records."""
    row = or_404(read)
    get_session().commit()
    return row


def own_recommendation(request_id: str) -> Recommendation:
    """A recommendation of the signed-in counsellor's caseload."""
    return audited_or_404(
        lambda: rec_service.get_recommendation(get_session(), request_id, user=web_user())
    )


def readable_offer(offer_id: int) -> Offer:
    """An offer the signed-in account may read (a partner only its provider's)."""
    return or_404(lambda: offers.get_readable(get_session(), offer_id, user=web_user()))
