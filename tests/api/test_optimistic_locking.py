"""Two sessions writing the same row: the database's version check lets exactly one win.

The sessions both load version 1 before either writes, so the service's comparison with the
client's version passes in both; only the versioned UPDATE can tell the second one apart.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from models.enums import Role
from models.offer import Offer, OfferUpdate
from models.profile import Profile, ProfileCreate, ProfileUpdate
from models.provider import Provider, ProviderUpdate
from service import offers
from service.caseload import profiles
from service.core.audit import CLI
from service.core.db import get_engine
from service.core.domain_errors import Conflict
from service.core.errors import domain_status
from service.offers import providers
from service.offers.store import save
from tests.api.offer_helpers import created_id
from tests.factories import profile_payload


@pytest.fixture(autouse=True)
def _app_context(app: Any) -> Any:
    with app.app_context():  # the services read the occupation index and settings from it
        yield


def _sessions(app: Any) -> tuple[Session, Session]:
    engine = get_engine(app)
    return Session(engine, expire_on_commit=False), Session(engine, expire_on_commit=False)


def _committed(session: Session, change: Any) -> Any:
    """Run a domain change and commit it, as the request or command around it would."""
    result = change()
    session.commit()
    return result


def _race(first: Any, second: Any) -> tuple[Any, Conflict]:
    """Run ``first`` to its commit, then ``second``; returns the winner's result and the 409."""
    won = first()
    with pytest.raises(Conflict) as lost:
        second()
    return won, lost.value


def _assert_lost(error: Conflict, *, message: str) -> None:
    assert domain_status(error) == 409
    assert error.code == "version_conflict"
    assert error.message == message
    assert error.extra == {"current_version": 2}


def _assert_winner_kept(session: Session, model: type[Any], row_id: int, **expected: Any) -> None:
    """The loser's session is usable again and reads the winner's row, now at version 2."""
    row = session.get(model, row_id)
    expected["version"] = 2
    assert {name: getattr(row, name) for name in expected} == expected


def test_provider_two_sessions_one_wins(app, factory):
    provider_id = factory.provider(city="Krefeld").id
    a, b = _sessions(app)
    with a, b:
        for s in (a, b):
            assert s.get(Provider, provider_id).version == 1
        won, lost = _race(
            lambda: _committed(
                a,
                lambda: providers.update_provider(
                    a, provider_id, ProviderUpdate(version=1, city="Tönisvorst"), by=CLI
                ),
            ),
            lambda: _committed(
                b,
                lambda: providers.update_provider(
                    b, provider_id, ProviderUpdate(version=1, city="Meerbusch"), by=CLI
                ),
            ),
        )
        assert won.version == 2
        _assert_lost(lost, message="Der Träger wurde inzwischen geändert. Bitte neu laden.")
        _assert_winner_kept(b, Provider, provider_id, city="Tönisvorst")


def test_profile_two_sessions_one_wins(app, factory):
    owner = factory.actor(Role.COUNSELLOR).user
    a, b = _sessions(app)
    with a, b:
        profile = profiles.create_profile(
            a, ProfileCreate(**profile_payload()), owner=owner, pseudonym_key="k"
        )
        a.commit()
        profile_id = profile.id
        assert b.get(Profile, profile_id).version == 1
        _won, lost = _race(
            lambda: _committed(
                a,
                lambda: profiles.update_profile(
                    a, profile_id, ProfileUpdate(version=1, hours_available=20), owner=owner
                ),
            ),
            lambda: _committed(
                b,
                lambda: profiles.update_profile(
                    b, profile_id, ProfileUpdate(version=1, hours_available=35), owner=owner
                ),
            ),
        )
        _assert_lost(lost, message="Das Profil wurde inzwischen geändert. Bitte neu laden.")
        _assert_winner_kept(b, Profile, profile_id, hours_available=20)


def test_offer_two_sessions_one_wins(app, client, factory):
    partner = factory.actor(Role.PARTNER)
    offer_id = created_id(client, partner)
    a, b = _sessions(app)
    with a, b:
        assert b.get(Offer, offer_id).version == 1
        user_a, user_b = a.merge(partner.user), b.merge(partner.user)
        won, lost = _race(
            lambda: offers.update_offer(
                a, offer_id, OfferUpdate(version=1, seats_free=3), user=user_a, today=date.today()
            ),
            lambda: offers.update_offer(
                b, offer_id, OfferUpdate(version=1, seats_free=4), user=user_b, today=date.today()
            ),
        )
        assert won.version == 2
        _assert_lost(lost, message="Das Angebot wurde inzwischen geändert. Bitte neu laden.")
        _assert_winner_kept(b, Offer, offer_id, seats_free=3)


def test_a_lost_race_in_a_savepoint_leaves_the_transaction_usable(app, client, factory):
    """The imports write one savepoint per row: a stale row fails alone."""
    partner = factory.actor(Role.PARTNER)
    offer_id = created_id(client, partner)
    other_id = created_id(client, partner)
    a, b = _sessions(app)
    with a, b:
        offer = b.get(Offer, offer_id)
        other = b.get(Offer, other_id)
        save(a, a.get(Offer, offer_id), {"seats_free": 2})
        a.commit()
        save(b, other, {"seats_free": 1})  # written before the savepoint, kept after it
        with pytest.raises(Conflict) as lost, b.begin_nested():
            save(b, offer, {"seats_free": 3})
        assert lost.value.extra == {"current_version": 2}
        b.commit()
    with Session(get_engine(app)) as check:
        assert check.get(Offer, offer_id).seats_free == 2
        assert check.get(Offer, other_id).seats_free == 1


def test_two_threads_saving_at_once_one_wins(app, factory):
    provider_id = factory.provider().id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save_as(city: str) -> None:
        with Session(get_engine(app), expire_on_commit=False) as s:
            s.get(Provider, provider_id)
            barrier.wait(timeout=10)
            try:
                providers.update_provider(
                    s, provider_id, ProviderUpdate(version=1, city=city), by=CLI
                )
                s.commit()
            except Conflict as exc:
                outcomes.append(f"409:{exc.extra['current_version']}")
            else:
                outcomes.append("ok")

    threads = [threading.Thread(target=save_as, args=(c,)) for c in ("Kempen", "Willich")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["409:2", "ok"]
    with Session(get_engine(app)) as check:
        assert check.get(Provider, provider_id).version == 2


def test_a_recommendation_notes_activity_without_a_new_profile_version(app, client, counsellor):
    """A form opened before a recommendation was made can still be saved."""
    headers = counsellor.headers
    profile_id = client.post("/api/v1/profiles", json=profile_payload(), headers=headers).json["id"]
    with Session(get_engine(app)) as s:
        before = s.get(Profile, profile_id).last_activity_at
    response = client.post(f"/api/v1/profiles/{profile_id}/recommendations", headers=headers)
    assert response.status_code == 201, response.json
    with Session(get_engine(app)) as s:
        row = s.get(Profile, profile_id)
        assert row.last_activity_at > before
        assert row.version == 1
    patched = client.patch(
        f"/api/v1/profiles/{profile_id}",
        json={"version": 1, "hours_available": 25},
        headers=headers,
    )
    assert patched.status_code == 200, patched.json
    assert patched.json["version"] == 2
