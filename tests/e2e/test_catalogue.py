"""Catalogue search in a real browser: the counsellors' search page with the occupation
autocomplete, and the override picker on the recommendation page."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from models.enums import District, OfferStatus, Role
from models.offer import Offer
from tests.e2e.conftest import LiveServer, login, shot
from tests.e2e.seed import model_recommendation

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _approved(server: LiveServer, provider_id: int, title: str, *, days: int, codes=()) -> int:
    with server.session() as s:
        offer = Offer(
            provider_id=provider_id,
            external_ref=f"CAT-{uuid.uuid4().hex[:6]}",
            title=title,
            measure_type="ANPASSUNGSQUALIFIZIERUNG",
            target_occupations=list(codes),
            hours_per_week=30,
            duration_weeks=4,
            seats_total=12,
            seats_free=5,
            district=District.SUED,
            start_dates=[date.today() + timedelta(days=days)],
            funding=["avgs"],
            status=OfferStatus.APPROVED,
        )
        s.add(offer)
        s.commit()
        return int(offer.id or 0)


def test_counsellor_finds_offer_by_occupation_and_start(page, accounts, live_server):
    token = uuid.uuid4().hex[:6]
    provider = accounts.provider(f"Lernwerk {token}")
    login(page, accounts.user(Role.COUNSELLOR))
    page.get_by_role("link", name="Angebote suchen").click()
    field = page.get_by_role("combobox", name="Zielberuf")
    field.fill("Fachkraft Lagerlog")
    options = page.locator("#" + field.get_attribute("aria-controls")).get_by_role("option")
    expect(options.first).to_be_visible()
    field.press("ArrowDown")
    field.press("Enter")
    code = field.input_value()[:5]
    _approved(live_server, provider.id, f"Lager kompakt {token}", days=30, codes=[code])
    _approved(live_server, provider.id, f"Lager später {token}", days=300, codes=[code])

    page.get_by_label("Suchbegriff").fill(token)
    page.get_by_label("Start spätestens am").fill(
        (date.today() + timedelta(days=60)).strftime("%d.%m.%Y")
    )
    page.get_by_role("button", name="Suchen", exact=True).click()

    results = page.locator(".catalogue-results")
    expect(page.get_by_role("status").last).to_contain_text("1 Angebot gefunden")
    expect(results).to_contain_text(f"Lager kompakt {token}")
    expect(results).to_contain_text(f"Lernwerk {token}")
    expect(results).not_to_contain_text(f"Lager später {token}")
    shot(page, "30-katalogsuche")


def test_override_picker_searches_the_catalogue(page, accounts, live_server):
    token = uuid.uuid4().hex[:6]
    provider = accounts.provider()
    counsellor = accounts.user(Role.COUNSELLOR)
    request_id = model_recommendation(live_server, counsellor, provider.id)
    other = _approved(live_server, provider.id, f"Gabelstapler Grundkurs {token}", days=14)
    login(page, counsellor)
    page.goto(f"/beratung/empfehlungen/{request_id}")

    page.get_by_label("Suchbegriff").fill(f"gabelstapler {token}")
    page.get_by_role("button", name="Angebote suchen").click()
    page.get_by_label(f"Gabelstapler Grundkurs {token}").check()
    shot(page, "31-anderes-angebot")
    page.get_by_role("button", name="Anderes Angebot speichern").click()

    expect(page.get_by_role("status")).to_contain_text("andere Angebot wurde gespeichert")
    expect(page.locator(".decided")).to_contain_text(f"Nr. {other}")
