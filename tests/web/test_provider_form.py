"""Coordinators enter a provider's address and contact channels in the web form."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models.provider import Provider
from service.core.db import get_engine
from tests.web.conftest import csrf_token

FORM = {
    "name": "Technikakademie Krefeld",
    "kind": "education_provider",
    "district": "Uerdingen",
    "street": "Niederstraße 12",
    "postcode": "47829",
    "city": "Krefeld",
    "phone": "02151 445566",
    "email": "kursberatung@technikakademie.example",
    "website": "https://www.technikakademie.example",
    "contact_role": "Kursberatung",
}


@pytest.fixture
def app(sqlite_only_app):
    return sqlite_only_app


@pytest.fixture
def coordinator(coordinator_client):
    return coordinator_client


def _post(client, **overrides):
    token = csrf_token(client, "/koordination/traeger")
    return client.post("/koordination/traeger", data=FORM | {"csrf_token": token} | overrides)


def test_provider_is_created_with_address_and_contact(app, coordinator):
    response = _post(coordinator)

    assert response.status_code == 302
    with Session(get_engine(app)) as s:
        provider = s.exec(select(Provider).where(Provider.name == FORM["name"])).one()
    assert (provider.postcode, provider.phone, provider.contact_role) == (
        "47829",
        "02151 445566",
        "Kursberatung",
    )


def test_malformed_e_mail_is_shown_beside_the_field(coordinator):
    response = _post(coordinator, email="kursberatung-at-technikakademie")

    assert response.status_code == 422
    assert "Format ist ungültig" in response.get_data(as_text=True)
