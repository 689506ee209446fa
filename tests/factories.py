"""Test factories: one place that creates every entity a test needs.

Rows the API cannot create (users with tokens, providers, approved offers, model versions) are
written directly; profiles, recommendations, decisions and outcomes go through the API, as a
counsellor would create them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlmodel import Session

from models import enums
from models.enums import District, OfferStatus, ProviderKind, Role
from models.offer import EXAMPLE_OFFER, Offer
from models.provider import Provider
from models.registry import RankerVersion
from models.user import User
from service.accounts import issue_token
from service.core.db import get_engine
from service.ranking import registry
from training.data.schema import OfferRecord, ProfileRecord

#: An approved offer that the example profile (German B1, target 82101) is eligible for.
PFLEGE_OFFER: dict[str, Any] = {
    "title": "Teilqualifizierung Pflegehelfer/in",
    "measure_type": "TEILQUALIFIZIERUNG",
    "target_occupations": ["82101"],
    "funding": ["bildungsgutschein"],
    "format": "in_person",
    "hours_per_week": 20,
    "part_time_possible": True,
    "childcare": True,
    "min_german_level": "A2",
    "duration_weeks": 20,
    "seats_total": 10,
    "seats_free": 5,
    "district": "Mitte",
    "status": OfferStatus.APPROVED,
}


def profile_payload(**overrides: Any) -> dict[str, Any]:
    from models.profile import EXAMPLE_PROFILE

    return {**EXAMPLE_PROFILE, "client_number": f"KR-{uuid.uuid4().hex[:8]}"} | overrides


def offer_payload(**overrides: Any) -> dict[str, Any]:
    return {**EXAMPLE_OFFER, "external_ref": f"R-{uuid.uuid4().hex[:8]}"} | overrides


@dataclass
class Actor:
    user: User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Factory:
    """Creates users with tokens, providers, offers, profiles, recommendations and the rest."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def _session(self) -> Session:
        return Session(get_engine(self.app), expire_on_commit=False)

    def provider(self, **overrides: Any) -> Provider:
        values: dict[str, Any] = {
            "name": f"Träger {self._next()}",
            "kind": ProviderKind.WELFARE,
            "district": District.MITTE,
            "azav_certified": True,
        } | overrides
        with self._session() as s:
            provider = Provider(**values)
            s.add(provider)
            s.commit()
            return provider

    def actor(self, role: Role | str, *, provider: Provider | None = None) -> Actor:
        role = Role(role)
        if role == Role.PARTNER and provider is None:
            provider = self.provider()
        with self._session() as s:
            user = User(
                username=f"{role.value}-{self._next()}",
                role=role,
                provider_id=provider.id if provider else None,
            )
            s.add(user)
            s.flush()
            token, _ = issue_token(s, user, ttl_days=1, label="test")
            s.commit()
            return Actor(user=user, token=token)

    def offer(self, provider: Provider | None = None, **overrides: Any) -> Offer:
        """An approved offer (``PFLEGE_OFFER`` starting in three weeks) stored directly."""
        provider = provider or self.provider()
        values = (
            PFLEGE_OFFER
            | {
                "external_ref": f"F-{self._next()}",
                "start_dates": [date.today() + timedelta(days=21)],
                "provider_id": provider.id,
            }
            | overrides
        )
        with self._session() as s:
            offer = Offer(**values)
            s.add(offer)
            s.commit()
            return offer

    def profile(self, actor: Actor, **overrides: Any) -> dict[str, Any]:
        """A profile created over the API by ``actor``; its JSON."""
        response = self.app.test_client().post(
            "/api/v1/profiles", json=profile_payload(**overrides), headers=actor.headers
        )
        assert response.status_code == 201, response.get_json()
        body: dict[str, Any] = response.get_json()
        return body

    def recommendation(self, actor: Actor, profile_id: int, query: str = "") -> dict[str, Any]:
        """A recommendation requested over the API by ``actor``; its JSON."""
        response = self.app.test_client().post(
            f"/api/v1/profiles/{profile_id}/recommendations{query}", headers=actor.headers
        )
        assert response.status_code == 201, response.get_json()
        body: dict[str, Any] = response.get_json()
        return body

    def model_version(
        self,
        name: str,
        *,
        champion: bool = False,
        **values: Any,
    ) -> RankerVersion:
        """A registered ranker version (``values`` override the register call's arguments)."""
        arguments: dict[str, Any] = {
            "artifact": f"artifact-{name}".encode(),
            "library_versions": {},
            "metrics": {},
            "gates": {"passed": True},
        } | values
        with self._session() as s:
            row = registry.register_version(s, version=name, **arguments)
            if champion:
                registry.promote(s, name)
            s.commit()
            return row


def failed_gates(message: str) -> dict[str, Any]:
    """A gate report of a candidate that failed one gate, the women's group, with ``message``."""
    return {
        "passed": False,
        "reference": "rules",
        "results": [
            {
                "name": "group_women",
                "passed": False,
                "value": -6.0,
                "threshold": -2.0,
                "message": message,
            }
        ],
    }


def decide(client: Any, actor: Actor, request_id: str, **body: Any) -> Any:
    """A decision on a recommendation over the API; the response."""
    return client.post(
        f"/api/v1/recommendations/{request_id}/decision", json=body, headers=actor.headers
    )


def record_outcome(client: Any, actor: Actor, profile_id: int, **body: Any) -> Any:
    """An outcome for a profile over the API; the response."""
    return client.post(f"/api/v1/profiles/{profile_id}/outcomes", json=body, headers=actor.headers)


def offers_seen(client: Any, actor: Actor, **query: Any) -> list[dict[str, Any]]:
    """The offers ``actor`` sees in the list (up to 500)."""
    items: list[dict[str, Any]] = client.get(
        "/api/v1/offers", query_string={"limit": 500} | query, headers=actor.headers
    ).get_json()["items"]
    return items


# -- records for the pure rules (no database) ----------------------------------------------
def make_profile(**changes: object) -> ProfileRecord:
    base = ProfileRecord(
        age_band=enums.AgeBand.A30_34,
        gender=enums.Gender.FEMALE,
        district=District.MITTE,
        citizenship=enums.Citizenship.THIRD_COUNTRY,
        migration_background=False,
        german_level=enums.GermanLevel.B1,
        school_certificate=enums.SchoolCertificate.LOWER_SECONDARY,
        vocational_qualification=enums.VocationalQualification.NONE,
        foreign_qualification=False,
        recognition_status=enums.RecognitionStatus.NOT_APPLICABLE,
        unemployment_months=14,
        benefit_regime=enums.BenefitRegime.SGB_II,
        care_duties=False,
        single_parent=False,
        hours_available=40,
        driving_licence=False,
        max_commute_minutes=45,
        health_restriction=False,
        target_occupations=["51312"],
    )
    return base.replace(**changes)


def make_offer(**changes: object) -> OfferRecord:
    base = OfferRecord(
        offer_id=1,
        title="Umschulung Fachkraft für Lagerlogistik (IHK)",
        measure_type=enums.MeasureType.UMSCHULUNG,
        district=District.MITTE,
        format=enums.OfferFormat.IN_PERSON,
        hours_per_week=38,
        part_time_possible=False,
        childcare=False,
        min_german_level=enums.GermanLevel.B1,
        duration_weeks=70,
        funding=(enums.Funding.BILDUNGSGUTSCHEIN,),
        target_occupations=("51312",),
        start_dates=(date(2025, 4, 1),),
        seats_free=5,
        azav_certified=True,
        provider_id=1,
    )
    return replace(base, **changes)  # type: ignore[arg-type]
