"""Import throughput and idempotency of the offer CSV import.

Run: ``PYTHONPATH=. .venv/bin/python bench/offers/bench_import.py [--rows 10000]
[--database-url URL]``
(default: a fresh SQLite file in a temporary directory). Prints the time for importing
``--rows`` rows, then imports a 1,000-row file twice and counts the stored offers.
"""

from __future__ import annotations

import csv
import io
import time

import numpy as np
from sqlmodel import func, select

from bench.offers.import_db import BENCH_USER, bench_arguments, import_session
from models.offer import Offer
from models.provider import Provider
from service.offers.csv_format import COLUMNS
from service.offers.csv_import import import_csv
from training.synthetic.catalog import generate_offers


def make_csv(rows: int, seed: int = 3) -> bytes:
    frame, _ = generate_offers(np.random.default_rng(seed), rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for i, row in enumerate(frame.to_dict("records")):
        starts = " | ".join(d.strftime("%d.%m.%Y") for d in row["start_dates"])
        values = {
            "external_ref": f"B-{i:06d}",
            "title": row["title"],
            "description": "Kursinhalte laut Katalog; Praktikum möglich.",
            "measure_type": row["measure_type"],
            "target_occupations": ", ".join(row["target_occupations"]),
            "certificate": "Trägerzertifikat",
            "funding": ", ".join(row["funding"]),
            "format": row["format"],
            "hours_per_week": str(row["hours_per_week"]),
            "part_time_possible": "ja" if row["part_time_possible"] else "nein",
            "childcare": "ja" if row["childcare"] else "nein",
            "language": "Deutsch",
            "min_german_level": row["min_german_level"],
            "duration_weeks": str(row["duration_weeks"]),
            "start_dates": starts,
            "end_date": "",
            "seats_total": "16",
            "seats_free": str(min(16, row["seats_free"])),
            "district": row["district"],
            "target_groups": ", ".join(row["target_groups"]),
            "cost_eur": "1.250,00",
        }
        # Columns the generator has no value for (contact, venue, registration) stay empty.
        writer.writerow([values.get(c.field, "") for c in COLUMNS])
    return out.getvalue().encode("utf-8")


def main() -> None:
    args = bench_arguments("--rows", 10_000)
    with import_session(args.database_url) as session:
        big, small = (
            Provider(name="Bench A", kind="welfare", district="Mitte"),
            Provider(name="Bench B", kind="welfare", district="Süd"),
        )
        session.add_all([big, small])
        session.commit()
        data = make_csv(args.rows)
        started = time.perf_counter()
        report = import_csv(session, data, user=BENCH_USER, provider_id=big.id, max_rows=50_000)
        elapsed = time.perf_counter() - started
        print(
            f"import rows={args.rows} bytes={len(data)} created={report.created} "
            f"errors={len(report.errors)} seconds={elapsed:.2f}"
        )
        thousand = make_csv(1000, seed=11)
        times = []
        for _ in range(2):
            started = time.perf_counter()
            report = import_csv(
                session, thousand, user=BENCH_USER, provider_id=small.id, max_rows=50_000
            )
            times.append(time.perf_counter() - started)
            print(
                f"1000-row file: created={report.created} updated={report.updated} "
                f"unchanged={report.unchanged} errors={len(report.errors)} "
                f"seconds={times[-1]:.2f}"
            )
        stored = session.exec(
            select(func.count()).select_from(Offer).where(Offer.provider_id == small.id)
        ).one()
        print(f"offers stored for the 1000-row provider after two imports: {stored}")


if __name__ == "__main__":
    main()
