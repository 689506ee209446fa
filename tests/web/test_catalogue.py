"""The counsellors' catalogue page: a GET form over the catalogue search, German dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from models.enums import OfferStatus, Role
from models.offer import EXAMPLE_OFFER, Offer, OfferBase
from service.core.db import get_engine
from service.offers.fields import storage_values
from tests.web.conftest import sign_in


def _store(app, provider_id, ref, **values):
    content = OfferBase.model_validate(EXAMPLE_OFFER | {"external_ref": ref} | values)
    with Session(get_engine(app)) as session:
        session.add(
            Offer(**storage_values(content), provider_id=provider_id, status=OfferStatus.APPROVED)
        )
        session.commit()


@pytest.fixture
def counsellor_client(app, client, factory, make_user):
    provider = factory.provider(name="Bildungswerk Süd")
    soon = date.today() + timedelta(days=20)
    _store(app, provider.id, "A", title="Staplerschein kompakt", start_dates=[soon], end_date=None)
    _store(
        app,
        provider.id,
        "B",
        title="Pflege Basiskurs",
        start_dates=[soon + timedelta(300)],
        end_date=None,
    )
    sign_in(client, make_user(Role.COUNSELLOR))
    return client


def test_navigation_links_the_search(counsellor_client):
    page = counsellor_client.get("/beratung/").get_data(as_text=True)

    assert 'href="/beratung/katalog"' in page


def test_search_shows_matching_offer_with_provider(counsellor_client):
    page = counsellor_client.get("/beratung/katalog?q=stapler").get_data(as_text=True)

    assert "Staplerschein kompakt" in page
    assert "Bildungswerk Süd" in page
    assert "Pflege Basiskurs" not in page


def test_german_start_date_filters(counsellor_client):
    before = (date.today() + timedelta(days=60)).strftime("%d.%m.%Y")

    page = counsellor_client.get(f"/beratung/katalog?starts_before={before}").get_data(as_text=True)

    assert "Staplerschein kompakt" in page
    assert "Pflege Basiskurs" not in page


def test_occupation_from_autocomplete_filters_by_code(counsellor_client):
    page = counsellor_client.get(
        "/beratung/katalog?occupation=51312+Fachkraft+Lagerlogistik"
    ).get_data(as_text=True)

    assert "Keine passenden Angebote." in page


def test_invalid_date_is_shown_beside_the_field(counsellor_client):
    response = counsellor_client.get("/beratung/katalog?starts_before=bald")

    assert response.status_code == 422
    assert "Datum als TT.MM.JJJJ angeben." in response.get_data(as_text=True)


def test_travel_sort_without_district_asks_for_it(counsellor_client):
    response = counsellor_client.get("/beratung/katalog?sort=travel")

    assert response.status_code == 422
    assert "den Wohnbezirk wählen" in response.get_data(as_text=True)
