"""Helpers for decision and outcome tests: an approved offer, a recommendation in the past."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from models.recommendation import Decision, Recommendation
from service.core.db import get_engine
from tests.factories import Actor, Factory, decide

__all__ = ["Case", "backdate", "days_ago", "decide", "new_case"]


@dataclass
class Case:
    profile_id: int
    request_id: str
    offer_id: int
    other_offer_id: int


def new_case(app: Any, client: Any, factory: Factory, actor: Actor) -> Case:
    provider = factory.provider()
    offer_id = factory.offer(provider, title="Pflegehelfer Modul 1").id
    # only the first is eligible for a B1 profile
    other = factory.offer(provider, title=f"Pflege für C1 {offer_id}", min_german_level="C1").id
    assert offer_id is not None
    assert other is not None
    profile = factory.profile(actor, german_level="B1")
    rec = factory.recommendation(actor, profile["id"])
    assert [i["offer_id"] for i in rec["items"]] == [offer_id]
    return Case(profile["id"], rec["request_id"], offer_id, other)


def days_ago(n: int) -> date:
    return date.today() - timedelta(days=n)


def backdate(app: Any, request_id: str, days: int) -> None:
    """Move a recommendation and its decisions ``days`` into the past."""
    when = datetime.now(UTC) - timedelta(days=days)
    with Session(get_engine(app)) as s:
        s.execute(
            update(Recommendation)
            .where(Recommendation.request_id == request_id)  # type: ignore[arg-type]
            .values(created_at=when)
        )
        s.execute(
            update(Decision)
            .where(Decision.request_id == request_id)  # type: ignore[arg-type]
            .values(created_at=when)
        )
        s.commit()
