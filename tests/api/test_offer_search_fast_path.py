"""The catalogue search's fast paths (stored next start, SQLite's trigram index; migration 0009)
give exactly what a plain filter over the same offers gives, on both databases, for the day the
stored values were written, a day they have partly passed, and a day before they were written."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, select, update

from models.enums import District, Funding, GermanLevel, MeasureType, OfferFormat, OfferStatus, Role
from models.offer import EXAMPLE_OFFER, Offer, OfferBase
from service.core.clock import local_today
from service.core.db import get_engine
from service.offers.fields import storage_values
from service.offers.search import OfferFilters, SortOrder, refresh_next_starts, search_offers
from training.ranking.eligibility import minutes_from

TODAY = local_today()
WORDS = ("Pflege", "Ärzte", "ÄRZTIN", "Lager", "Stapler", "Büro", "Küche", "Deutsch", "IT")
FILTERS = [
    OfferFilters(),
    OfferFilters(q="pflege"),
    OfferFilters(q="ärzt"),
    OfferFilters(q="lager büro"),
    OfferFilters(q="it"),  # shorter than a trigram: no index, LIKE alone
    OfferFilters(q="küche", sort=SortOrder.NEXT_START),
    OfferFilters(sort=SortOrder.NEXT_START),
    OfferFilters(starts_before=TODAY + timedelta(days=30)),
    OfferFilters(starts_before=TODAY + timedelta(days=90), sort=SortOrder.NEXT_START),
    OfferFilters(sort=SortOrder.TRAVEL, from_district=District.HUELS),
    OfferFilters(
        q="deutsch",
        starts_before=TODAY + timedelta(days=200),
        sort=SortOrder.TRAVEL,
        from_district=District.MITTE,
    ),
]
DAYS = {"today": 0, "later": 45, "earlier": -20}


def _values(rng: random.Random, i: int) -> dict[str, Any]:
    title = " ".join(rng.sample(WORDS, 2)) + f" Kurs {i}"
    rolling = rng.random() < 0.15
    starts = sorted(
        {TODAY + timedelta(days=rng.randint(-60, 120)) for _ in range(rng.randint(0, 3))}
    )
    return {
        "external_ref": f"F-{i}",
        "title": title,
        "description": rng.choice(
            ["", "Praxis in der Küche", "Fachsprache Deutsch", "Lagerlogistik"]
        ),
        "measure_type": rng.choice(list(MeasureType)).value,
        "target_occupations": [],
        "funding": [rng.choice([Funding.AVGS, Funding.FREE]).value],
        "format": rng.choice(list(OfferFormat)).value,
        "district": rng.choice(list(District)).value,
        "min_german_level": rng.choice(list(GermanLevel)).value,
        "start_dates": [d.isoformat() for d in starts],
        "end_date": None,
        "rolling_entry": rolling,
    }


@pytest.fixture
def offers(app, factory) -> list[Offer]:
    rng = random.Random(13)
    provider = factory.provider()
    with Session(get_engine(app), expire_on_commit=False) as session:
        for i in range(60):
            content = OfferBase.model_validate(EXAMPLE_OFFER | _values(rng, i))
            status = OfferStatus.APPROVED if i % 7 else OfferStatus.DRAFT
            session.add(Offer(**storage_values(content), provider_id=provider.id, status=status))
        session.commit()
        # Later edits go through the triggers as well: new starts, new titles.
        for offer in session.exec(select(Offer).where(Offer.id % 5 == 0)).all():
            offer.start_dates = [TODAY + timedelta(days=rng.randint(1, 60))]
            offer.title = f"{offer.title} Lager"
        session.commit()
        return list(session.exec(select(Offer).order_by(Offer.id)).all())


def _next_start(offer: Offer, today: date) -> date | None:
    if offer.rolling_entry:
        return today
    return min((d for d in offer.start_dates if d >= today), default=None)


def _plain(offers: list[Offer], filters: OfferFilters, today: date) -> list[int]:
    """The same search in plain Python over the loaded offers."""
    words = list(dict.fromkeys((filters.q or "").lower().split()))
    found = [
        o
        for o in offers
        if o.status == OfferStatus.APPROVED
        and all(w in o.title.lower() or w in o.description.lower() for w in words)
        and (
            filters.starts_before is None
            or (
                filters.starts_before >= today
                and (next_ := _next_start(o, today)) is not None
                and next_ <= filters.starts_before
            )
        )
    ]

    def start_key(o: Offer) -> tuple[bool, date]:
        start = _next_start(o, today)
        return (start is None, start or today)

    def key(o: Offer) -> tuple[Any, ...]:
        if filters.sort == SortOrder.TRAVEL and filters.from_district:
            minutes = minutes_from(filters.from_district)
            travel = (
                0
                if o.format == OfferFormat.ONLINE
                else minutes.get(o.district, max(minutes.values()))
            )
            return (travel, *start_key(o), o.id)
        if filters.sort == SortOrder.NEXT_START:
            return (*start_key(o), o.id)
        if words:
            return (not all(w in o.title.lower() for w in words), o.id)
        return (o.id,)

    return [int(o.id or 0) for o in sorted(found, key=key)]


def test_stored_values_and_text_index_are_written(app, offers):
    with Session(get_engine(app)) as session:
        stored = {o.id: (o.next_start_from, o.next_start) for o in session.exec(select(Offer))}
        for offer in offers:
            day, next_start = stored[offer.id]
            # On SQLite the stored day is the UTC date, at most one day before Krefeld's.
            assert day is not None
            assert TODAY - timedelta(days=1) <= day <= TODAY
            assert next_start == min((d for d in offer.start_dates if d >= day), default=None)
        if session.get_bind().dialect.name == "sqlite":
            indexed = session.execute(text("SELECT count(*) FROM offer_text")).scalar_one()
            assert indexed == len(offers)


@pytest.mark.parametrize("day", list(DAYS))
@pytest.mark.parametrize("filters", FILTERS, ids=[f"search{i}" for i in range(len(FILTERS))])
def test_fast_path_equals_plain_filter(app, offers, factory, filters, day):
    today = TODAY + timedelta(days=DAYS[day])
    user = factory.actor(Role.COUNSELLOR).user
    expected = _plain(offers, filters, today)
    with Session(get_engine(app)) as session:
        first, total = search_offers(session, filters, user=user, limit=7, offset=0, today=today)
        rest, _ = search_offers(session, filters, user=user, limit=100, offset=7, today=today)

    assert total == len(expected)
    assert [o.id for o in first + rest] == expected


def test_daily_refresh_rewrites_passed_next_starts(app, offers, factory):
    """As if every offer's start dates had been written 40 days ago: the stored next start of
    some has passed; the refresh writes those again and the search gives the same offers."""
    written = TODAY - timedelta(days=40)
    with Session(get_engine(app)) as session:
        for offer in offers:
            session.execute(
                update(Offer)
                .where(Offer.id == offer.id)
                .values(
                    next_start_from=written,
                    next_start=min((d for d in offer.start_dates if d >= written), default=None),
                )
            )
        session.commit()
        passed = {o.id for o in session.exec(select(Offer).where(Offer.next_start < TODAY))}
        assert passed

        assert refresh_next_starts(session, today=TODAY) == len(passed)
        session.commit()

        stored = {o.id: o for o in session.exec(select(Offer))}
        assert all(stored[i].next_start_from >= TODAY - timedelta(days=1) for i in passed)
        assert not [o for o in stored.values() if o.next_start and o.next_start < TODAY]
        user = factory.actor(Role.COUNSELLOR).user
        filters = OfferFilters(sort=SortOrder.NEXT_START)
        found, _ = search_offers(session, filters, user=user, limit=100, offset=0, today=TODAY)
    assert [o.id for o in found] == _plain(offers, filters, TODAY)
