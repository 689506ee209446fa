"""Rows the browser tests need but cannot create through the UI (a model-ranked recommendation)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlmodel import select

from models.enums import District, OfferStatus, RankingMode, Role
from models.offer import Offer
from models.profile import EXAMPLE_PROFILE, ProfileCreate
from models.recommendation import Recommendation
from models.user import User
from service.caseload.profiles import create_profile
from tests.e2e.conftest import Accounts, LiveServer, login

ITEMS: list[dict[str, Any]] = [
    {
        "title": "Teilqualifizierung Pflegehilfe",
        "measure_type": "TEILQUALIFIZIERUNG",
        "p_without": 0.21,
        "p_with": 0.294,
        "effect_pp": 8.4,
        "effect_interval_pp": [3.1, 13.0],
        "reasons": ["Passt zum Zielberuf Altenpflege", "Teilzeit möglich, Kinderbetreuung vor Ort"],
        "warnings": [],
    },
    {
        "title": "Berufssprachkurs B2 Pflege",
        "measure_type": "BERUFSSPRACHKURS",
        "p_without": 0.21,
        "p_with": 0.262,
        "effect_pp": 5.2,
        "effect_interval_pp": [-0.8, 11.0],
        "reasons": ["Deutsch B1 → B2 öffnet Pflegeausbildungen"],
        "warnings": ["Start erst in 10 Wochen"],
    },
]


def _offer(provider_id: int, item: dict[str, Any]) -> Offer:
    return Offer(
        provider_id=provider_id,
        external_ref=f"SEED-{uuid.uuid4().hex[:6]}",
        title=item["title"],
        measure_type=item["measure_type"],
        hours_per_week=20,
        duration_weeks=16,
        seats_total=12,
        seats_free=5,
        district=District.MITTE,
        start_dates=[date.today() + timedelta(days=21)],
        status=OfferStatus.APPROVED,
    )


def model_recommendation(server: LiveServer, counsellor: str, provider_id: int) -> str:
    """A stored model-mode recommendation for a new profile of ``counsellor``; its request id."""
    settings = server.app.extensions["qualimatch.settings"]
    with server.app.app_context(), server.session() as s:
        owner = s.exec(select(User).where(User.username == counsellor)).one()
        data = ProfileCreate.model_validate(
            EXAMPLE_PROFILE | {"client_number": f"KR-{uuid.uuid4().hex[:8]}"}
        )
        profile = create_profile(s, data, owner=owner, pseudonym_key=settings.pseudonym_key)
        offers = [_offer(provider_id, item) for item in ITEMS]
        s.add_all(offers)
        s.flush()
        items = [
            item | {"rank": rank, "offer_id": offer.id, "score": item["effect_pp"] / 100}
            for rank, (item, offer) in enumerate(zip(ITEMS, offers, strict=True), start=1)
        ]
        snapshot = [
            {
                "offer_id": o.id,
                "title": o.title,
                "measure_type": o.measure_type,
                "district": o.district,
                "format": "in_person",
                "hours_per_week": o.hours_per_week,
                "part_time_possible": True,
                "childcare": True,
                "min_german_level": "A2",
                "duration_weeks": o.duration_weeks,
                "funding": ["bildungsgutschein"],
                "start_dates": [d.isoformat() for d in o.start_dates],
                "seats_free": o.seats_free,
            }
            for o in offers
        ]
        rec = Recommendation(
            request_id=str(uuid.uuid4()),
            profile_id=profile.id or 0,
            counsellor_id=owner.id,
            mode=RankingMode.MODEL,
            model_version="2026-11-25.1",
            items=items,
            offer_snapshot=snapshot,
        )
        s.add(rec)
        s.commit()
        return rec.request_id


def open_model_recommendation(page: Any, accounts: Accounts, server: LiveServer) -> Any:
    """Sign in as a new counsellor on a model recommendation for them; its first item."""
    provider = accounts.provider()
    counsellor = accounts.user(Role.COUNSELLOR)
    request_id = model_recommendation(server, counsellor, provider.id)
    login(page, counsellor)
    page.goto(f"/beratung/empfehlungen/{request_id}")
    return page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=ITEMS[0]["title"])
    )
