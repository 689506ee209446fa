"""Coordinator dashboards say that their figures are perturbed by the cell key method."""

from __future__ import annotations

import pyotp
import pytest

from models.enums import Role
from tests.web.conftest import csrf_token, sign_in

NOTE = "Werte zufällig überlagert (Cell-Key-Verfahren)"


@pytest.fixture
def coordinator_client(client, make_user):
    secret = pyotp.random_base32()
    sign_in(client, make_user(Role.COORDINATOR, totp=secret))
    token = csrf_token(client, "/anmelden/code")
    code = pyotp.TOTP(secret).now()
    client.post("/anmelden/code", data={"code": code, "csrf_token": token})
    return client


@pytest.mark.parametrize("path", ["/koordination/versorgung", "/koordination/fairness"])
def test_dashboard_explains_the_perturbation(coordinator_client, path):
    response = coordinator_client.get(path)

    assert response.status_code == 200, response.headers.get("Location")
    assert NOTE in response.get_data(as_text=True)
