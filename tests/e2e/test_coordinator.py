"""Coordinator review in the browser: a flagged duplicate is compared side by side."""

from __future__ import annotations

from datetime import date, timedelta

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from models.enums import District, GermanLevel, MeasureType, Role
from models.offer import OfferCreate
from models.user import User
from service import offers
from tests.e2e.conftest import login_with_code, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _submit(live_server, username: str, ref: str, title: str) -> int:
    start = date.today() + timedelta(days=40)
    data = OfferCreate(
        external_ref=ref,
        title=title,
        measure_type=MeasureType.BERUFSSPRACHKURS,
        target_occupations=["82101"],
        hours_per_week=20,
        duration_weeks=20,
        start_dates=[start],
        seats_total=15,
        seats_free=10,
        district=District.SUED,
        min_german_level=GermanLevel.B1,
    )
    with live_server.app.app_context(), live_server.session() as s:
        user = s.exec(select(User).where(User.username == username)).one()
        offer = offers.create_offer(s, data, user=user)
        assert offer.id is not None
        offers.submit_offer(s, offer.id, user=user)
        return offer.id


def test_coordinator_compares_flagged_duplicate_and_requests_changes(page, accounts, live_server):
    first = accounts.user(Role.PARTNER, provider=accounts.provider("AWO Krefeld"))
    second = accounts.user(Role.PARTNER, provider=accounts.provider("Ev. Kirche Krefeld"))
    _submit(live_server, first, "BSK-1", "Berufssprachkurs B2 Pflege und Gesundheit")
    _submit(live_server, second, "BSK-A", "Berufssprachkurs B2 Pflege & Gesundheit")
    secret = pyotp.random_base32()
    login_with_code(page, accounts.user(Role.COORDINATOR, totp=secret), secret)

    row = page.get_by_role("row", name="Berufssprachkurs B2 Pflege & Gesundheit")
    expect(row).to_contain_text("mögliche Dublette")
    row.get_by_role("link").click()

    comparison = page.get_by_role("table", name="Dieses Angebot und Angebot Nr.")
    expect(comparison).to_contain_text("AWO Krefeld")
    expect(comparison).to_contain_text("Berufssprachkurs B2 Pflege und Gesundheit")
    shot(page, "18-koordination-dublette")
    page.get_by_label("Änderungen erbitten").check()
    page.get_by_label("Begründung").fill("Bitte Abgrenzung zum Kurs der AWO im selben Bezirk.")
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("um Änderungen gebeten")
