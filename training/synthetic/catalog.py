"""The synthetic offer catalogue of a Krefeld-like city: measure specs and ``generate_offers``.

Offers aim at the occupation fields of ``training.synthetic.fields``; their hidden quality is
part of the synthetic ground truth (see docs/synthetic-ground-truth.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from models.enums import District, Funding, GermanLevel, MeasureType, OfferFormat
from training.synthetic.fields import FIELD_DEMAND, FIELDS

M = MeasureType


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    share: float
    weeks: tuple[int, int]
    hours: tuple[int, ...]
    part_time: float
    min_german: tuple[GermanLevel, ...]
    funding: tuple[Funding, ...]
    childcare: float
    online: float
    occupational: bool
    titles: tuple[str, ...]
    target_groups: tuple[str, ...] = ()


G = GermanLevel
F = Funding
SPECS: dict[MeasureType, MeasureSpec] = {
    M.UMSCHULUNG: MeasureSpec(
        0.12,
        (70, 104),
        (35, 38, 40),
        0.25,
        (G.B1, G.B1, G.B2),
        (F.BILDUNGSGUTSCHEIN,),
        0.05,
        0.03,
        True,
        ("Umschulung {occ} (IHK)", "Umschulung {occ} – verkürzt"),
    ),
    M.TEILQUALIFIZIERUNG: MeasureSpec(
        0.10,
        (12, 26),
        (30, 35, 40),
        0.3,
        (G.A2, G.B1),
        (F.BILDUNGSGUTSCHEIN,),
        0.08,
        0.05,
        True,
        ("Teilqualifizierung {short} – Modul {n}",),
    ),
    M.ANPASSUNGSQUALIFIZIERUNG: MeasureSpec(
        0.14,
        (2, 26),
        (20, 30, 40),
        0.4,
        (G.A2, G.B1),
        (F.BILDUNGSGUTSCHEIN,),
        0.08,
        0.2,
        True,
        ("{upskill}",),
    ),
    M.AKTIVIERUNG_COACHING: MeasureSpec(
        0.14,
        (4, 12),
        (8, 12, 20),
        0.6,
        (G.A1, G.A2),
        (F.AVGS,),
        0.1,
        0.25,
        False,
        (
            "Bewerbungscoaching und Jobvermittlung",
            "Aktivierungscenter – Stabilisierung und Perspektive",
            "Individuelles Jobcoaching 50plus",
            "Digitale Bewerbung kompakt",
        ),
    ),
    M.BERUFSSPRACHKURS: MeasureSpec(
        0.08,
        (12, 26),
        (20, 25),
        0.3,
        (G.B1,),
        (F.OTHER,),
        0.1,
        0.2,
        True,
        ("Berufssprachkurs B1→B2 {short}", "Berufssprachkurs A2→B1 {short}"),
        ("migrants",),
    ),
    M.INTEGRATIONSKURS: MeasureSpec(
        0.05,
        (26, 39),
        (20, 25),
        0.3,
        (G.A0,),
        (F.OTHER,),
        0.2,
        0.05,
        False,
        (
            "Integrationskurs allgemein (bis B1)",
            "Integrationskurs mit Alphabetisierung",
            "Integrationskurs für Eltern mit Kinderbetreuung",
        ),
        ("migrants",),
    ),
    M.GRUNDBILDUNG: MeasureSpec(
        0.04,
        (12, 26),
        (10, 15, 20),
        0.6,
        (G.A1, G.A2),
        (F.FREE,),
        0.2,
        0.05,
        False,
        ("Grundbildung Lesen, Schreiben, Rechnen", "Digitale Grundbildung"),
    ),
    M.EINSTIEGSQUALIFIZIERUNG: MeasureSpec(
        0.06,
        (26, 52),
        (35, 39),
        0.1,
        (G.A2, G.B1),
        (F.OTHER,),
        0.05,
        0.0,
        True,
        ("Einstiegsqualifizierung {short}",),
        ("youth",),
    ),
    M.BERUFSVORBEREITUNG: MeasureSpec(
        0.04,
        (40, 52),
        (35,),
        0.1,
        (G.A2,),
        (F.OTHER,),
        0.05,
        0.0,
        False,
        ("Berufsvorbereitende Bildungsmaßnahme (BvB)", "BvB Reha – Berufsorientierung"),
        ("youth",),
    ),
    M.ASSISTIERTE_AUSBILDUNG: MeasureSpec(
        0.04,
        (26, 52),
        (5, 8, 10),
        0.8,
        (G.A2,),
        (F.OTHER,),
        0.05,
        0.2,
        True,
        ("Assistierte Ausbildung flex – {short}",),
        ("youth",),
    ),
    M.TEILZEITAUSBILDUNG: MeasureSpec(
        0.05,
        (156, 234),
        (25, 30),
        1.0,
        (G.B1,),
        (F.BILDUNGSGUTSCHEIN, F.OTHER),
        0.5,
        0.0,
        True,
        ("Teilzeitausbildung {occ} (§7a BBiG)",),
        ("women",),
    ),
    M.ANERKENNUNG: MeasureSpec(
        0.05,
        (12, 40),
        (20, 30, 35),
        0.3,
        (G.B1,),
        (F.BILDUNGSGUTSCHEIN, F.OTHER),
        0.1,
        0.1,
        True,
        ("Anerkennungsqualifizierung {occ}",),
        ("migrants",),
    ),
    M.WIEDEREINSTIEG: MeasureSpec(
        0.05,
        (8, 20),
        (15, 20, 25),
        1.0,
        (G.A2, G.B1),
        (F.AVGS, F.FREE),
        0.4,
        0.15,
        False,
        (
            "Wiedereinstieg in den Beruf nach der Familienphase",
            "Perspektive Wiedereinstieg – Teilzeitcoaching",
        ),
        ("women",),
    ),
    M.TEILHABE_AM_ARBEITSMARKT: MeasureSpec(
        0.04,
        (104, 260),
        (30, 35),
        0.5,
        (G.A1,),
        (F.OTHER,),
        0.05,
        0.0,
        False,
        (
            "Teilhabe am Arbeitsmarkt §16i – Stadtteilservice",
            "Geförderte Beschäftigung §16e mit Coaching",
        ),
        ("long_term_unemployed",),
    ),
}

MEASURE_ORDER: tuple[MeasureType, ...] = tuple(MeasureType)
N_PROVIDERS = 40
CATALOGUE_START = date(2025, 1, 6)


def _choice_rows(rng: np.random.Generator, n: int, share: np.ndarray) -> np.ndarray:
    return rng.choice(len(share), size=n, p=share / share.sum())


def _min_german(spec: MeasureSpec, title: str, u: float) -> GermanLevel:
    if "A2→B1" in title:
        return GermanLevel.A2
    return spec.min_german[int(u * len(spec.min_german))]


def generate_offers(rng: np.random.Generator, n_offers: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Offers as an OfferRecord-shaped DataFrame, plus the hidden quality (pp) per offer."""
    shares = np.array([SPECS[m].share for m in MEASURE_ORDER])
    types = _choice_rows(rng, n_offers, shares)
    types[: min(n_offers, len(MEASURE_ORDER))] = np.arange(min(n_offers, len(MEASURE_ORDER)))
    district_weights = np.array([0.2, 0.16, 0.1, 0.1, 0.11, 0.09, 0.09, 0.07, 0.08])
    districts = _choice_rows(rng, n_offers, district_weights)
    districts[: min(n_offers, 9)] = np.arange(min(n_offers, 9))
    fields = _choice_rows(rng, n_offers, FIELD_DEMAND**2)
    providers = rng.integers(1, N_PROVIDERS + 1, size=n_offers)
    provider_azav = np.random.default_rng(rng.integers(2**31)).random(N_PROVIDERS + 1) < 0.88
    provider_quality = rng.normal(0.0, 1.0, size=N_PROVIDERS + 1)
    quality = provider_quality[providers] + rng.normal(0.0, 0.7, size=n_offers)
    u = rng.random((n_offers, 8))
    rows = []
    for i in range(n_offers):
        mtype = MEASURE_ORDER[types[i]]
        spec = SPECS[mtype]
        field = FIELDS[fields[i]]
        template = spec.titles[int(u[i, 0] * len(spec.titles))]
        title = template.format(
            occ=field.occupation,
            short=field.short,
            n=1 + int(u[i, 1] * 4),
            upskill=field.upskilling,
        )
        targets: tuple[str, ...] = ()
        if spec.occupational:
            use_helper = (
                mtype in (M.TEILQUALIFIZIERUNG, M.EINSTIEGSQUALIFIZIERUNG) and u[i, 2] < 0.4
            )
            targets = (field.helper if use_helper else field.skilled,)
        n_starts = 1 + int(u[i, 3] * 4)
        past = u[i, 4] < 0.05
        first = CATALOGUE_START - timedelta(days=400) if past else CATALOGUE_START
        starts = tuple(
            sorted(
                first + timedelta(days=int(d))
                for d in rng.integers(0, 330 if past else 540, size=n_starts)
            )
        )
        lo, hi = spec.weeks
        fmt = (
            OfferFormat.ONLINE
            if u[i, 5] < spec.online
            else (OfferFormat.BLENDED if u[i, 5] < spec.online + 0.12 else OfferFormat.IN_PERSON)
        )
        rows.append(
            {
                "offer_id": i + 1,
                "title": title,
                "measure_type": mtype.value,
                "district": District(list(District)[districts[i]]).value,
                "format": fmt.value,
                "hours_per_week": int(spec.hours[int(u[i, 6] * len(spec.hours))]),
                "part_time_possible": bool(u[i, 7] < spec.part_time),
                "childcare": bool(rng.random() < spec.childcare),
                "min_german_level": _min_german(spec, title, rng.random()).value,
                "duration_weeks": int(rng.integers(lo, hi + 1)),
                "funding": tuple(f.value for f in spec.funding),
                "target_occupations": targets,
                "start_dates": starts,
                "seats_free": 0 if rng.random() < 0.06 else int(rng.integers(1, 16)),
                "azav_certified": bool(provider_azav[providers[i]]),
                "provider_id": int(providers[i]),
                "target_groups": spec.target_groups,
                "rolling_entry": False,
            }
        )
    return pd.DataFrame(rows), quality
