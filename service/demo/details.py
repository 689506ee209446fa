"""Demo details a jobseeker acts on: addresses, contact channels, dates, costs and funding.

Everything is invented but shaped like Krefeld: real street names in the right Stadtbezirk with
its postcode, the 02151 area code, e-mail and web addresses on the reserved ``.example`` domain,
start dates spread over the twelve months after the seeding day. The synthetic world's offers
keep their ranking-relevant attributes; only what a person reads on a card is added here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np

from models.enums import District, Funding, MeasureType, ProviderKind

M = MeasureType


@dataclass(frozen=True, slots=True)
class Area:
    postcodes: tuple[str, ...]
    streets: tuple[str, ...]
    latitude: float
    longitude: float


#: Streets and postcodes per Stadtbezirk (real names; house numbers invented).
AREAS: dict[District, Area] = {
    District.MITTE: Area(
        ("47798", "47799"),
        ("Ostwall", "Rheinstraße", "Dionysiusstraße", "Neusser Straße", "Friedrichstraße"),
        51.3331,
        6.5623,
    ),
    District.SUED: Area(
        ("47805",),
        ("Kölner Straße", "Lewerentzstraße", "Hubertusstraße", "Saumstraße"),
        51.3197,
        6.5712,
    ),
    District.WEST: Area(
        ("47804",),
        ("Gladbacher Straße", "Forstwaldstraße", "Benrader Straße"),
        51.3262,
        6.5201,
    ),
    District.NORD: Area(
        ("47803",),
        ("Inrather Straße", "Kempener Allee", "Kliedbruchstraße"),
        51.3475,
        6.5480,
    ),
    District.OST: Area(
        ("47800", "47802"),
        ("Uerdinger Straße", "Moerser Straße", "Bockumer Platz"),
        51.3460,
        6.5921,
    ),
    District.OPPUM_LINN: Area(
        ("47809",),
        ("Hauptstraße", "Rheinbabenstraße", "Albert-Steeger-Straße"),
        51.3236,
        6.6184,
    ),
    District.UERDINGEN: Area(
        ("47829",),
        ("Niederstraße", "Bruchstraße", "Oberstraße", "Am Marktplatz"),
        51.3552,
        6.6404,
    ),
    District.HUELS: Area(
        ("47839",),
        ("Klever Straße", "Krefelder Straße", "Tönisberger Straße"),
        51.3722,
        6.5108,
    ),
    District.FISCHELN: Area(
        ("47807",),
        ("Marienstraße", "Anrather Straße", "Hafelsstraße"),
        51.3047,
        6.5834,
    ),
}

CONTACT_ROLES: dict[ProviderKind, str] = {
    ProviderKind.EDUCATION_PROVIDER: "Kursberatung",
    ProviderKind.WELFARE: "Beratungsstelle Arbeit und Qualifizierung",
    ProviderKind.CHURCH: "Gemeindebüro",
    ProviderKind.SPORTS_CLUB: "Geschäftsstelle",
    ProviderKind.MIGRANT_ORGANISATION: "Bildungsberatung",
    ProviderKind.AGENCY: "Servicebüro",
}

#: Typical price ranges (EUR) of voucher-funded measures.
COST_RANGES: dict[MeasureType, tuple[int, int]] = {
    M.UMSCHULUNG: (14_000, 26_000),
    M.TEILQUALIFIZIERUNG: (2_800, 6_500),
    M.ANPASSUNGSQUALIFIZIERUNG: (1_500, 5_500),
    M.AKTIVIERUNG_COACHING: (1_200, 3_600),
    M.WIEDEREINSTIEG: (900, 2_400),
}
CERTIFICATES: dict[MeasureType, str] = {
    M.UMSCHULUNG: "Berufsabschluss (Kammerprüfung)",
    M.TEILQUALIFIZIERUNG: "Zertifikat über eine Teilqualifikation (Kammer)",
    M.ANPASSUNGSQUALIFIZIERUNG: "Zertifikat des Trägers",
    M.BERUFSSPRACHKURS: "Deutsch-Test für den Beruf (DTB)",
    M.INTEGRATIONSKURS: "Deutsch-Test für Zuwanderer (DTZ), Test „Leben in Deutschland“",
    M.GRUNDBILDUNG: "Teilnahmebescheinigung",
    M.EINSTIEGSQUALIFIZIERUNG: "Zertifikat der Kammer",
    M.ANERKENNUNG: "Bescheid über die Gleichwertigkeit",
}
FREE_NOTES: dict[MeasureType, str] = {
    M.BERUFSSPRACHKURS: "kostenfrei mit Berechtigungsschein (BAMF)",
    M.INTEGRATIONSKURS: "kostenfrei oder ermäßigt mit Berechtigung (BAMF)",
    M.EINSTIEGSQUALIFIZIERUNG: "gefördert durch Agentur für Arbeit bzw. Jobcenter",
    M.BERUFSVORBEREITUNG: "gefördert durch die Agentur für Arbeit",
    M.ASSISTIERTE_AUSBILDUNG: "gefördert durch die Agentur für Arbeit",
    M.TEILHABE_AM_ARBEITSMARKT: "gefördert durch das Jobcenter (§ 16i SGB II)",
}
#: Measures that usually take people in at any time (continuous entry).
ROLLING_SHARE: dict[MeasureType, float] = {
    M.AKTIVIERUNG_COACHING: 0.55,
    M.GRUNDBILDUNG: 0.35,
    M.ANERKENNUNG: 0.7,
    M.WIEDEREINSTIEG: 0.3,
    M.TEILHABE_AM_ARBEITSMARKT: 0.5,
}
LATE_SHARE = 0.06  # offers announced now whose first run starts only after twelve months


def slug(name: str) -> str:
    text = name.casefold()
    for old, new in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(old, new)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in {"e", "v", "ggmbh"}]
    return "-".join(words[:4])


def street_address(district: District, rng: np.random.Generator) -> tuple[str, str]:
    area = AREAS[district]
    street = area.streets[int(rng.integers(0, len(area.streets)))]
    postcode = area.postcodes[int(rng.integers(0, len(area.postcodes)))]
    return f"{street} {int(rng.integers(1, 180))}", postcode


def provider_details(
    name: str, kind: ProviderKind, district: District, rng: np.random.Generator
) -> dict[str, Any]:
    street, postcode = street_address(district, rng)
    area = AREAS[district]
    domain = f"{slug(name)}.example"
    return {
        "street": street,
        "postcode": postcode,
        "city": "Krefeld",
        "latitude": round(area.latitude + float(rng.normal(0, 0.004)), 5),
        "longitude": round(area.longitude + float(rng.normal(0, 0.006)), 5),
        "phone": f"02151 {int(rng.integers(300_000, 999_999))}",
        "email": f"kontakt@{domain}",
        "website": f"https://www.{domain}",
        "contact_role": CONTACT_ROLES[kind],
    }


def schedule(
    measure: MeasureType, n_starts: int, duration_weeks: int, today: date, rng: np.random.Generator
) -> tuple[list[date], bool]:
    """Start dates within the next twelve months (a few later), or rolling entry."""
    if rng.random() < ROLLING_SHARE.get(measure, 0.05):
        return [], True
    if rng.random() < LATE_SHARE:
        first = today + timedelta(days=int(rng.integers(370, 450)))
    else:
        first = today + timedelta(days=int(rng.integers(7, 300)))
    gap = max(28, min(120, 7 * duration_weeks))
    starts = [first + timedelta(days=i * gap) for i in range(n_starts)]
    horizon = max(first, today + timedelta(days=365))
    return [d for d in starts if d <= horizon] or [first], False


def funding_details(
    measure: MeasureType,
    funding: list[str],
    *,
    azav_certified: bool,
    number: int,
    year: int,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Cost, funding note and AZAV measure number consistent with the funding kinds."""
    kinds = {Funding(f) for f in funding}
    voucher = kinds & {Funding.BILDUNGSGUTSCHEIN, Funding.AVGS}
    values: dict[str, Any] = {"cost_eur": None, "funding_note": "", "azav_measure_number": ""}
    if voucher:
        low, high = COST_RANGES.get(measure, (1_000, 4_000))
        values["cost_eur"] = float(round(int(rng.integers(low, high + 1)), -1))
        if azav_certified:
            values["azav_measure_number"] = f"962/{number:04d}/{year}"
        names = []
        if Funding.BILDUNGSGUTSCHEIN in voucher:
            names.append("Bildungsgutschein")
        if Funding.AVGS in voucher:
            names.append("Aktivierungs- und Vermittlungsgutschein (AVGS)")
        suffix = " – AZAV-zugelassen" if azav_certified else ""
        values["funding_note"] = " oder ".join(names) + suffix
    elif Funding.FREE in kinds or not kinds:
        values["cost_eur"] = 0.0
        values["funding_note"] = FREE_NOTES.get(measure, "für Teilnehmende kostenfrei")
    else:
        values["funding_note"] = "Förderung nach Absprache mit dem Jobcenter"
    return values


def offer_details(
    *,
    ref: str,
    measure: MeasureType,
    district: District,
    provider_district: District,
    website: str,
    starts: list[date],
    today: date,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Venue (when the course is not at the provider's address), certificate, registration."""
    values: dict[str, Any] = {"certificate": CERTIFICATES.get(measure, "Zertifikat des Trägers")}
    if district != provider_district:
        street, postcode = street_address(district, rng)
        values |= {"venue_street": street, "venue_postcode": postcode, "venue_city": "Krefeld"}
    values["registration_url"] = f"{website}/anmeldung/{ref.lower()}"
    if starts:
        deadline = starts[0] - timedelta(days=int(rng.integers(7, 22)))
        values["registration_deadline"] = deadline if deadline > today else None
    return values
