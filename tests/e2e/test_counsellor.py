"""Counsellor pages in a real browser: profile form with autocomplete and validation."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from models.enums import Role
from tests.e2e.conftest import login, shot
from tests.e2e.seed import open_model_recommendation

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def fill_profile(page, *, client_number: str) -> None:
    page.get_by_label("Kundennummer").fill(client_number)
    page.get_by_label("Altersgruppe").select_option("25-29")
    page.get_by_label("Geschlecht").select_option("f")
    page.get_by_label("Stadtbezirk").select_option("Mitte")
    page.get_by_label("Staatsangehörigkeit").select_option("third_country")
    page.get_by_label("Migrationshintergrund").check()
    page.get_by_label("Deutschkenntnisse (GER)").select_option("B1")
    page.get_by_label("Schulabschluss").select_option("intermediate")
    page.get_by_label("Berufsabschluss", exact=True).select_option("none")
    page.get_by_label("Stand der Anerkennung").select_option("not_applicable")
    page.get_by_label("Dauer der Arbeitslosigkeit (Monate)").fill("14")
    page.get_by_label("Rechtskreis").select_option("SGB_II")
    page.get_by_label("Verfügbare Wochenstunden").fill("30")
    page.get_by_label("Maximaler Fahrweg (Minuten)").fill("45")


def choose_occupation(page, label: str, query: str) -> str:
    field = page.get_by_role("combobox", name=label)
    field.fill(query)
    listbox = page.locator("#" + field.get_attribute("aria-controls"))
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    field.press("ArrowDown")
    field.press("Enter")
    return str(field.input_value())


def test_counsellor_creates_profile_with_autocomplete(page, accounts):
    login(page, accounts.user(Role.COUNSELLOR))
    page.get_by_role("link", name="Neues Profil anlegen").click()
    fill_profile(page, client_number=f"KR-{uuid.uuid4().hex[:8]}")

    chosen = choose_occupation(page, "Zielberuf 1", "Altenpfleg")
    shot(page, "04-profil-formular")
    page.get_by_role("button", name="Speichern").click()

    assert re.match(r"^\d{5} ", chosen)
    expect(page.get_by_role("status")).to_contain_text("Das Profil wurde angelegt")
    expect(page.locator("main")).to_contain_text(chosen[:5])
    shot(page, "05-profil")


def test_validation_messages_appear_beside_fields(page, accounts):
    login(page, accounts.user(Role.COUNSELLOR))
    page.goto("/beratung/profile/neu")

    page.get_by_label("Verfügbare Wochenstunden").fill("99")
    page.get_by_role("button", name="Speichern").click()

    hours = page.get_by_label("Verfügbare Wochenstunden")
    expect(hours).to_have_attribute("aria-invalid", "true")
    error_id = hours.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{error_id}")).to_contain_text("0 bis 60")
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    shot(page, "06-profil-fehler")


def test_counsellor_rejects_first_offer_then_records_no_measure(page, accounts, live_server):
    first = open_model_recommendation(page, accounts, live_server)

    first.get_by_text("Ablehnen …").click()
    first.get_by_label("Begründung").select_option("too_far")
    first.get_by_role("button", name="Ablehnung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Ablehnung wurde gespeichert")
    page.get_by_label("Begründung").last.select_option("job_offer")
    page.get_by_role("button", name="„Keine Maßnahme“ speichern").click()

    expect(page.get_by_role("status")).to_contain_text("„Keine Maßnahme“ wurde gespeichert")
    expect(page.locator(".decided")).to_contain_text("keine Maßnahme")
    expect(page.get_by_role("button", name="Annehmen")).to_have_count(0)
