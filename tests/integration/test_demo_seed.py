"""Demo data looks like next year's Krefeld: dates within twelve months, contacts everywhere."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from models.enums import OfferStatus
from models.offer import Offer
from models.provider import Provider
from service.demo.details import AREAS
from service.demo.seed import seed_demo

TODAY = date(2027, 1, 11)


@pytest.fixture
def app(sqlite_only_app):
    return sqlite_only_app


@pytest.fixture
def seeded(app, factory, session):
    factory.actor("counsellor")
    seed_demo(
        session,
        n_profiles=20,
        n_offers=150,
        n_history=200,
        seed=3,
        pseudonym_key="k" * 32,
        today=TODAY,
    )
    return session


def _approved(session: Session) -> list[Offer]:
    return list(session.exec(select(Offer).where(Offer.status == OfferStatus.APPROVED)))


def test_most_approved_offers_start_within_a_year(seeded):
    offers = _approved(seeded)
    horizon = TODAY + timedelta(days=365)

    soon = [
        o for o in offers if o.rolling_entry or any(TODAY <= d <= horizon for d in o.start_dates)
    ]

    assert len(soon) / len(offers) >= 0.8


def test_no_demo_offer_starts_in_the_past(seeded):
    assert all(d >= TODAY for o in _approved(seeded) for d in o.start_dates)


def test_some_offers_have_rolling_entry(seeded):
    assert any(o.rolling_entry and not o.start_dates for o in _approved(seeded))


def test_every_provider_has_a_krefeld_address_and_contact_channels(seeded):
    for provider in seeded.exec(select(Provider)):
        assert provider.postcode in AREAS[provider.district].postcodes
        assert re.fullmatch(r"02151 \d{6}", provider.phone)
        assert provider.email.endswith(".example")
        assert provider.website.startswith("https://www.")
        assert provider.contact_role


def test_voucher_offers_have_a_cost_and_free_offers_cost_nothing(seeded):
    for offer in _approved(seeded):
        if "bildungsgutschein" in offer.funding or "avgs" in offer.funding:
            assert (offer.cost_eur or 0) > 0
            assert "gutschein" in offer.funding_note.casefold()
        elif offer.funding == ["free"]:
            assert offer.cost_eur == 0


def test_a_second_run_renews_the_logins_and_names_the_served_port(seeded, app):
    seeded.commit()
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo", "--port", "8123"])

    assert result.exit_code == 0, result.output
    assert "nur die Zugänge werden erneuert" in result.output
    assert "http://127.0.0.1:8123/api/v1/profiles" in result.output
    assert re.search(r"^beratung\s+counsellor\s+\S+\s+\S+$", result.output, re.MULTILINE)
