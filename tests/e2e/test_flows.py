"""One end-to-end flow across the roles: partner → coordinator → admin kill switch."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from models.enums import Role
from service.core.clock import local_today
from tests.e2e.conftest import login, login_with_code, shot
from tests.e2e.test_counsellor import choose_occupation, fill_profile

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def partner_creates_offer(page, title: str) -> None:
    page.get_by_role("link", name="Neues Angebot", exact=True).first.click()
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Eigene Angebotsnummer").fill(f"TQ-{abs(hash(title)) % 10000}")
    page.get_by_label("Art der Maßnahme").select_option("TEILQUALIFIZIERUNG")
    page.get_by_label("Stadtbezirk des Angebots").select_option("Mitte")
    page.get_by_label("Durchführungsform").select_option("in_person")
    page.get_by_label("Abschluss / Zertifikat").fill("IHK-Teilqualifikation")
    page.get_by_label("Beschreibung").fill("Modul 1 der Teilqualifizierung in der Altenpflege.")
    page.get_by_label("Zielberufe (KldB)").fill("82101, 82102")
    page.get_by_label("Stunden pro Woche").fill("25")
    page.get_by_label("Dauer (Wochen)").fill("16")
    start = (date.today() + timedelta(days=30)).isoformat()
    page.get_by_label("Starttermine").fill(start)
    page.get_by_label("Plätze gesamt").fill("12")
    page.get_by_label("Freie Plätze").fill("8")
    page.get_by_label("Mindestniveau Deutsch").select_option("A2")
    page.get_by_label("Teilzeit möglich").check()
    page.get_by_label("Bildungsgutschein").check()
    page.get_by_label("Frauen").check()
    shot(page, "10-partner-angebot-formular")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("als Entwurf gespeichert")


def counsellor_accepts_recommended_offer(page, title: str) -> None:
    page.get_by_role("link", name="Neues Profil anlegen").click()
    fill_profile(page, client_number=f"KR-{uuid.uuid4().hex[:8]}")
    choose_occupation(page, "Zielberuf 1", "Altenpfleger")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Empfehlung anfordern").click()
    offer = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Passt zu Ihrem Zielberuf")
    shot(page, "20-empfehlung")
    offer.get_by_role("button", name=re.compile("annehmen")).click()
    expect(page.get_by_role("status")).to_contain_text("Annahme wurde gespeichert")
    page.get_by_label("Stand der Maßnahme").select_option("started")
    page.get_by_label("Beginn der Maßnahme").fill(f"{local_today():%d.%m.%Y}")
    page.get_by_role("button", name="Ergebnis speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Ergebnis wurde gespeichert")
    shot(page, "21-empfehlung-entschieden")
    page.get_by_role("link", name="Druckansicht").click()
    page.emulate_media(media="print")
    shot(page, "22-druckansicht")
    page.emulate_media(media="screen")


def test_partner_submits_coordinator_approves_admin_switches_to_rules(page, accounts):
    provider = accounts.provider("Caritas Krefeld")
    partner = accounts.user(Role.PARTNER, provider=provider)
    secret = pyotp.random_base32()
    coordinator = accounts.user(Role.COORDINATOR, totp=secret)
    admin = accounts.user(Role.ADMIN, totp=secret)
    counsellor = accounts.user(Role.COUNSELLOR)
    title = "Teilqualifizierung Altenpflege Modul 1"

    login(page, partner)
    partner_creates_offer(page, title)
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    expect(page.get_by_role("status")).to_contain_text("zur Prüfung eingereicht")
    page.get_by_role("link", name="Eigene Angebote").click()
    shot(page, "11-partner-angebote")
    page.get_by_role("button", name="Abmelden").click()

    login_with_code(page, coordinator, secret)
    expect(page.get_by_role("heading", name="Angebote zur Prüfung")).to_be_visible()
    shot(page, "12-koordination-pruefung")
    page.get_by_role("link", name=title).click()
    page.get_by_label("Ablehnen").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.locator("#reason-error, .error").first).to_contain_text("Begründung")
    page.get_by_label("Freigeben").check()
    shot(page, "13-koordination-entscheidung")
    page.get_by_role("button", name="Entscheidung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("freigegeben")
    page.get_by_role("button", name="Abmelden").click()

    login(page, partner)
    expect(page.get_by_role("row", name=title)).to_contain_text("freigegeben")
    page.get_by_role("button", name="Abmelden").click()

    login(page, counsellor)
    counsellor_accepts_recommended_offer(page, title)
    page.get_by_role("button", name="Abmelden").click()

    login_with_code(page, admin, secret)
    page.get_by_role("link", name="Ranking-Modus").click()
    page.get_by_role("button", name="Regelbetrieb einschalten …").click()
    expect(page.get_by_role("heading", name="Bitte bestätigen")).to_be_visible()
    shot(page, "14-admin-not-aus-bestaetigen")
    page.get_by_role("button", name="Ja, Regelbetrieb einschalten").click()
    banner = page.get_by_role("note", name="Hinweis zum Ranking")
    expect(banner).to_contain_text("Das Empfehlungsmodell ist abgeschaltet")
    page.get_by_role("link", name="Benutzer").click()
    expect(banner).to_be_visible()
    shot(page, "15-admin-benutzer-regelbetrieb")
    page.get_by_role("link", name="Ranking-Modus").click()
    page.get_by_role("button", name="Modell wieder einschalten …").click()
    page.get_by_role("button", name="Ja, Modell einschalten").click()
    expect(page.get_by_role("status")).to_contain_text("wieder eingeschaltet")


def test_admin_creates_token_that_only_its_owner_collects(page, accounts):
    secret = pyotp.random_base32()
    admin = accounts.user(Role.ADMIN, totp=secret)
    counsellor = accounts.user(Role.COUNSELLOR)

    login_with_code(page, admin, secret)
    page.get_by_role("link", name=counsellor).click()
    issue = page.get_by_role("region", name="Token zum Abholen anlegen")
    issue.get_by_label("Bezeichnung").fill("Fachverfahren")
    issue.get_by_label("Grund").fill("Anbindung Fachverfahren, Ticket 42")
    issue.get_by_role("button", name="Token zum Abholen anlegen").click()
    expect(page.get_by_role("status")).to_contain_text("holt es nach dem Anmelden")
    expect(page.get_by_role("row", name="Fachverfahren")).to_contain_text("wartet auf Abholung")
    expect(page.locator("#new-token")).to_have_count(0)
    shot(page, "16-admin-token-zum-abholen")
    page.get_by_role("button", name="Abmelden").click()

    login(page, counsellor)
    page.get_by_role("link", name="Mein Konto").click()
    page.get_by_role("button", name=re.compile(r"Token \d+ \(Fachverfahren\) abholen")).click()
    token = page.locator("#new-token").inner_text()
    shot(page, "17-mein-api-token")
    response = page.request.get("/api/v1/profiles", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200

    page.get_by_role("button", name=re.compile(r"Token \d+ \(Fachverfahren\) widerrufen")).click()

    expect(page.get_by_role("status")).to_contain_text("widerrufen")
    response = page.request.get("/api/v1/profiles", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 401
