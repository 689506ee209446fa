"""Partner's offer form in a real browser: target occupations picked by name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models.enums import Role
from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _pick(page, query: str) -> None:
    search = page.get_by_role("combobox", name="Zielberuf suchen und hinzufügen")
    search.fill(query)
    options = page.locator("#" + search.get_attribute("aria-controls")).get_by_role("option")
    expect(options.first).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")


def test_occupation_autocomplete_adds_codes(page, accounts):
    login(page, accounts.user(Role.PARTNER))
    page.goto("/partner/angebote/neu")

    _pick(page, "Altenpfleg")
    _pick(page, "Fachkraft Lagerlog")

    codes = page.get_by_label("Zielberufe (KldB)")
    expect(codes).to_have_value(re.compile(r"^\d{5}, \d{5}$"))
    expect(page.get_by_role("combobox", name="Zielberuf suchen und hinzufügen")).to_have_value("")
    shot(page, "12-partner-zielberuf-suche")
