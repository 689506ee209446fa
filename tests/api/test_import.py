"""CSV import over the API: encodings, separators, row errors, idempotency and file limits."""

from __future__ import annotations

from models.enums import Role
from service.offers.csv_import import template_csv
from tests.api.import_helpers import csv_text as _csv
from tests.api.import_helpers import row as _row
from tests.api.import_helpers import upload as _upload
from tests.api.offer_helpers import review, submit
from tests.factories import offers_seen as _offers


def test_import_creates_drafts(client, partner):
    response = _upload(client, partner, _csv(_row("A-1"), _row("A-2")))

    assert response.status_code == 200
    assert response.get_json() | {"ignored_columns": []} == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "ignored_columns": [],
        "ignored_column_count": 0,
        "warnings": [],
    }
    assert {o["status"] for o in _offers(client, partner)} == {"draft"}


def test_reimport_of_same_file_changes_nothing(client, partner):
    data = _csv(_row("A-1"), _row("A-2"))
    _upload(client, partner, data)

    report = _upload(client, partner, data).get_json()

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 2)
    assert len(_offers(client, partner)) == 2


def test_reimport_with_change_updates(client, partner):
    _upload(client, partner, _csv(_row("A-1")))

    report = _upload(client, partner, _csv(_row("A-1", free="2"))).get_json()

    assert report["updated"] == 1
    assert _offers(client, partner)[0]["seats_free"] == 2


def test_reimport_of_approved_offer_goes_to_pending_changes(client, factory, partner):
    coordinator = factory.actor(Role.COORDINATOR)
    _upload(client, partner, _csv(_row("A-1")))
    offer_id = _offers(client, partner)[0]["id"]
    submit(client, partner, offer_id)
    review(client, coordinator, offer_id, "approve")

    _upload(client, partner, _csv(_row("A-1", title="Staplerschein kompakt plus")))

    offer = _offers(client, partner)[0]
    assert offer["title"] == "Staplerschein kompakt"
    assert offer["pending_changes"] == {"title": "Staplerschein kompakt plus"}


def test_duplicate_reference_in_file_is_reported(client, partner):
    report = _upload(client, partner, _csv(_row("A-1"), _row("A-1"))).get_json()

    assert report["created"] == 1
    assert report["errors"] == [
        {
            "row": 3,
            "column": "Referenz",
            "code": "duplicate_ref",
            "message": "Referenz kommt in der Datei mehrfach vor (zuerst in Zeile 2).",
        }
    ]


def test_unknown_kldb_code_is_reported_and_valid_rows_saved(client, partner):
    report = _upload(client, partner, _csv(_row("A-1", kldb="99999"), _row("A-2"))).get_json()

    assert report["created"] == 1
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [
        (2, "Zielberufe (KldB)", "unknown_kldb")
    ]


def test_partner_cannot_import_for_other_provider(client, factory, partner):
    other = factory.provider()

    response = _upload(client, partner, _csv(_row()), provider_id=str(other.id))

    assert response.status_code == 403


def test_coordinator_imports_for_named_provider(client, factory):
    coordinator = factory.actor(Role.COORDINATOR)
    provider = factory.provider()

    response = _upload(client, coordinator, _csv(_row()), provider_id=str(provider.id))

    assert response.get_json()["created"] == 1


def test_counsellor_cannot_import(client, factory):
    response = _upload(client, factory.actor(Role.COUNSELLOR), _csv(_row()))

    assert response.status_code == 403


def test_template_imports_cleanly(client, partner):
    template = client.get("/api/v1/offers/import/template", headers=partner.headers)

    response = _upload(client, partner, template.get_data())

    assert template.mimetype == "text/csv"
    assert response.get_json()["created"] == 1
    assert response.get_json()["errors"] == []


def test_cli_import_is_idempotent(app, factory, tmp_path):
    provider = factory.provider()
    path = tmp_path / "angebote.csv"
    path.write_text(template_csv(), encoding="utf-8")
    runner = app.test_cli_runner()

    runner.invoke(args=["offers", "import", str(path), "--provider", str(provider.id)])
    second = runner.invoke(args=["offers", "import", str(path), "--provider", str(provider.id)])

    assert second.exit_code == 0, second.output
    assert '"unchanged": 1' in second.output
