"""``qualimatch offers import-wbs FILE…``: German report, idempotency, exit codes."""

from __future__ import annotations

import json

from sqlmodel import Session, func, select

from models.enums import OfferStatus
from models.offer import Offer
from service.core.db import get_engine
from tests.api.wbs_helpers import FIRST, WBS_DIR


def _run(app, *names, extra=()):
    paths = [str(WBS_DIR / name) for name in names]
    return app.test_cli_runner().invoke(args=["offers", "import-wbs", *extra, *paths])


def _submitted(app):
    with Session(get_engine(app)) as session:
        query = select(func.count()).select_from(Offer).where(Offer.status == OfferStatus.SUBMITTED)
        return session.exec(query).one()


def test_import_prints_a_german_report(app):
    result = _run(app, *FIRST)

    assert result.exit_code == 0, result.output
    assert result.output.startswith("6 neu angelegt (zur Prüfung eingereicht), 0 aktualisiert")
    assert "Nicht übernommen: Termin 5 (WBS-100005" in result.output
    assert "außerhalb Krefelds" in result.output
    assert _submitted(app) == 6


def test_second_run_creates_none(app):
    _run(app, *FIRST)

    result = _run(app, *FIRST, extra=["--json"])

    report = json.loads(result.output)
    assert (report["created"], report["unchanged"]) == (0, 6)
    assert _submitted(app) == 6


def test_unreadable_file_gives_a_nonzero_exit_and_the_rest_is_imported(app):
    result = _run(app, "broken.json", "krefeld_page1.json")

    assert result.exit_code == 1
    assert "broken.json: Die Datei ist kein gültiges JSON." in result.output
    assert _submitted(app) == 4


def test_missing_file_gives_a_nonzero_exit(app):
    result = _run(app, "does-not-exist.json")

    assert result.exit_code == 1
    assert "Datei nicht lesbar" in result.output
