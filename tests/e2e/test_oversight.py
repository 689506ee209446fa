"""Oversight in the browser: a model that failed its gates is activated only with a written
reason, after which every role sees a banner and the health check reports the failed gates."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import expect
from sqlmodel import delete

from models.enums import Role
from models.registry import RankerAlias
from service.ranking import model_store, registry
from tests.e2e.conftest import LiveServer, login, login_with_code, shot
from tests.factories import failed_gates

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FAILED_GATES = failed_gates("Fokusgruppe Frauen: Kandidat −6,00 pp gegenüber der Referenz")


@pytest.fixture
def failed_candidate(live_server: LiveServer, monkeypatch) -> Iterator[str]:
    """A passing champion and a failed candidate; the aliases are removed afterwards."""
    monkeypatch.setattr(model_store, "decode_artifact", lambda data, sha: data.decode())
    model_store.reset_cache()
    suffix = uuid.uuid4().hex[:6]
    champion, candidate = f"e2e-{suffix}.1", f"e2e-{suffix}.2"
    with live_server.session() as s:
        for name, gates in ((champion, {"passed": True}), (candidate, FAILED_GATES)):
            registry.register_version(
                s,
                artifact=f"artifact-{name}".encode(),
                library_versions={},
                metrics={},
                gates=gates,
                version=name,
            )
        registry.promote(s, champion)
        s.commit()
    try:
        yield candidate
    finally:
        with live_server.session() as s:
            s.exec(delete(RankerAlias))  # type: ignore[call-overload]
            s.commit()
        model_store.reset_cache()


def test_failed_model_needs_reason_then_banner_and_health_flag(page, accounts, failed_candidate):
    secret = pyotp.random_base32()
    admin = accounts.user(Role.ADMIN, totp=secret)
    counsellor = accounts.user(Role.COUNSELLOR)

    login_with_code(page, admin, secret)
    page.get_by_role("link", name="Modelle").click()
    page.get_by_role("link", name=f"Version {failed_candidate} aktivieren").click()
    expect(
        page.get_by_role("heading", name="Diese Version hat Freigabe-Prüfungen nicht bestanden")
    ).to_be_visible()
    expect(page.locator(".failed-gates")).to_contain_text("Fokusgruppe Frauen")
    shot(page, "17-admin-ausnahmefreigabe")
    activate = page.get_by_role("button", name="Trotz nicht bestandener Prüfungen aktivieren")
    activate.click()
    expect(page.locator("#reason-error")).to_contain_text("begründen")
    page.get_by_label("Begründung").fill("Fachlich geprüft; Ausnahme bis zum nächsten Training.")
    activate.click()

    expect(page.get_by_role("status")).to_contain_text("ist jetzt aktiv")
    banner = page.get_by_role("note", name="Hinweis zum Ranking")
    expect(banner).to_contain_text("Ausnahmefreigabe")
    expect(banner).to_contain_text(failed_candidate)
    health = page.request.get("/api/v1/health").json()["ranking"]
    assert (health["model_version"], health["gates_passed"]) == (failed_candidate, False)
    page.get_by_role("button", name="Abmelden").click()

    login(page, counsellor)
    expect(page.get_by_role("note", name="Hinweis zum Ranking")).to_contain_text(
        "Prüfungen nicht bestanden"
    )
    shot(page, "18-beratung-ausnahmefreigabe")
