"""Import throughput and idempotency of the course-database (Weiterbildungssuche) import.

Run: ``PYTHONPATH=. .venv/bin/python bench/offers/bench_wbs_import.py [--runs 2000]
[--database-url URL]``
(default: a fresh SQLite file in a temporary directory). Generates one file of ``--runs``
Termine in pages of 20 (as a JSON list of pages), imports it, imports it again (nothing may
change) and then imports a version with every tenth run changed.
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlmodel import func, select

from bench.offers.import_db import BENCH_USER, bench_arguments, import_session
from models.offer import Offer
from service.offers.districts import areas
from service.offers.wbs_import import import_wbs, read_file

TITLES = [
    "Umschulung zum Kaufmann für Büromanagement (m/w/d)",
    "Umschulung Fachkraft für Lagerlogistik",
    "Teilqualifizierung TQ {n} Maschinen- und Anlagenführer/in",
    "Teilqualifizierung Pflegehelfer/in Modul {n}",
    "Berufssprachkurs B{n} (DeuFöV)",
    "Integrationskurs mit Alphabetisierung",
    "AVGS Bewerbungscoaching Einzelcoaching",
    "Gabelstaplerschein kompakt",
    "Schweißen Grundlagen – Lehrgang MAG",
    "Excel am Arbeitsplatz",
    "Berufskraftfahrer/in Weiterbildung Modul {n}",
    "Wiedereinstieg nach der Familienphase",
]
FORMS = [101, 102, 104, 201, 202, 301, 302, 401, 999]


def termin(i: int, rng: np.random.Generator, *, changed: bool = False) -> dict[str, Any]:
    area = areas()[int(rng.integers(len(areas())))]
    outside = rng.random() < 0.05
    provider = f"Bildungsträger {int(rng.integers(60)):02d} gGmbH"
    rolling = rng.random() < 0.1
    start = date(2027, 1, 4) + timedelta(days=int(rng.integers(365)))
    title = TITLES[i % len(TITLES)].format(n=1 + i % 4)
    return {
        "id": 500_000 + i,
        "angebot": {
            "id": 90_000 + i // 3,
            "titel": title,
            "inhalt": f"<p>{title}: Theorie und Praxis, Praktikum in Krefelder Betrieben.</p>",
            "abschlussart": "Zertifikat",
            "abschlussbezeichnung": "Trägerzertifikat",
            "foerderung": "Bildungsgutschein möglich",
            "bildungsanbieter": {"id": 7000 + i % 60, "name": provider},
        },
        "adresse": {
            "bezeichnung": provider,
            "strasse": f"Musterstraße {1 + i % 90}",
            "ortStraße": {
                "plz": "40210" if outside else area.postcode,
                "name": "Düsseldorf" if outside else "Krefeld",
            },
            "koordinaten": {
                "lat": area.latitude + rng.normal(0, 0.002),
                "lon": area.longitude + rng.normal(0, 0.002),
            },
        },
        "unterrichtsform": {"id": FORMS[i % len(FORMS)]},
        "unterrichtszeit": {"id": 1 + i % 2},
        "dauer": {"id": 3 + i % 5},
        "beginn": None if rolling else start.isoformat(),
        "ende": None if rolling else (start + timedelta(weeks=20)).isoformat(),
        "individuellerEinstieg": rolling,
        "anmeldeschluss": None,
        "kostenWert": f"{2000 + (i % 40) * 100 + (250 if changed else 0)}.00",
        "kostenWaehrung": "EUR",
        "teilnehmerMax": "16",
        "foerderung": True,
        "link": f"https://traeger{i % 60}.example/kurs/{i}",
        "ansprechpartner": [
            {
                "vorname": "Alex",
                "nachname": "Beispiel",
                "telefonVorwahl": "02151",
                "telefonDurchwahl": str(10_000 + i % 60),
                "email": f"kurse@traeger{i % 60}.example",
                "rollen": [{"bezeichnung": "Kursberatung"}],
            }
        ],
    }


def make_file(runs: int, *, change_every: int = 0) -> bytes:
    rng = np.random.default_rng(5)
    termine = [
        termin(i, rng, changed=bool(change_every) and i % change_every == 0) for i in range(runs)
    ]
    pages = [
        {
            "_embedded": {"termine": termine[start : start + 20]},
            "page": {"size": 20, "totalElements": runs, "number": start // 20},
        }
        for start in range(0, runs, 20)
    ]
    return json.dumps(pages, ensure_ascii=False).encode("utf-8")


def main() -> None:
    args = bench_arguments("--runs", 2000)
    with import_session(args.database_url) as session:
        first, changed = make_file(args.runs), make_file(args.runs, change_every=10)
        for label, data in (("first", first), ("again", first), ("changed", changed)):
            started = time.perf_counter()
            report = import_wbs(session, [read_file("bench.json", data)], user=BENCH_USER)
            elapsed = time.perf_counter() - started
            print(
                f"{label}: runs={args.runs} bytes={len(data)} created={report.created} "
                f"updated={report.updated} unchanged={report.unchanged} "
                f"refused={len(report.errors)} flagged={len(report.flagged)} "
                f"providers={report.providers_created} seconds={elapsed:.2f}"
            )
        stored = session.exec(select(func.count()).select_from(Offer)).one()
        print(f"offers stored after three imports: {stored}")


if __name__ == "__main__":
    main()
