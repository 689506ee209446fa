"""Occupation fields of a Krefeld-like city: KldB codes, labour demand and physical strain.

The KldB codes are real 5-digit classes (checked against ``models/data/kldb2010``); the labour
demand index per field is part of the synthetic ground truth (see docs/synthetic-ground-truth.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class OccupationField:
    key: str
    occupation: str  # German title of the full qualification
    short: str  # German short title for modules and courses
    helper: str  # KldB code, skill level 1
    skilled: str  # KldB code, skill level 2
    demand: float  # labour demand index, 1.0 = average
    physical: bool
    female_share: float  # share of women among jobseekers aiming at this field
    upskilling: str  # typical Anpassungsqualifizierung


FIELDS: tuple[OccupationField, ...] = (
    OccupationField(
        "logistics",
        "Fachkraft für Lagerlogistik",
        "Fachlagerist/in",
        "51311",
        "51312",
        1.15,
        True,
        0.20,
        "Staplerschein und Lagerlogistik kompakt",
    ),
    OccupationField(
        "care",
        "Pflegefachfrau/Pflegefachmann",
        "Pflegehelfer/in",
        "82101",
        "82102",
        1.30,
        True,
        0.75,
        "Betreuungskraft nach §53b SGB XI",
    ),
    OccupationField(
        "retail",
        "Kaufmann/Kauffrau im Einzelhandel",
        "Verkäufer/in",
        "62101",
        "62102",
        0.95,
        False,
        0.65,
        "Kassensysteme und Warenwirtschaft",
    ),
    OccupationField(
        "office",
        "Kaufmann/Kauffrau für Büromanagement",
        "Bürokraft",
        "71401",
        "71402",
        0.90,
        False,
        0.70,
        "Digitale Büroanwendungen und DATEV",
    ),
    OccupationField(
        "metal",
        "Metallbauer/in",
        "Metallbearbeiter/in",
        "24411",
        "24412",
        1.05,
        True,
        0.08,
        "Schweißlehrgang MAG/WIG",
    ),
    OccupationField(
        "electrical",
        "Elektroniker/in für Energie- und Gebäudetechnik",
        "Elektrofachkraft",
        "26212",
        "26212",
        1.25,
        False,
        0.06,
        "Elektrofachkraft für festgelegte Tätigkeiten",
    ),
    OccupationField(
        "gastronomy",
        "Fachkraft im Gastgewerbe",
        "Servicekraft",
        "63301",
        "63302",
        1.00,
        True,
        0.50,
        "Hygieneschulung und Servicetraining",
    ),
    OccupationField(
        "cleaning",
        "Gebäudereiniger/in",
        "Reinigungskraft",
        "54101",
        "54101",
        1.00,
        True,
        0.55,
        "Desinfektion und Hygiene in der Gebäudereinigung",
    ),
    OccupationField(
        "it",
        "Fachinformatiker/in Systemintegration",
        "IT-Support",
        "43102",
        "43102",
        1.20,
        False,
        0.20,
        "IT-Support und Netzwerkgrundlagen",
    ),
    OccupationField(
        "childcare",
        "Erzieher/in",
        "Kinderpfleger/in",
        "83111",
        "83112",
        1.25,
        False,
        0.85,
        "Qualifizierung Kindertagespflege",
    ),
    OccupationField(
        "construction",
        "Trockenbaumonteur/in",
        "Bauhelfer/in",
        "32101",
        "33302",
        1.10,
        True,
        0.04,
        "Trockenbau und Innenausbau Grundlagen",
    ),
    OccupationField(
        "production",
        "Maschinen- und Anlagenführer/in",
        "Produktionshelfer/in",
        "22101",
        "25102",
        1.05,
        True,
        0.25,
        "CNC-Grundlagen",
    ),
    OccupationField(
        "health",
        "Medizinische/r Fachangestellte/r",
        "Praxishilfe",
        "81301",
        "81102",
        1.20,
        False,
        0.85,
        "Abrechnung in der Arztpraxis",
    ),
)

FIELD_DEMAND = np.array([f.demand for f in FIELDS])
FIELD_PHYSICAL = np.array([f.physical for f in FIELDS])


def _group_lookup() -> tuple[np.ndarray, np.ndarray]:
    """Labour demand and physical strain per KldB 3-digit group (index = code // 100)."""
    demand = np.ones(1000)
    physical = np.zeros(1000, dtype=bool)
    for f in FIELDS:
        for code in (f.helper, f.skilled):
            demand[int(code) // 100] = f.demand
            physical[int(code) // 100] = f.physical
    return demand, physical


GROUP_DEMAND, GROUP_PHYSICAL = _group_lookup()
