"""Helpers for decision and outcome tests: an approved offer, a recommendation in the past."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from models.enums import OfferStatus
from models.offer import Offer
from models.recommendation import Decision, Recommendation
from service.db import get_engine
from tests.conftest import profile_payload


@dataclass
class Case:
    profile_id: int
    request_id: str
    offer_id: int
    other_offer_id: int


def approved_offer(app: Any, provider: Any, title: str) -> int:
    values: dict[str, Any] = {
        "external_ref": f"L-{title}",
        "title": title,
        "measure_type": "TEILQUALIFIZIERUNG",
        "target_occupations": ["82101"],
        "funding": ["bildungsgutschein"],
        "format": "in_person",
        "hours_per_week": 20,
        "part_time_possible": True,
        "childcare": True,
        "min_german_level": "A2",
        "duration_weeks": 20,
        "start_dates": [date.today() + timedelta(days=21)],
        "seats_total": 10,
        "seats_free": 5,
        "district": "Mitte",
        "status": OfferStatus.APPROVED,
        "provider_id": provider.id,
    }
    with Session(get_engine(app)) as s:
        offer = Offer(**values)
        s.add(offer)
        s.commit()
        assert offer.id is not None
        return offer.id


def new_case(app: Any, client: Any, factory: Any, actor: Any) -> Case:
    provider = factory.provider()
    offer_id = approved_offer(app, provider, "Pflegehelfer Modul 1")
    other = approved_offer(app, provider, "Pflege für C1 " + str(offer_id))
    with Session(get_engine(app)) as s:  # only the first is eligible for a B1 profile
        s.execute(update(Offer).where(Offer.id == other).values(min_german_level="C1"))  # type: ignore[arg-type]
        s.commit()
    profile = client.post(
        "/api/v1/profiles", json=profile_payload(german_level="B1"), headers=actor.headers
    ).get_json()
    rec = client.post(
        f"/api/v1/profiles/{profile['id']}/recommendations", headers=actor.headers
    ).get_json()
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


def decide(client: Any, actor: Any, request_id: str, **body: Any) -> Any:
    return client.post(
        f"/api/v1/recommendations/{request_id}/decision", json=body, headers=actor.headers
    )
