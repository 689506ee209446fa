"""The partner's offer form takes German dates (TT.MM.JJJJ) and ISO dates."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from models.offer import Offer
from service.core.db import get_engine
from tests.web.conftest import csrf_token

FORM = {
    "title": "Teilqualifizierung Pflegehilfe",
    "external_ref": "TQ-1",
    "measure_type": "TEILQUALIFIZIERUNG",
    "district": "Mitte",
    "format": "in_person",
    "hours_per_week": "25",
    "duration_weeks": "16",
    "seats_total": "12",
    "seats_free": "8",
    "min_german_level": "A2",
    "language": "de",
}


@pytest.mark.parametrize(
    ("starts", "end"),
    [("15.01.2030, 01.03.2030", "20.12.2030"), ("2030-01-15, 2030-03-01", "2030-12-20")],
)
def test_dates_german_or_iso_are_stored(app, partner_client, starts, end):
    token = csrf_token(partner_client, "/partner/angebote/neu")

    response = partner_client.post(
        "/partner/angebote/neu",
        data=FORM | {"start_dates": starts, "end_date": end, "csrf_token": token},
    )

    assert response.status_code == 302
    with Session(get_engine(app)) as session:
        offer = session.exec(select(Offer)).one()
    assert [d.isoformat() for d in offer.start_dates] == ["2030-01-15", "2030-03-01"]
    assert offer.end_date.isoformat() == "2030-12-20"


def test_unreadable_date_is_shown_beside_the_field(partner_client):
    token = csrf_token(partner_client, "/partner/angebote/neu")

    response = partner_client.post(
        "/partner/angebote/neu",
        data=FORM | {"start_dates": "im Frühjahr", "csrf_token": token},
    )

    assert response.status_code == 422
    assert "Datum als TT.MM.JJJJ" in response.get_data(as_text=True)
