"""Coverage statistics: who may read them, the derived demand, supply, and suppression."""

from __future__ import annotations

import pytest

from models.enums import Role
from service.stats.suppression import suppressed_cells
from tests.api.offer_helpers import approved_id
from tests.conftest import profile_payload

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


@pytest.fixture
def coordinator(factory):
    return factory.actor(Role.COORDINATOR)


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
    _profiles(client, counsellor, 6)

    report = _report(client, coordinator)

    assert _cell(report, "all", "Mitte", "language") == {
        "focus_group": "all",
        "district": "Mitte",
        "family": "language",
        "count": 6,
        "suppressed": False,
    }
    assert _cell(report, "rest", "Mitte", "vocational")["count"] == 6


def test_counts_below_five_are_suppressed(client, counsellor, coordinator):
    _profiles(client, counsellor, 4)

    cell = _cell(_report(client, coordinator), "all", "Mitte", "language")

    assert (cell["count"], cell["suppressed"]) == (None, True)


def test_no_row_or_column_has_exactly_one_suppressed_cell(client, counsellor, coordinator):
    _profiles(client, counsellor, 6)
    _profiles(client, counsellor, 3, district="Süd")
    _profiles(client, counsellor, 8, district="Süd", age_band="20-24")

    cells = [c for c in _report(client, coordinator)["demand"] if c["focus_group"] == "all"]

    for axis in ("district", "family"):
        for label in {c[axis] for c in cells}:
            assert sum(c["suppressed"] for c in cells if c[axis] == label) != 1, label


def test_supply_and_gap_use_approved_free_seats(client, factory, counsellor, coordinator):
    partner = factory.actor(Role.PARTNER)
    _profiles(client, counsellor, 7)
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
    assert (gap["demand"], gap["free_seats"], gap["gap"]) == (7, 3, 4)
    assert report["gaps"][0]["gap"] >= gap["gap"]


def test_csv_export_has_header_and_suppression_column(client, counsellor, coordinator):
    _profiles(client, counsellor, 2)

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


def test_secondary_suppression_hides_a_second_cell_in_row_and_column():
    counts = {
        ("a", "x"): 2,
        ("a", "y"): 10,
        ("a", "z"): 20,
        ("b", "x"): 30,
        ("b", "y"): 40,
        ("b", "z"): 50,
    }

    hidden = suppressed_cells(counts)

    assert ("a", "x") in hidden
    assert ("a", "y") in hidden  # smallest visible in row a
    assert ("b", "x") in hidden  # column x would otherwise reveal (a, x)
    for line in ["a", "b"]:
        assert sum(k in hidden for k in counts if k[0] == line) != 1
    for column in "xyz":
        assert sum(k in hidden for k in counts if k[1] == column) != 1
