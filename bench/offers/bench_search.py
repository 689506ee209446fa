"""Latency of the counsellors' catalogue search (``GET /api/v1/offers``) over 20,000 offers.

Run: ``.venv/bin/python bench/offers/bench_search.py [--offers 20000] [--rounds 25]
[--database-url URL]`` (default: a fresh SQLite file in a temporary directory; for PostgreSQL
pass an empty database, it is migrated here). The synthetic Krefeld catalogue
(``training.synthetic.catalog``) is stored as approved offers, its start dates moved into the
coming year and one in ten offers with rolling entry. Then a counsellor sends a fixed mix of
filter combinations through the Flask test client (the whole request path: token check,
parameter validation, query, serialisation), each ``--rounds`` times after one warm-up round.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert
from sqlmodel import Session

from models.enums import OfferStatus, Role
from models.offer import Offer
from models.provider import Provider
from models.user import User
from service import create_app
from service.accounts.api_auth import issue_token
from service.core import migrations
from service.core.clock import local_today
from service.core.db import get_engine
from service.occupations import load_occupations
from training.synthetic.catalog import generate_offers

TODAY = local_today()  # the date the search uses
PHRASES = (
    "Praxisphase in einem Krefelder Betrieb",
    "Bewerbungstraining und Begleitung in Arbeit",
    "Unterricht in kleinen Gruppen, Fachsprache Deutsch",
    "Digitale Grundlagen am PC",
    "Vorbereitung auf die Prüfung vor der Kammer",
    "Sozialpädagogische Begleitung",
    "Kinderbetreuung nach Absprache",
    "Lernplattform für die Selbstlernphasen",
)


def _in(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


#: A counsellor's typical searches: one page of 20, with and without text, sorted three ways.
QUERIES: dict[str, str] = {
    "first page": "",
    "text: pflege": "q=pflege",
    "text: two words": "q=fachkraft%20lager",
    "text + German level + next start": "q=deutsch&max_german_level=B1&sort=next_start",
    "occupation 821 by next start": "kldb=821&sort=next_start",
    "occupation 5-digit + district": "kldb=51312&district=Süd",
    "type + district": "measure_type=TEILQUALIFIZIERUNG&district=Mitte",
    "starts within 90 days by next start": f"starts_before={_in(90)}&sort=next_start",
    "by travel time from Hüls": "sort=travel&from_district=Hüls",
    "online + part time": "format=online&part_time=true",
    "childcare + German ≤ A2": "childcare=true&max_german_level=A2",
    "funding + 180 days + travel": (
        f"funding=bildungsgutschein&starts_before={_in(180)}&sort=travel&from_district=Mitte"
    ),
    "everything": (
        f"q=kurs&measure_type=BERUFSSPRACHKURS&starts_before={_in(365)}&format=in_person"
        "&max_german_level=B1&sort=travel&from_district=Süd"
    ),
    "deep page by next start": "sort=next_start&offset=2000",
}


def _rows(n: int, provider_id: int, seed: int) -> list[dict[str, Any]]:
    frame, _quality = generate_offers(np.random.default_rng(seed), n)
    rng = random.Random(seed)
    rows = []
    for i, row in enumerate(frame.to_dict("records")):
        first = min(row["start_dates"])
        shift = (TODAY + timedelta(days=rng.randint(-60, 330))) - first
        starts = sorted({(d + shift).isoformat() for d in row["start_dates"]})
        description = ". ".join(rng.sample(PHRASES, 3)) + "."
        rows.append(
            {
                "external_ref": f"S-{i:06d}",
                "title": row["title"],
                "description": description,
                "measure_type": row["measure_type"],
                "target_occupations": list(row["target_occupations"]),
                "certificate": "Trägerzertifikat",
                "funding": list(row["funding"]),
                "format": row["format"],
                "hours_per_week": int(row["hours_per_week"]),
                "part_time_possible": bool(row["part_time_possible"]),
                "childcare": bool(row["childcare"]),
                "language": "de",
                "min_german_level": row["min_german_level"],
                "duration_weeks": int(row["duration_weeks"]),
                "start_dates": starts,
                "rolling_entry": rng.random() < 0.1,
                "seats_total": 16,
                "seats_free": min(16, int(row["seats_free"])),
                "district": row["district"],
                "target_groups": list(row["target_groups"]),
                "cost_eur": 1250.0,
                "provider_id": provider_id,
                "status": OfferStatus.APPROVED.value,
                "version": 1,
                "quality_flags": [],
            }
        )
    return rows


def _seed(app: Any, n: int, seed: int) -> str:
    engine = get_engine(app)
    migrations.upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        load_occupations(session)
        provider = Provider(name="Bench-Träger", kind="education_provider", district="Mitte")
        user = User(username="bench-counsellor", role=Role.COUNSELLOR)
        session.add_all([provider, user])
        session.flush()
        assert provider.id is not None
        rows = _rows(n, provider.id, seed)
        for start in range(0, len(rows), 2000):
            session.execute(insert(Offer), rows[start : start + 2000])
        token, _ = issue_token(session, user, ttl_days=1, label="bench")
        session.commit()
    if engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE offer")
            conn.exec_driver_sql("VACUUM ANALYZE offer_start")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return token


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(url: str, *, offers: int, rounds: int, seed: int) -> None:
    app = create_app(
        {
            "DATABASE_URL": url,
            "QUALIMATCH_ENV": "test",
            "LOG_LEVEL": "WARNING",
            "RATE_LIMITS_ENABLED": False,
        }
    )
    started = time.perf_counter()
    token = _seed(app, offers, seed)
    print(
        f"database: {get_engine(app).dialect.name}, {offers} approved offers stored in "
        f"{time.perf_counter() - started:.1f} s"
    )
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    timings: dict[str, list[float]] = {name: [] for name in QUERIES}
    cpu_ms: list[float] = []
    totals: dict[str, int] = {}
    cpu_started = time.process_time()
    for round_no in range(rounds + 1):
        for name, query in QUERIES.items():
            begin, cpu_begin = time.perf_counter(), time.process_time()
            response = client.get(f"/api/v1/offers?limit=20&{query}", headers=headers)
            elapsed = (time.perf_counter() - begin) * 1000
            cpu_elapsed = (time.process_time() - cpu_begin) * 1000
            assert response.status_code == 200, (name, response.get_json())
            if round_no == 0:  # warm-up: connections, caches, first compilation
                totals[name] = response.get_json()["total"]
                continue
            timings[name].append(elapsed)
            cpu_ms.append(cpu_elapsed)
    cpu = time.process_time() - cpu_started
    all_ms = [ms for values in timings.values() for ms in values]
    print(f"{'query':40} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, values in timings.items():
        print(
            f"{name:40} {totals[name]:>8} {statistics.median(values):>8.1f} "
            f"{_percentile(values, 0.95):>8.1f} {max(values):>8.1f}"
        )
    print(
        f"{'ALL (' + str(len(all_ms)) + ' requests)':40} {'':>8} "
        f"{statistics.median(all_ms):>8.1f} {_percentile(all_ms, 0.95):>8.1f} {max(all_ms):>8.1f}"
    )
    print(
        f"CPU of this process per request (excludes the PostgreSQL server): p50 "
        f"{statistics.median(cpu_ms):.1f} ms, p95 {_percentile(cpu_ms, 0.95):.1f} ms; total "
        f"{cpu:.1f} s; load average {os.getloadavg()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        run(url, offers=args.offers, rounds=args.rounds, seed=args.seed)


if __name__ == "__main__":
    main()
