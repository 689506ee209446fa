"""Partners submit all drafts with one button; the import page says that imports are drafts."""

from __future__ import annotations

from sqlmodel import Session, select

from models.enums import OfferStatus, Role
from models.offer import EXAMPLE_OFFER, Offer, OfferBase
from service.core.db import get_engine
from service.offers.fields import storage_values
from tests.web.conftest import csrf_token, sign_in


def _draft(app, provider_id, ref):
    content = OfferBase.model_validate(EXAMPLE_OFFER | {"external_ref": ref})
    with Session(get_engine(app)) as session:
        session.add(Offer(**storage_values(content), provider_id=provider_id))
        session.commit()


def test_one_button_submits_all_drafts(app, client, factory, make_user):
    provider = factory.provider()
    _draft(app, provider.id, "D-1")
    _draft(app, provider.id, "D-2")
    sign_in(client, make_user(Role.PARTNER, provider_id=provider.id))
    token = csrf_token(client, "/partner/")

    response = client.post(
        "/partner/angebote/entwuerfe-einreichen", data={"csrf_token": token}, follow_redirects=True
    )

    assert "2 Entwürfe wurden zur Prüfung eingereicht." in response.get_data(as_text=True)
    with Session(get_engine(app)) as session:
        statuses = set(session.exec(select(Offer.status)))
    assert statuses == {OfferStatus.SUBMITTED}


def test_import_page_says_imports_are_drafts(client, factory, make_user):
    sign_in(client, make_user(Role.PARTNER, provider_id=factory.provider().id))

    page = client.get("/partner/import").get_data(as_text=True)

    assert "Neu importierte Angebote sind Entwürfe" in page
