"""Automated accessibility check (axe-core, WCAG 2.1 A/AA) of the main pages of every role,
keyboard access to the skip link, and screenshots of each page for review."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect

from models.enums import Role
from tests.e2e.conftest import login, login_with_code, shot
from tests.e2e.seed import model_recommendation, open_model_recommendation

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture
def a11y_page(browser, live_server):
    # The app's CSP rightly refuses injected scripts; only this audit context may bypass it.
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        bypass_csp=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def audit(page, name: str) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    shot(page, f"a11y-{name}")
    return [
        f"{name}: {v['id']} ({v['impact']}) – {v['help']} – "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def visit_all(page, paths: dict[str, str]) -> list[str]:
    problems: list[str] = []
    for name, path in paths.items():
        response = page.goto(path)
        assert response is not None, path
        assert response.ok, f"{path}: {response.status}"
        problems += audit(page, name)
    return problems


def admin_user_path(live_server, username: str) -> str:
    from sqlmodel import select

    from models.user import User

    with live_server.session() as s:
        user = s.exec(select(User).where(User.username == username)).one()
    return f"/admin/benutzer/{user.id}"


def test_pages_have_no_serious_accessibility_violations(a11y_page, accounts, live_server):
    page = a11y_page
    provider = accounts.provider("Diakonie Krefeld")
    counsellor = accounts.user(Role.COUNSELLOR)
    partner = accounts.user(Role.PARTNER, provider=provider)
    secret = pyotp.random_base32()
    coordinator = accounts.user(Role.COORDINATOR, totp=secret)
    admin = accounts.user(Role.ADMIN, totp=secret)
    request_id = model_recommendation(live_server, counsellor, provider.id)
    problems = visit_all(page, {"anmelden": "/anmelden"})

    login(page, counsellor)
    page.goto(f"/beratung/empfehlungen/{request_id}")
    page.get_by_role("link", name="Zum Profil").click()
    profile_path = page.url.removeprefix(live_server.url)
    problems += visit_all(
        page,
        {
            "fallbestand": "/beratung/",
            "profil-neu": "/beratung/profile/neu",
            "profil": profile_path,
            "profil-bearbeiten": profile_path + "/bearbeiten",
            "empfehlung": f"/beratung/empfehlungen/{request_id}",
            "druckansicht": f"/beratung/empfehlungen/{request_id}/druck",
            "konto-tokens": "/konto/tokens",
            "konto-passwort": "/konto/passwort",
            "merkblatt": f"/beratung/empfehlungen/{request_id}/merkblatt",
            "merkblatt-ar": f"/beratung/empfehlungen/{request_id}/merkblatt?sprache=ar",
        },
    )
    page.context.clear_cookies()

    login(page, partner)
    problems += visit_all(
        page,
        {
            "partner-angebote": "/partner/",
            "partner-neu": "/partner/angebote/neu",
            "partner-import": "/partner/import",
        },
    )
    page.context.clear_cookies()

    login_with_code(page, coordinator, secret)
    coordinator_pages = {
        "pruefung": "/koordination/",
        "traeger": "/koordination/traeger",
        "modelle": "/koordination/modelle",
    }
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    for name in ("Versorgung", "Fairness"):  # dashboards appear once their statistics exist
        link = nav.get_by_role("link", name=name)
        if link.count():
            coordinator_pages[name.lower()] = link.get_attribute("href") or ""
    problems += visit_all(page, coordinator_pages)
    page.context.clear_cookies()

    login_with_code(page, admin, secret)
    problems += visit_all(
        page,
        {
            "admin-benutzer": "/admin/",
            "admin-konto": admin_user_path(live_server, counsellor),
            "admin-ranking": "/admin/ranking",
            "admin-modelle": "/admin/modelle",
        },
    )

    assert not problems, "\n".join(problems)


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, accounts):
    login(page, accounts.user(Role.COUNSELLOR))
    page.goto("/beratung/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_be_focused()


def test_model_recommendation_shows_gain_bar_with_interval(page, accounts, live_server):
    first = open_model_recommendation(page, accounts, live_server)
    expect(first.get_by_role("img")).to_have_accessible_name(
        "Geschätzter Zugewinn +8,4 Pp., Unsicherheitsbereich +3,1 Pp. bis +13,0 Pp."
    )
    expect(first).to_contain_text("ohne Maßnahme 21 % → mit Maßnahme 29 %")
    shot(page, "23-empfehlung-modell")
    page.set_viewport_size({"width": 820, "height": 1180})
    shot(page, "24-empfehlung-tablet")
