"""Partner CSV import in the browser: template download, upload, row-by-row error report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models.enums import Role
from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_partner_uploads_csv_and_sees_errors_per_row(page, accounts, tmp_path):
    login(page, accounts.user(Role.PARTNER))
    page.get_by_role("link", name="CSV-Import", exact=True).first.click()

    template = page.request.get("/partner/import/vorlage.csv")
    assert template.status == 200
    text = template.body().decode("utf-8-sig")
    header, example = text.splitlines()[:2]
    broken = example.replace("PFL-2026-01", "PFL-2026-02").replace(";30;", ";99;")
    upload = tmp_path / "angebote.csv"
    upload.write_text("\n".join([header, example, broken]) + "\n", encoding="utf-8")

    page.get_by_label("CSV-Datei").set_input_files(str(upload))
    page.get_by_role("button", name="Hochladen und prüfen").click()

    report = page.get_by_role("region", name="Ergebnis des Imports").or_(page.locator("#report"))
    expect(report).to_contain_text("1 neu angelegt")
    rows = page.get_by_role("table", name="Fehler je Zeile").get_by_role("row")
    expect(rows.nth(1)).to_contain_text("3")
    expect(rows.nth(1)).to_contain_text("Wochenstunden")
    shot(page, "17-partner-import-bericht")
    page.get_by_role("link", name="Zu den Angeboten").click()
    expect(page.get_by_role("row", name="Teilqualifizierung Pflegehelfer/in")).to_contain_text(
        "Entwurf"
    )
