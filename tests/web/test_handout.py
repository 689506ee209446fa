"""The jobseeker's handout: print view and PDF with provider contact, in six languages."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from models.enums import DecisionAction, DecisionReason, OfferStatus, Role
from models.offer import Offer
from models.profile import ProfileCreate
from models.recommendation import DecisionCreate
from models.user import User
from service.caseload import decisions
from service.caseload.profiles import create_profile
from service.core.clock import local_today
from service.core.config import get_settings
from service.core.db import get_engine
from service.recommendations import requests as rec_service
from tests.factories import profile_payload
from tests.web.conftest import sign_in

PHONE = "02151 654321"


@pytest.fixture
def app(sqlite_only_app):
    return sqlite_only_app


def _offer(provider_id: int, **overrides) -> Offer:
    return Offer(
        **{
            "external_ref": "H-1",
            "title": "Teilqualifizierung Lagerlogistik – Modul 1",
            "measure_type": "TEILQUALIFIZIERUNG",
            "target_occupations": ["51301"],
            "funding": ["bildungsgutschein"],
            "hours_per_week": 20,
            "part_time_possible": True,
            "childcare": True,
            "min_german_level": "A2",
            "duration_weeks": 12,
            "start_dates": [local_today() + timedelta(days=30)],
            "seats_total": 10,
            "seats_free": 4,
            "district": "Uerdingen",
            "status": OfferStatus.APPROVED,
            "provider_id": provider_id,
            "venue_street": "Niederstraße 12",
            "venue_postcode": "47829",
            "venue_city": "Krefeld",
            "registration_url": "https://logistik-campus.example/anmeldung",
            "cost_eur": 3200.0,
            "funding_note": "Bildungsgutschein – AZAV-zugelassen",
            "azav_measure_number": "962/0042/2027",
        }
        | overrides
    )


@pytest.fixture
def handout(app, client, make_user, factory):
    """A signed-in counsellor with one recommendation in their caseload."""
    provider = factory.provider(
        name="Logistik-Campus Uerdingen",
        street="Bruchstraße 40",
        postcode="47829",
        phone=PHONE,
        email="kontakt@logistik-campus.example",
        website="https://www.logistik-campus.example",
        contact_role="Kursberatung",
    )
    username = make_user(Role.COUNSELLOR)
    with Session(get_engine(app), expire_on_commit=False) as s:
        s.add(_offer(provider.id))
        s.add(
            _offer(
                provider.id, external_ref="H-2", title="Laufend", start_dates=[], rolling_entry=True
            )
        )
        s.commit()
        user = s.exec(select(User).where(User.username == username)).one()
        with app.app_context():
            profile = create_profile(
                s,
                ProfileCreate.model_validate(profile_payload(german_level="B1")),
                owner=user,
                pseudonym_key=get_settings(app).pseudonym_key,
            )
            rec = rec_service.create_recommendation(s, profile.id, user=user, k=5)
            s.commit()
    sign_in(client, username)
    return rec.request_id, user


def _page(client, request_id, lang=""):
    suffix = f"?sprache={lang}" if lang else ""
    return client.get(f"/beratung/empfehlungen/{request_id}/merkblatt{suffix}")


def test_print_view_lists_provider_contact_start_place_and_cost(client, handout):
    html = _page(client, handout[0]).get_data(as_text=True)

    assert "Logistik-Campus Uerdingen" in html
    assert PHONE in html
    assert "kontakt@logistik-campus.example" in html
    assert "Niederstraße 12, 47829 Krefeld" in html
    assert (local_today() + timedelta(days=30)).strftime("%d.%m.%Y") in html
    assert "3.200,00 €" in html
    assert "laufender Einstieg" in html
    assert "Bildungsgutschein (wenn Sie ihn schon erhalten haben)" in html


@pytest.mark.slow  # renders PDFs
def test_pdf_download_is_a_pdf_with_the_provider_phone(client, handout):
    response = client.get(f"/beratung/empfehlungen/{handout[0]}/merkblatt.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.slow  # renders PDFs
def test_pdf_text_contains_the_provider_phone(app, handout):
    from service.recommendations.handout import offer_views
    from service.web.handout_pdf import render_pdf

    with Session(get_engine(app)) as s:
        offers = s.exec(select(Offer)).all()
        views = list(offer_views(s, [o.id for o in offers], today=local_today()).values())
    with app.test_request_context():
        body = render_pdf(views, today=local_today(), lang="de")

    assert _pdf_text(body).count(PHONE) == 2


def _pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [
        ("en", "Please bring"),
        ("tr", "Lütfen yanınızda getirin"),
        ("ar", "يُرجى إحضار"),
        ("uk", "Будь ласка, візьміть із собою"),
        ("ru", "Пожалуйста, возьмите с собой"),
    ],
)
def test_handout_renders_in_the_person_s_language(client, handout, lang, phrase):
    html = _page(client, handout[0], lang).get_data(as_text=True)

    assert phrase in html
    assert f'<article class="handout" lang="{lang}"' in html


def test_arabic_handout_runs_right_to_left_and_the_interface_stays_german(client, handout):
    html = _page(client, handout[0], "ar").get_data(as_text=True)

    assert 'lang="ar" dir="rtl"' in html
    assert '<html lang="de">' in html
    assert "Abmelden" in html


@pytest.mark.slow  # renders PDFs
@pytest.mark.parametrize("lang", ["de", "en", "tr", "ar", "uk", "ru"])
def test_pdf_renders_in_every_language(client, handout, lang):
    response = client.get(f"/beratung/empfehlungen/{handout[0]}/merkblatt.pdf?sprache={lang}")

    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def test_unknown_language_falls_back_to_german(client, handout):
    html = _page(client, handout[0], "xx").get_data(as_text=True)

    assert "Bitte mitbringen" in html


def test_chosen_offer_alone_is_on_the_handout(app, client, handout):
    request_id, user = handout
    with Session(get_engine(app)) as s:
        chosen = s.exec(select(Offer).where(Offer.external_ref == "H-1")).one()
        data = DecisionCreate(
            action=DecisionAction.ACCEPTED,
            offer_id=chosen.id,
            reason_code=DecisionReason.FITS_GOALS,
        )
        with app.app_context():
            decisions.record_decision(s, request_id, data, user=user)
            s.commit()

    html = _page(client, request_id).get_data(as_text=True)

    assert "Lagerlogistik" in html
    assert "Laufend" not in html


def test_another_counsellor_gets_404(app, client, handout, make_user):
    client.post("/abmelden")
    client.delete_cookie("qm_session")
    sign_in(client, make_user(Role.COUNSELLOR))

    assert _page(client, handout[0]).status_code == 404
    assert client.get(f"/beratung/empfehlungen/{handout[0]}/merkblatt.pdf").status_code == 404


def test_a_partner_may_not_open_the_handout(client, handout, make_user, factory):
    client.delete_cookie("qm_session")
    sign_in(client, make_user(Role.PARTNER, provider_id=factory.provider().id))

    assert _page(client, handout[0]).status_code == 403


def test_recommendation_cards_show_contact_start_registration_and_cost(client, handout):
    html = client.get(f"/beratung/empfehlungen/{handout[0]}").get_data(as_text=True)

    assert "Logistik-Campus Uerdingen" in html
    assert PHONE in html
    assert "https://www.logistik-campus.example" in html
    assert "Niederstraße 12, 47829 Krefeld" in html
    assert f"Start {(local_today() + timedelta(days=30)).strftime('%d.%m.%Y')}" in html
    assert "laufender Einstieg" in html
    assert "https://logistik-campus.example/anmeldung" in html
    assert "3.200,00 €" in html
    assert "AZAV-Maßnahmenummer 962/0042/2027" in html


def test_summary_print_view_shows_provider_contact(client, handout):
    html = client.get(f"/beratung/empfehlungen/{handout[0]}/druck").get_data(as_text=True)

    assert PHONE in html
    assert "kontakt@logistik-campus.example" in html
