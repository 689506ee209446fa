"""Coverage statistics: who may read them, the derived demand, supply, and the cell key method."""

from __future__ import annotations

import pytest

from models.enums import Role
from service.stats.cellkey import MAX_DEVIATION
from tests.api.offer_helpers import approved_id
from tests.factories import profile_payload

# A profile needing exactly "language" and "vocational" (German A2, no qualification, adult,
# short unemployment) in Mitte.
NEEDS_LANGUAGE = {
    "german_level": "A2",
    "vocational_qualification": "none",
    "age_band": "30-34",
    "unemployment_months": 3,
    "district": "Mitte",
    "gender": "m",
    "citizenship": "german",
    "migration_background": False,
    "foreign_qualification": False,
    "recognition_status": "not_applicable",
}


def _profiles(client, counsellor, n, **overrides):
    for _ in range(n):
        response = client.post(
            "/api/v1/profiles",
            json=profile_payload(**(NEEDS_LANGUAGE | overrides)),
            headers=counsellor.headers,
        )
        assert response.status_code == 201


def _cell(report, group, district, family):
    return next(
        c
        for c in report["demand"]
        if (c["focus_group"], c["district"], c["family"]) == (group, district, family)
    )


def _report(client, actor):
    response = client.get("/api/v1/stats/coverage", headers=actor.headers)
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.PARTNER])
def test_only_coordinator_and_admin_read_coverage(client, factory, role):
    response = client.get("/api/v1/stats/coverage", headers=factory.actor(role).headers)

    assert response.status_code == 403


def test_demand_counts_people_by_derived_family(client, counsellor, coordinator):
    _profiles(client, counsellor, 10)

    report = _report(client, coordinator)

    cell = _cell(report, "all", "Mitte", "language")
    assert cell["suppressed"] is False
    assert abs(cell["count"] - 10) <= MAX_DEVIATION
    assert _cell(report, "all", "Mitte", "vocational") == cell | {"family": "vocational"}
    assert _cell(report, "rest", "Mitte", "language") == cell | {"focus_group": "rest"}


def test_a_single_person_is_never_shown(client, counsellor, coordinator):
    _profiles(client, counsellor, 1)

    cell = _cell(_report(client, coordinator), "all", "Mitte", "language")

    assert (cell["count"], cell["suppressed"]) == (None, True)


def test_same_people_give_the_same_figures_on_every_request(client, counsellor, coordinator):
    _profiles(client, counsellor, 9)

    first, second = _report(client, coordinator), _report(client, coordinator)

    assert first["demand"] == second["demand"]


def test_a_new_profile_leaves_the_cells_it_is_not_in_unchanged(client, counsellor, coordinator):
    _profiles(client, counsellor, 9)
    before = _report(client, coordinator)

    _profiles(client, counsellor, 1, district="Süd")

    after = _report(client, coordinator)
    for family in ("language", "vocational", "Summe"):
        assert _cell(after, "all", "Mitte", family) == _cell(before, "all", "Mitte", family)


def test_report_describes_the_disclosure_control(client, coordinator):
    control = _report(client, coordinator)["disclosure_control"]

    assert (control["method"], control["max_deviation"]) == ("cell_key", MAX_DEVIATION)
    assert "Cell-Key-Verfahren" in control["description"]


def test_supply_and_gap_use_approved_free_seats(client, factory, counsellor, coordinator):
    partner = factory.actor(Role.PARTNER)
    _profiles(client, counsellor, 12)
    approved_id(
        client,
        partner,
        coordinator,
        measure_type="BERUFSSPRACHKURS",
        district="Mitte",
        duration_weeks=20,
        seats_total=5,
        seats_free=3,
        target_occupations=[],
    )

    report = _report(client, coordinator)

    gap = next(g for g in report["gaps"] if (g["district"], g["family"]) == ("Mitte", "language"))
    assert abs(gap["demand"] - 12) <= MAX_DEVIATION
    assert (gap["free_seats"], gap["gap"]) == (3, gap["demand"] - 3)
    assert report["gaps"][0]["gap"] >= gap["gap"]


def test_csv_export_has_header_and_suppression_column(client, counsellor, coordinator):
    _profiles(client, counsellor, 1)

    response = client.get("/api/v1/stats/coverage.csv", headers=coordinator.headers)

    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert response.mimetype == "text/csv"
    assert lines[0].startswith("zielgruppe;stadtbezirk;massnahmefamilie;nachfrage;gesperrt")
    assert "all;Mitte;language;;ja;0;0;" in lines


def test_format_query_returns_csv(client, coordinator):
    response = client.get("/api/v1/stats/coverage?format=csv", headers=coordinator.headers)

    assert response.mimetype == "text/csv"


def test_no_profile_fields_in_report(client, counsellor, coordinator):
    _profiles(client, counsellor, 6)

    text = client.get("/api/v1/stats/coverage", headers=coordinator.headers).get_data(as_text=True)

    assert "pseudonym" not in text
    assert '"id"' not in text
