"""Fault drills against gunicorn on a temp PostgreSQL database (127.0.0.1 only).

    .venv/bin/python -m tests.fault.faults pg-restart
    .venv/bin/python -m tests.fault.faults kill-worker
    .venv/bin/python -m tests.fault.faults redis-down
    .venv/bin/python -m tests.fault.faults corrupt-artifact

Each drill keeps a steady stream of requests going, injects the fault, and prints what the
clients saw. Not part of ``make test``: restarting PostgreSQL disturbs every other test run.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

import psycopg

from tests.load import drive

BASE = f"http://127.0.0.1:{drive.PORT}"


def call(method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method)  # noqa: S310
    request.add_header("Authorization", f"Bearer {token}")
    if data:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")
    except OSError:
        return 0, None


class Traffic(threading.Thread):
    """Creates profiles in a loop; remembers every acknowledged (201) id."""

    def __init__(self, token, payload):
        super().__init__(daemon=True)
        self.token, self.payload = token, payload
        self.statuses = collections.Counter()
        self.acknowledged, self.timeline = [], []
        self.stop = threading.Event()

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            body = self.payload | {"client_number": f"KR-F{os.getpid()}-{n}"}
            status, answer = call("POST", "/api/v1/profiles", self.token, body)
            self.statuses[status] += 1
            self.timeline.append((time.time(), status))
            if status == 201:
                self.acknowledged.append(answer["id"])
            if status == 503:
                assert answer["error"]["code"] == "service_unavailable", answer
            time.sleep(0.05)


def recovery_seconds(timeline, fault_at):
    after = [(t, s) for t, s in timeline if t >= fault_at]
    bad = [t for t, s in after if s != 201]
    return round(max(bad) - fault_at, 1) if bad else 0.0


def drill(name, url, tokens, proc):
    from models.profile import EXAMPLE_PROFILE

    counsellor = tokens["counsellors"][0]["token"]
    traffic = Traffic(counsellor, dict(EXAMPLE_PROFILE))
    traffic.start()
    time.sleep(3)
    fault_at = time.time()
    if name == "pg-restart":
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"], check=True
        )
    elif name == "kill-worker":
        victim = sorted(drive.worker_rss(proc.pid))[0]
        os.kill(victim, signal.SIGKILL)
    elif name == "corrupt-artifact":
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "UPDATE ranker_version SET artifact = overlay(artifact placing "
                "decode(lpad(to_hex(get_byte(artifact, 100) # 255), 2, '0'), 'hex') "
                "from 101 for 1)"
            )
    time.sleep(15)
    traffic.stop.set()
    traffic.join()
    with psycopg.connect(url) as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM profile")}
    lost = [pid for pid in traffic.acknowledged if pid not in stored]
    health = call("GET", "/api/v1/health", counsellor)
    profile = tokens["counsellors"][0]["profile_ids"][0]
    rec = call("POST", f"/api/v1/profiles/{profile}/recommendations?k=5", counsellor)
    print(
        json.dumps(
            {
                "drill": name,
                "statuses": dict(traffic.statuses),
                "recovered_after_s": recovery_seconds(traffic.timeline, fault_at),
                "acknowledged": len(traffic.acknowledged),
                "acknowledged_but_missing": len(lost),
                "health_after": health,
                "recommendation_after": rec[0],
            },
            default=str,
            indent=1,
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "drill", choices=["pg-restart", "kill-worker", "redis-down", "corrupt-artifact"]
    )
    args = parser.parse_args()
    drive.WORK.mkdir(parents=True, exist_ok=True)
    url = drive.create_database()
    proc = None
    try:
        tokens = drive.populate(url, profiles=500, offers=300, counsellors=2)
        extra = {"REDIS_URL": "redis://127.0.0.1:6390/0"} if args.drill == "redis-down" else {}
        proc = drive.start_gunicorn(url, 2, extra)
        drill(args.drill, url, tokens, proc)
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        drive.drop_database(url)


if __name__ == "__main__":
    main()
