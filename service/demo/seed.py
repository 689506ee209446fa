"""Demo data: a believable Krefeld-like sample from the synthetic generator.

Providers with addresses and contact channels, offers (start dates spread over the coming
twelve months, some with rolling entry, costs and funding), profiles spread over two
counsellors, and demo accounts for every role. Nothing here is real: names are invented.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session, col, func, select

from models.enums import MEASURE_FAMILY, District, MeasureType, OfferStatus, ProviderKind, Role
from models.offer import Offer
from models.profile import Profile
from models.provider import Provider
from models.user import User
from service.core.clock import local_today
from service.core.security import pseudonym
from service.demo import details as demo_details
from service.demo.seed_history import Caseload, seed_history
from training.synthetic import SyntheticWorld, generate_world

DEMO_ACCOUNTS: tuple[tuple[str, Role], ...] = (
    ("admin", Role.ADMIN),
    ("koordination", Role.COORDINATOR),
    ("beratung", Role.COUNSELLOR),
    ("beratung2", Role.COUNSELLOR),
    ("traeger", Role.PARTNER),
)

PROVIDER_NAMES: dict[ProviderKind, tuple[str, ...]] = {
    ProviderKind.WELFARE: (
        "Wohlfahrtsverband Niederrhein – Bildungswerk",
        "Sozialwerk Krefeld-Süd",
        "Arbeiterhilfe Krefeld e. V.",
        "Familienhilfe am Ostwall",
        "Quartierswerk Mitte",
        "Nachbarschaftshilfe Fischeln",
        "Sozialdienst Uerdingen",
        "Frauenhilfe Krefeld",
    ),
    ProviderKind.CHURCH: (
        "Kirchengemeinde St. Dionysius – Arbeitslosenzentrum",
        "Evangelisches Bildungsforum",
        "Pfarrei Hüls – Treffpunkt Arbeit",
        "Gemeindezentrum Oppum-Linn",
        "Ökumenische Initiative Neue Arbeit",
    ),
    ProviderKind.SPORTS_CLUB: (
        "Sportverein Blau-Weiß Oppum",
        "Turnverein Krefeld-Nord 1880",
        "Boxclub Innenstadt – Fit in den Job",
        "Ruderverein Uerdingen – Teamcoaching",
    ),
    ProviderKind.MIGRANT_ORGANISATION: (
        "Begegnungszentrum Vielfalt e. V.",
        "Deutsch-Türkischer Elternverein",
        "Afrikanisches Kulturforum Niederrhein",
        "Integrationsnetz Krefeld-West",
        "Syrisch-Deutscher Freundeskreis",
        "Polnische Katholische Mission – Bildung",
        "Griechische Gemeinde Krefeld",
    ),
    ProviderKind.EDUCATION_PROVIDER: (
        "Bildungszentrum Niederrhein gGmbH",
        "Technikakademie Krefeld",
        "Pflegeschule am Stadtpark",
        "Logistik-Campus Uerdingen",
        "Sprachschule Rheinbogen",
        "Berufskolleg-Förderverein Vera",
        "Kaufmännisches Weiterbildungsinstitut",
        "Handwerksbildungszentrum Krefeld",
        "IT-Werkstatt Südbahnhof",
        "Gastro-Akademie Niederrhein",
        "Grundbildungszentrum Krefeld",
    ),
    ProviderKind.AGENCY: (
        "Kommunale Beschäftigungsagentur Krefeld",
        "Jugendberufsagentur Krefeld",
        "Impuls-Agentur für Arbeit und Qualifizierung",
        "Werkstatt Zukunft – kommunal",
        "Servicestelle Wiedereinstieg",
    ),
}

DESCRIPTIONS: dict[str, str] = {
    "vocational": "Praxisnahe Qualifizierung mit Betriebspraktikum und Prüfungsvorbereitung.",
    "language": "Sprachförderung in kleinen Gruppen mit berufsbezogenem Wortschatz.",
    "youth_transition": "Begleiteter Übergang in Ausbildung mit festen Ansprechpersonen.",
    "activation": "Individuelles Coaching, Bewerbungstraining und Stabilisierung.",
}


@dataclass
class SeedReport:
    providers: int = 0
    offers: int = 0
    profiles: int = 0
    history: int = 0
    skipped: bool = False
    world: SyntheticWorld | None = field(default=None, repr=False)


def already_seeded(session: Session) -> bool:
    return bool(session.exec(select(func.count()).select_from(Offer)).one())


def seed_demo(
    session: Session,
    *,
    n_profiles: int,
    n_offers: int,
    n_history: int,
    seed: int,
    pseudonym_key: str,
    today: date | None = None,
    progress: Callable[[str], None] = lambda _step: None,
    with_history: bool = True,
) -> SeedReport:
    """Fill an empty database with demo data; returns what was created."""
    if already_seeded(session):
        return SeedReport(skipped=True)
    today = today or local_today()
    progress("Synthetische Daten erzeugen")
    world = generate_world(n_people=n_profiles, n_offers=n_offers, n_episodes=n_history, seed=seed)
    progress("Träger anlegen")
    providers = _providers(session, world.offers, seed)
    progress("Angebote anlegen")
    offers = _offers(session, world.offers, providers, today=today, seed=seed)
    progress("Profile anlegen")
    counsellors = _counsellor_ids(session)
    profiles = _profiles(session, world.profiles, counsellors, pseudonym_key)
    history = 0
    if with_history:
        progress("Frühere Empfehlungen, Entscheidungen und Ergebnisse anlegen")
        caseload = Caseload(
            profile_ids={person: p.id for person, p in profiles.items() if p.id is not None},
            owner_ids={person: p.owner_id for person, p in profiles.items()},
            offer_ids={synthetic: o.id for synthetic, o in offers.items() if o.id is not None},
        )
        history = seed_history(session, world, caseload, today=today, seed=seed)
    session.commit()
    return SeedReport(
        providers=len(providers),
        offers=len(offers),
        profiles=len(profiles),
        history=history,
        world=world,
    )


def _providers(session: Session, offers: pd.DataFrame, seed: int) -> dict[int, Provider]:
    rng = np.random.default_rng(seed + 1)
    names = [(kind, name) for kind, group in PROVIDER_NAMES.items() for name in group]
    districts = list(District)
    azav = offers.groupby("provider_id")["azav_certified"].max().to_dict()
    result: dict[int, Provider] = {}
    for synthetic_id in sorted(offers["provider_id"].unique()):
        kind, name = names[(int(synthetic_id) - 1) % len(names)]
        district = districts[int(rng.integers(0, len(districts)))]
        provider = Provider(
            name=name,
            kind=kind,
            district=district,
            azav_certified=bool(azav.get(synthetic_id, False)),
            **demo_details.provider_details(name, kind, district, rng),
        )
        session.add(provider)
        result[int(synthetic_id)] = provider
    session.flush()
    return result


def world_offer_fields(row: Any) -> dict[str, Any]:
    """The columns of a synthetic-world offer row that an :class:`Offer` takes over as they are."""
    return {
        "title": row.title,
        "measure_type": row.measure_type,
        "target_occupations": list(row.target_occupations),
        "funding": list(row.funding),
        "format": row.format,
        "hours_per_week": int(row.hours_per_week),
        "part_time_possible": bool(row.part_time_possible),
        "childcare": bool(row.childcare),
        "min_german_level": row.min_german_level,
        "duration_weeks": int(row.duration_weeks),
        "district": row.district,
    }


def _offers(
    session: Session,
    frame: pd.DataFrame,
    providers: dict[int, Provider],
    *,
    today: date,
    seed: int,
) -> dict[int, Offer]:
    rng = np.random.default_rng(seed + 2)
    details_rng = np.random.default_rng(seed + 3)  # own stream: statuses and seats stay put
    statuses = rng.choice(
        [
            OfferStatus.APPROVED,
            OfferStatus.SUBMITTED,
            OfferStatus.DRAFT,
            OfferStatus.CHANGES_REQUESTED,
        ],
        size=len(frame),
        p=[0.86, 0.08, 0.04, 0.02],
    )
    rows: list[dict[str, Any]] = frame.to_dict(orient="records")  # type: ignore[assignment]
    created: dict[int, Offer] = {}
    for values, status in zip(rows, statuses, strict=True):
        row = SimpleNamespace(**values)
        measure = MeasureType(row.measure_type)
        family = MEASURE_FAMILY[measure].value
        seats_free = int(row.seats_free)
        provider = providers[int(row.provider_id)]
        assert provider.id is not None, "providers are flushed before offers"
        ref = f"DEMO-{int(row.offer_id):04d}"
        starts, rolling = demo_details.schedule(
            measure, len(row.start_dates), int(row.duration_weeks), today, details_rng
        )
        last = starts[-1] if starts else today + timedelta(days=365)
        created[int(row.offer_id)] = offer = Offer(
            **world_offer_fields(row),
            external_ref=ref,
            provider_id=provider.id,
            description=DESCRIPTIONS[family],
            start_dates=starts,
            rolling_entry=rolling,
            end_date=last + timedelta(weeks=int(row.duration_weeks)),
            seats_total=seats_free + int(rng.integers(0, 12)),
            seats_free=seats_free,
            target_groups=list(row.target_groups),
            status=status,
            **demo_details.funding_details(
                measure,
                list(row.funding),
                azav_certified=provider.azav_certified,
                number=int(row.offer_id),
                year=today.year,
                rng=details_rng,
            ),
            **demo_details.offer_details(
                ref=ref,
                measure=measure,
                district=District(row.district),
                provider_district=District(provider.district),
                website=provider.website,
                starts=starts,
                today=today,
                rng=details_rng,
            ),
        )
        session.add(offer)
    session.flush()
    return created


def _counsellor_ids(session: Session) -> list[int]:
    users = session.exec(select(User).where(User.role == Role.COUNSELLOR).order_by(col(User.id)))
    ids = [u.id for u in users if u.id is not None]
    if not ids:
        raise RuntimeError("Keine Beratungskonten vorhanden.")
    return ids


def _profiles(
    session: Session, frame: pd.DataFrame, counsellors: list[int], key: str
) -> dict[int, Profile]:
    columns = [c for c in frame.columns if c != "person_id"]
    created: dict[int, Profile] = {}
    for i, row in enumerate(frame.to_dict(orient="records")):
        values: dict[str, Any] = {c: row[c] for c in columns}
        last = values.get("last_occupation")
        values["last_occupation"] = last if isinstance(last, str) else None
        values["target_occupations"] = list(values["target_occupations"])
        profile = Profile(
            **values,
            pseudonym=pseudonym(f"KR-{int(row['person_id']):06d}", key=key),
            owner_id=counsellors[0] if i % 5 else counsellors[-1],
        )
        session.add(profile)
        created[int(row["person_id"])] = profile
    session.flush()
    return created
