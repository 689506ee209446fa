"""The handout in the browser: from the recommendation to a printable sheet with contacts."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlmodel import select

from models.enums import Role
from models.offer import Offer
from models.provider import Provider
from tests.e2e.conftest import login, shot
from tests.e2e.seed import model_recommendation

PHONE = "02151 778899"


def _with_contact(live_server, provider_id: int) -> None:
    with live_server.session() as s:
        provider = s.get(Provider, provider_id)
        provider.street = "Ostwall 148"
        provider.postcode = "47798"
        provider.phone = PHONE
        provider.email = "kursberatung@pflegeschule.example"
        provider.website = "https://www.pflegeschule.example"
        provider.contact_role = "Kursberatung"
        s.add(provider)
        for offer in s.exec(select(Offer).where(Offer.provider_id == provider_id)):
            offer.cost_eur = 0.0
            offer.funding_note = "kostenfrei mit Berechtigungsschein (BAMF)"
            s.add(offer)
        s.commit()


def test_handout_print_view_shows_contacts_and_switches_to_arabic(page, accounts, live_server):
    provider = accounts.provider("Pflegeschule am Stadtpark")
    counsellor = accounts.user(Role.COUNSELLOR)
    request_id = model_recommendation(live_server, counsellor, provider.id)
    _with_contact(live_server, provider.id)
    login(page, counsellor)
    page.goto(f"/beratung/empfehlungen/{request_id}")

    page.get_by_role("link", name="Merkblatt für die Person").click()

    handout = page.locator("article.handout")
    expect(handout.get_by_role("heading", name="Ihre Angebote zur Qualifizierung")).to_be_visible()
    expect(handout).to_contain_text("Pflegeschule am Stadtpark")
    expect(handout).to_contain_text(PHONE)
    expect(handout).to_contain_text("kursberatung@pflegeschule.example")
    expect(handout).to_contain_text("Ostwall 148, 47798 Krefeld")
    expect(handout).to_contain_text("Bitte mitbringen")
    expect(page.get_by_role("link", name="Drucken")).to_be_visible()
    shot(page, "handout-de")

    page.get_by_role("link", name="العربية").click()

    expect(handout).to_have_attribute("dir", "rtl")
    expect(handout).to_contain_text("يُرجى إحضار")
    expect(handout).to_contain_text(PHONE)
    shot(page, "handout-ar")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF herunterladen").click()
    assert download.value.suggested_filename.endswith("-ar.pdf")
