"""The profile form posts to the profile service and shows its errors beside the fields."""

from __future__ import annotations

import re
from typing import Any

from models.enums import Role
from tests.web.conftest import csrf_token, sign_in

VALID = {
    "age_band": "25-29",
    "gender": "f",
    "district": "Mitte",
    "citizenship": "eu",
    "german_level": "B1",
    "school_certificate": "intermediate",
    "vocational_qualification": "none",
    "recognition_status": "not_applicable",
    "unemployment_months": "14",
    "benefit_regime": "SGB_II",
    "hours_available": "30",
    "max_commute_minutes": "45",
    "last_occupation": "",
    "target_occupations-0": "82102 Altenpfleger/in",
}


def _post(client: Any, **overrides: Any) -> Any:
    token = csrf_token(client, "/beratung/profile/neu")
    data = VALID | {"client_number": "KR-778899", "csrf_token": token} | overrides
    return client.post("/beratung/profile/neu", data=data)


def test_valid_profile_is_created_and_shown(client, make_user):
    sign_in(client, make_user(Role.COUNSELLOR))

    response = _post(client)

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "82102" in page
    assert "KR-778899" not in page


def test_unknown_occupation_code_is_reported_beside_the_field(client, make_user):
    sign_in(client, make_user(Role.COUNSELLOR))

    response = _post(client, **{"target_occupations-0": "99999 Unbekannt"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="target_occupations-0"', page)
    assert "Unbekannter KldB-Code" in page


def test_duplicate_client_number_is_reported(client, make_user):
    sign_in(client, make_user(Role.COUNSELLOR))
    _post(client)

    response = _post(client)

    assert response.status_code == 422
    assert "existiert bereits" in response.get_data(as_text=True)


def test_occupation_search_needs_a_session_and_returns_codes(client, make_user):
    assert client.get("/beratung/berufe?q=altenpfl").status_code == 302
    sign_in(client, make_user(Role.COUNSELLOR))

    matches = client.get("/beratung/berufe?q=altenpfl").get_json()

    assert matches
    assert all(re.fullmatch(r"\d{5}", m["code"]) for m in matches)
