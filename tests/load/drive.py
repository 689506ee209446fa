"""Load and soak driver: temp PostgreSQL database, scaled-up data, gunicorn, headless locust.

    .venv/bin/python -m tests.load.drive load --users 20 --minutes 2
    .venv/bin/python -m tests.load.drive soak --users 20 --minutes 10

Prints locust's percentiles and per-worker RSS; writes CSVs to /tmp/qm-load/. Only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path

import psycopg
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
WORK = Path("/tmp/qm-load")
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PORT = int(os.environ.get("LOAD_PORT", "8765"))
DISTRICTS = ["Mitte", "Süd", "West", "Nord", "Ost", "Oppum-Linn", "Uerdingen", "Hüls", "Fischeln"]
MEASURES = [
    "TEILQUALIFIZIERUNG",
    "ANPASSUNGSQUALIFIZIERUNG",
    "AKTIVIERUNG_COACHING",
    "BERUFSSPRACHKURS",
    "INTEGRATIONSKURS",
    "GRUNDBILDUNG",
    "UMSCHULUNG",
    "WIEDEREINSTIEG",
]
KLDB = ["82101", "82102", "51312", "52202", "62102", "71302", "25212", "83112", "54101", "43412"]


def create_database() -> str:
    name = f"qm_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def drop_database(url: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def populate(url: str, *, profiles: int, offers: int, counsellors: int) -> dict[str, object]:
    from models.enums import OfferStatus, Role
    from models.offer import EXAMPLE_OFFER, Offer
    from models.profile import EXAMPLE_PROFILE, Profile
    from models.provider import EXAMPLE_PROVIDER, Provider
    from models.user import User
    from service import create_app
    from service.accounts import issue_token
    from service.core import migrations
    from service.core.db import get_engine
    from service.core.security import pseudonym
    from service.occupations import load_occupations
    from service.offers.csv_import import template_csv

    app = create_app({"DATABASE_URL": url, "QUALIMATCH_ENV": "test"})
    engine = get_engine(app)
    migrations.upgrade(engine)
    rng = random.Random(7)
    tokens: dict[str, object] = {"counsellors": [], "partners": []}
    with Session(engine) as session:
        load_occupations(session)
        providers = [Provider(**(EXAMPLE_PROVIDER | {"name": f"Träger {i}"})) for i in range(40)]
        session.add_all(providers)
        session.flush()
        base = {k: v for k, v in EXAMPLE_OFFER.items() if k not in ("start_dates", "end_date")}
        start = date.today() + timedelta(days=30)
        for i in range(offers):
            session.add(
                Offer(
                    **(
                        base
                        | {
                            "external_ref": f"LOAD-{i}",
                            "measure_type": rng.choice(MEASURES),
                            "district": rng.choice(DISTRICTS),
                            "target_occupations": [rng.choice(KLDB)],
                            "min_german_level": rng.choice(["A0", "A2", "B1"]),
                            "hours_per_week": rng.choice([15, 20, 25, 30, 39]),
                            "start_dates": [start + timedelta(days=rng.randint(0, 300))],
                            "seats_total": 12,
                            "seats_free": rng.randint(1, 12),
                        }
                    ),
                    provider_id=providers[i % len(providers)].id,
                    status=OfferStatus.APPROVED,
                )
            )
        users = []
        for c in range(counsellors):
            user = User(username=f"load-c{c}", role=Role.COUNSELLOR)
            session.add(user)
            users.append(user)
        partner = User(username="load-p0", role=Role.PARTNER, provider_id=providers[0].id)
        session.add(partner)
        session.flush()
        example = {k: v for k, v in EXAMPLE_PROFILE.items() if k != "client_number"}
        owned: dict[int, list[int]] = {u.id: [] for u in users}
        batch = []
        for i in range(profiles):
            owner = users[i % len(users)]
            batch.append(
                Profile(
                    **(
                        example
                        | {
                            "district": rng.choice(DISTRICTS),
                            "german_level": rng.choice(["A2", "B1", "B2", "C1"]),
                            "hours_available": rng.choice([20, 25, 30, 39]),
                            "target_occupations": [rng.choice(KLDB)],
                            "unemployment_months": rng.randint(0, 60),
                        }
                    ),
                    pseudonym=pseudonym(f"KR-{i:07d}", key=app.config["SECRET_KEY"]),
                    owner_id=owner.id,
                )
            )
        session.add_all(batch)
        session.flush()
        for profile in batch:
            owned[profile.owner_id].append(profile.id)
        for user in users:
            token, _ = issue_token(session, user, ttl_days=2, label="load")
            tokens["counsellors"].append({"token": token, "profile_ids": owned[user.id]})
        token, _ = issue_token(session, partner, ttl_days=2, label="load")
        tokens["partners"].append({"token": token})
        promote_champion(session)
        session.commit()
    header, example_row = template_csv().strip().splitlines()[:2]
    tokens["import_csv"] = header + "\n" + "{ref}" + example_row[example_row.index(";") :] + "\n"
    engine.dispose()
    return tokens


def promote_champion(session: Session) -> None:
    """A champion model, so that recommendations take the model path, not the rules fallback."""
    from service.ranking import registry
    from training.ranking.ranker import EffectRanker
    from training.release.artifact import ranker_to_bytes
    from training.release.registry import library_versions
    from training.synthetic import generate_world

    world = generate_world(n_people=4000, n_offers=300, n_episodes=20_000, seed=7)
    ranker = EffectRanker().fit(world.episodes, world.offers)
    row = registry.register_version(
        session,
        artifact=ranker_to_bytes(ranker),
        library_versions=library_versions(),
        metrics={},
        gates={"passed": True, "note": "load test model, gates not run"},
        n_train=len(world.episodes),
    )
    registry.promote(session, row.version, reason="load test")


def start_gunicorn(url: str, workers: int, extra_env: dict[str, str]) -> subprocess.Popen[bytes]:
    env = (
        os.environ
        | {
            "DATABASE_URL": url,
            "WEB_CONCURRENCY": str(workers),
            "PORT": str(PORT),
            "QUALIMATCH_ENV": "test",
            "LOG_LEVEL": "WARNING",
            "RATE_LIMITS_ENABLED": "true",
            "REDIS_URL": "redis://127.0.0.1:6379/14",
        }
        | extra_env
    )
    log = open(WORK / "gunicorn.log", "wb")  # noqa: SIM115 - lives as long as gunicorn
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "python:service.gunicorn_conf", "service.wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    for _ in range(60):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/health", timeout=2)
            return proc
        time.sleep(1)
    raise RuntimeError("gunicorn did not come up; see /tmp/qm-load/gunicorn.log")


def worker_rss(master_pid: int) -> dict[int, int]:
    out = subprocess.run(
        ["ps", "--ppid", str(master_pid), "-o", "pid=,rss="], capture_output=True, text=True
    ).stdout
    return {int(p): int(r) for p, r in (line.split() for line in out.strip().splitlines())}


def run_locust(users: int, minutes: float, prefix: str, sample_rss=None) -> subprocess.Popen[bytes]:
    env = os.environ | {"LOAD_TOKENS": str(WORK / "tokens.json")}
    return subprocess.Popen(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "tests/load/locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 5)),
            "-t",
            f"{int(minutes * 60)}s",
            "-H",
            f"http://127.0.0.1:{PORT}",
            "--csv",
            str(WORK / prefix),
            "--only-summary",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(WORK / f"{prefix}.log", "wb"),
    )


def summary(prefix: str) -> list[dict[str, str]]:
    with open(WORK / f"{prefix}_stats.csv") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["load", "soak"])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--offers", type=int, default=5_000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    url = create_database()
    proc = None
    try:
        started = time.time()
        tokens = populate(url, profiles=args.profiles, offers=args.offers, counsellors=args.users)
        (WORK / "tokens.json").write_text(json.dumps(tokens))
        print(f"populated in {time.time() - started:.0f}s", flush=True)
        extra = {"GUNICORN_MAX_REQUESTS": "0"} if args.mode == "soak" else {}
        proc = start_gunicorn(url, args.workers, extra)
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/health") as health:
            print("health:", health.read().decode(), flush=True)
        # warm-up, so the first minute does not measure imports and cold caches
        warm = run_locust(args.users, 0.25, f"{args.mode}_warmup")
        warm.wait()
        rss_start = worker_rss(proc.pid)
        locust = run_locust(args.users, args.minutes, args.mode)
        samples = []
        while locust.poll() is None:
            samples.append((round(time.time() - started), worker_rss(proc.pid)))
            time.sleep(30)
        rss_end = worker_rss(proc.pid)
        (WORK / f"{args.mode}_rss.json").write_text(json.dumps(samples))
        for row in summary(args.mode):
            print(
                f"{row['Type']:6} {row['Name'][:48]:48} n={row['Request Count']:>6} "
                f"fail={row['Failure Count']:>4} p50={row['50%']:>5} p95={row['95%']:>5} "
                f"p99={row['99%']:>5} rps={float(row['Requests/s']):.1f}"
            )
        print("worker RSS kB start:", rss_start, "end:", rss_end)
        for pid, start_kb in rss_start.items():
            if pid in rss_end:
                print(f"  worker {pid}: {100 * (rss_end[pid] - start_kb) / start_kb:+.1f}%")
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
