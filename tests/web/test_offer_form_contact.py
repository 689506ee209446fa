"""The partner's offer form carries the course venue, registration and funding details that the
API has, with the API's checks and German dates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from models.offer import Offer
from service.core.db import get_engine
from tests.web.conftest import csrf_token
from tests.web.test_offer_form_dates import FORM

CONTACT = {
    "venue_street": "Westwall 20",
    "venue_postcode": "47798",
    "venue_city": "Krefeld",
    "registration_url": "https://kurse.example.org/anmeldung",
    "registration_deadline": "01.02.2030",
    "cost_eur": "1250.50",
    "certificate": "IHK-Zertifikat",
    "funding": ["bildungsgutschein", "avgs"],
    "azav_measure_number": "962/123/2029",
    "funding_note": "Bildungsgutschein der Agentur für Arbeit",
}


def _post(client, url, data):
    token = csrf_token(client, url)
    return client.post(
        url, data=FORM | {"start_dates": "15.03.2030"} | data | {"csrf_token": token}
    )


def _offer(app) -> Offer:
    with Session(get_engine(app)) as session:
        return session.exec(select(Offer)).one()


def test_venue_registration_and_funding_are_stored(app, partner_client):
    response = _post(partner_client, "/partner/angebote/neu", CONTACT)

    assert response.status_code == 302, response.get_data(as_text=True)
    offer = _offer(app)
    assert (offer.venue_street, offer.venue_postcode, offer.venue_city) == (
        "Westwall 20",
        "47798",
        "Krefeld",
    )
    assert offer.registration_url == "https://kurse.example.org/anmeldung"
    assert offer.registration_deadline == date(2030, 2, 1)
    assert offer.cost_eur == 1250.5
    assert offer.certificate == "IHK-Zertifikat"
    assert sorted(offer.funding) == ["avgs", "bildungsgutschein"]
    assert offer.azav_measure_number == "962/123/2029"
    assert offer.funding_note == "Bildungsgutschein der Agentur für Arbeit"


def test_fields_are_optional(app, partner_client):
    response = _post(partner_client, "/partner/angebote/neu", {})

    assert response.status_code == 302
    offer = _offer(app)
    assert (offer.venue_postcode, offer.registration_url, offer.registration_deadline) == (
        "",
        "",
        None,
    )


def test_edit_form_shows_the_stored_values_with_a_german_deadline(app, partner_client):
    _post(
        partner_client, "/partner/angebote/neu", CONTACT | {"registration_deadline": "2030-02-01"}
    )
    offer = _offer(app)

    page = partner_client.get(f"/partner/angebote/{offer.id}/bearbeiten").get_data(as_text=True)

    assert 'value="01.02.2030"' in page
    assert 'value="https://kurse.example.org/anmeldung"' in page
    assert 'value="962/123/2029"' in page
    assert "Anmeldeschluss" in page
    assert "Kursort: Postleitzahl" in page


def test_editing_changes_the_registration_details(app, partner_client):
    _post(partner_client, "/partner/angebote/neu", CONTACT)
    offer = _offer(app)
    url = f"/partner/angebote/{offer.id}/bearbeiten"
    token = csrf_token(partner_client, url)
    form = FORM | CONTACT | {"start_dates": "15.03.2030", "csrf_token": token}
    form.pop("external_ref")

    response = partner_client.post(
        url,
        data=form
        | {"version": str(offer.version), "registration_deadline": "", "venue_city": "Meerbusch"},
    )

    assert response.status_code == 302, response.get_data(as_text=True)
    changed = _offer(app)
    assert changed.registration_deadline is None
    assert changed.venue_city == "Meerbusch"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("venue_postcode", "4779", "fünfstellige Postleitzahl"),
        ("registration_url", "kurse.example.org", "Webadresse mit http:// oder https://"),
        ("registration_url", "javascript:alert(1)", "Webadresse mit http:// oder https://"),
        ("registration_deadline", "bald", "Datum als TT.MM.JJJJ"),
        ("registration_deadline", "31.02.2030", "Datum als TT.MM.JJJJ"),
        ("azav_measure_number", "9" * 41, "40"),
        ("funding_note", "x" * 501, "500"),
    ],
)
def test_invalid_value_is_shown_beside_the_field(partner_client, field, value, message):
    response = _post(partner_client, "/partner/angebote/neu", CONTACT | {field: value})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
