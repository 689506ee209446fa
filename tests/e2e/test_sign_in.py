"""Sign-in in a real browser: password, lockout, CSRF rejection, TOTP enrolment and login."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from models.enums import Role
from tests.e2e.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_counsellor_signs_in_and_out(page, accounts):
    name = accounts.user(Role.COUNSELLOR)
    page.goto("/")
    shot(page, "01-anmelden")

    login(page, name)

    expect(page.get_by_role("heading", name="Fallbestand")).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("status")).to_contain_text("abgemeldet")
    page.goto("/beratung/")
    expect(page).to_have_url(re.compile(r"/anmelden"))


def test_wrong_password_locks_account_after_max_failures(page, accounts, live_server):
    name = accounts.user(Role.COUNSELLOR)
    settings = live_server.app.extensions["qualimatch.settings"]

    for _ in range(settings.login_max_failures):
        login(page, name, "falsch")
        expect(page.get_by_role("status")).to_contain_text("Benutzername oder Passwort ist falsch")
    login(page, name)  # the right password, but the account is locked now

    expect(page.get_by_role("status")).to_contain_text("vorübergehend gesperrt")
    expect(page).to_have_url(re.compile(r"/anmelden$"))


def test_form_with_forged_csrf_token_is_rejected(page, accounts):
    name = accounts.user(Role.COUNSELLOR)
    page.goto("/anmelden")
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort").fill("egal")
    page.locator("input[name=csrf_token]").evaluate("el => el.value = 'gefälscht'")

    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("heading", name="Anfrage nicht möglich")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Sicherheitstoken")
    assert posted.value.status == 400


def test_coordinator_enrols_totp_then_signs_in_with_code(page, accounts):
    name = accounts.user(Role.COORDINATOR)
    login(page, name)
    expect(page.get_by_role("heading", name="Zweiten Faktor einrichten")).to_be_visible()
    expect(page.get_by_role("img", name="QR-Code zur Einrichtung")).to_be_visible()
    shot(page, "02-totp-einrichten")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")

    page.get_by_label("Einmalcode").fill(
        "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    )
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.locator(".error")).to_contain_text("Der Code passt nicht")
    page.get_by_label("Einmalcode").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()

    login(page, name)
    expect(page.get_by_role("heading", name="Einmalcode eingeben")).to_be_visible()
    # The enrolment used this time step's code; each step is accepted once, so take the next.
    page.get_by_label("Einmalcode").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
