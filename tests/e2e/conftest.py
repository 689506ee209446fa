"""Browser fixtures: the app under a real WSGI server on 127.0.0.1 and Debian's Chromium.

One server and one browser per test session; every test gets a fresh browser context (its own
cookies) and creates the accounts it needs with unique names, so tests never share state.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session
from werkzeug.serving import make_server

from models.enums import District, ProviderKind, Role
from models.provider import Provider
from service.accounts import create_user
from service.core.db import get_engine, get_session
from service.occupations import get_index
from tests.conftest import ROOT, _prepared_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
PASSWORD = "Krefeld-Test-2026!"
_names = itertools.count(1)


@dataclass
class LiveServer:
    app: Flask
    url: str

    def session(self) -> Session:
        return Session(get_engine(self.app), expire_on_commit=False)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"
    app = _prepared_app(f"sqlite:///{path}")
    with app.app_context():  # build the occupation index once, before the first keystroke
        get_index(get_session())
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        get_engine(app).dispose()


def _chromium_missing() -> str | None:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        return f"{CHROMIUM} fehlt (apt-get install -y chromium)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    problem = _chromium_missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"BROWSER-TESTS NICHT MÖGLICH – {problem}")
        warnings.warn(f"BROWSER-TESTS ÜBERSPRUNGEN – {problem}", stacklevel=1)
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.stash[FAILED] = report.failed


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Any, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
        if request.node.stash.get(FAILED, False):  # keep what the browser showed
            shot(page, f"failed-{request.node.name}")
    finally:
        context.close()
    assert not errors, f"JavaScript-Fehler im Browser: {errors}"


class Accounts:
    """Creates users with a password (and providers for partners) on the live server's database."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server

    def provider(self, name: str | None = None) -> Provider:
        with self.server.session() as s:
            provider = Provider(
                name=name or f"Träger {next(_names)}",
                kind=ProviderKind.WELFARE,
                district=District.MITTE,
                azav_certified=True,
            )
            s.add(provider)
            s.commit()
            return provider

    def user(self, role: Role, *, provider: Provider | None = None, totp: str | None = None) -> str:
        name = f"{role.value}-{next(_names)}-{os.getpid()}"
        if role == Role.PARTNER and provider is None:
            provider = self.provider()
        with self.server.session() as s:
            user = create_user(
                s, name, role, provider_id=provider.id if provider else None, password=PASSWORD
            )
            user.totp_secret = totp
            s.add(user)
            s.commit()
        return name


@pytest.fixture
def accounts(live_server: LiveServer) -> Accounts:
    return Accounts(live_server)


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/anmelden")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def login_with_code(page: Any, username: str, secret: str) -> None:
    """Sign in an admin or coordinator whose second factor is already set up."""
    import pyotp

    login(page, username)
    page.get_by_label("Einmalcode").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bestätigen").click()


def shot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
