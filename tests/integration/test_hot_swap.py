"""Promotion, rollback and the repair of a refused artifact reach every gunicorn worker within
MODEL_REFRESH_SECONDS without a restart, and rollback restores the previous scores exactly.

The server listens on a socket this test bound (port 0, handed over as ``fd://``), so no other
process can take the port between choosing and binding it. Which worker answered a request is
read from gunicorn's access log (request id → worker pid), so the wait ends when *each* worker
has answered with the expected state, with a deadline per phase instead of fixed sleeps.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlmodel import Session, select

from models.registry import RankerVersion
from service import create_app
from service.core import migrations
from service.core.db import get_engine
from service.ranking import model_store, registry
from training.ranking.ranker import EffectRanker
from training.release.artifact import ranker_to_bytes
from training.synthetic import generate_world

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
REFRESH_SECONDS = 2
#: Request latency on a busy machine on top of the refresh interval.
SLACK_SECONDS = 3.0
PASSED = {"passed": True}
GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf"]
GUNICORN += ["service.wsgi:app"]
Ranking = dict[str, Any]


@pytest.fixture(scope="module")
def world():
    return generate_world(n_people=900, n_offers=40, n_episodes=900, seed=5)


@pytest.fixture(scope="module")
def artifacts(world):
    return [
        ranker_to_bytes(EffectRanker(random_state=seed).fit(world.episodes, world.offers))
        for seed in (1, 2)
    ]


def _register(s: Session, artifacts: list[bytes], *, month: int) -> list[str]:
    """Store the artifacts as versions that passed the gates; their names, oldest first."""
    versions = [f"2026-{month:02d}-0{i}.1" for i in range(1, len(artifacts) + 1)]
    for version, data in zip(versions, artifacts, strict=True):
        registry.register_version(
            s, artifact=data, library_versions={}, metrics={}, gates=PASSED, version=version
        )
    return versions


def test_rollback_restores_previous_scores_exactly(sqlite_only_app, artifacts, world):
    with Session(get_engine(sqlite_only_app)) as s:
        for version in _register(s, artifacts, month=2):
            registry.promote(s, version)
        s.commit()
    model_store.reset_cache()
    profiles = world.profiles.head(20)
    with sqlite_only_app.app_context(), Session(get_engine(sqlite_only_app)) as s:
        newest = model_store.get_active_model(s).ranker.predict(profiles, world.offers).effect
        registry.rollback(s)
        s.commit()
        model_store.reset_cache()
        restored = model_store.get_active_model(s)
        direct = EffectRanker(random_state=1).fit(world.episodes, world.offers)

        scores = restored.ranker.predict(profiles, world.offers).effect

    assert restored.version == "2026-02-01.1"
    assert not np.array_equal(scores, newest)
    np.testing.assert_array_equal(scores, direct.predict(profiles, world.offers).effect)


class Server:
    """gunicorn on an inherited socket; maps each request id to the worker that served it."""

    def __init__(self, env: dict[str, str]) -> None:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        self.port = int(listener.getsockname()[1])
        self.process = subprocess.Popen(
            GUNICORN,
            cwd=ROOT,
            env=env | {"BIND": f"fd://{listener.fileno()}"},
            pass_fds=(listener.fileno(),),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        listener.close()  # gunicorn holds it now; connections queue until a worker accepts
        self._served_by: dict[str, int] = {}
        self._logged = threading.Condition()
        threading.Thread(target=self._read_access_log, daemon=True).start()

    def _read_access_log(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("event") == "access":
                with self._logged:
                    self._served_by[entry["request_id"]] = int(entry["worker"].strip("<>"))
                    self._logged.notify_all()

    def workers(self) -> set[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in path.read_text().split()}

    def wait_for_workers(self, *, deadline_s: float, without: int | None = None) -> set[int]:
        """The worker pids once there are WORKERS of them (``without`` one that was stopped)."""
        started, tick = time.monotonic(), threading.Event()
        while time.monotonic() - started < deadline_s:
            assert self.process.poll() is None, "gunicorn exited"
            workers = self.workers()
            if len(workers) == WORKERS and without not in workers:
                return workers
            tick.wait(0.05)  # a process table has nothing to wait on
        raise AssertionError(f"gunicorn did not run {WORKERS} workers within {deadline_s} s")

    def ranking(self) -> tuple[int, Ranking]:
        """One health request on a new connection: (worker pid, ranking status)."""
        request_id = str(uuid.uuid4())
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1/health", headers={"X-Request-ID": request_id}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http only
            ranking: Ranking = json.loads(response.read())["ranking"]
        with self._logged:
            if not self._logged.wait_for(lambda: request_id in self._served_by, timeout=10):
                raise AssertionError("no access log line for a served request")
            return self._served_by.pop(request_id), ranking

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        if self.process.stdout is not None:
            self.process.stdout.close()


def converge(
    server: Server, expected: Callable[[Ranking], bool], *, deadline_s: float
) -> tuple[float, dict[int, Ranking]]:
    """Seconds until every worker answers as ``expected`` (and keeps doing so), and each
    worker's last answer.

    A few clients poll at once so that requests spread over all workers; the wait ends as soon
    as each worker has been seen in the expected state, or fails at the deadline.
    """
    started = time.monotonic()
    workers = server.wait_for_workers(deadline_s=deadline_s)
    since: dict[int, float] = {}
    last: dict[int, Ranking] = {}
    lock, done, failures = threading.Lock(), threading.Event(), []

    def poll() -> None:
        while not done.is_set() and time.monotonic() - started < deadline_s:
            try:
                pid, ranking = server.ranking()
            except (OSError, AssertionError) as exc:
                failures.append(exc)
                return
            with lock:
                last[pid] = ranking
                if expected(ranking):
                    since.setdefault(pid, time.monotonic() - started)
                else:
                    since.pop(pid, None)
                if workers <= since.keys():
                    done.set()
            done.wait(0.01)  # pacing only: the loop ends on the condition above

    pollers = [threading.Thread(target=poll) for _ in range(WORKERS + 1)]
    for thread in pollers:
        thread.start()
    done.wait(deadline_s)
    done.set()
    for thread in pollers:
        thread.join()
    assert not failures, failures
    missing = workers - since.keys()
    assert not missing, f"workers {sorted(missing)} not converged within {deadline_s} s"
    return max(since[pid] for pid in workers), last


def serves(version: str) -> Callable[[Ranking], bool]:
    return lambda r: r["mode"] == "model" and r["model_version"] == version


def _set_artifact(engine: Any, version: str, data: bytes) -> None:
    with Session(engine) as s:
        row = s.exec(select(RankerVersion).where(RankerVersion.version == version)).one()
        row.artifact = data
        s.add(row)
        s.commit()


def _replace_one_worker(server: Server) -> int:
    """Stop one worker; the master starts a fresh one (with an empty model cache)."""
    before = server.workers()
    victim = min(before)
    os.kill(victim, signal.SIGTERM)
    (fresh,) = server.wait_for_workers(deadline_s=60, without=victim) - before
    return fresh


@pytest.fixture
def swap_server(tmp_path: Path, artifacts: list[bytes]) -> Iterator[tuple[Server, Any]]:
    url = f"sqlite:///{tmp_path / 'swap.sqlite3'}"
    engine = get_engine(create_app({"DATABASE_URL": url, "QUALIMATCH_ENV": "test"}))
    migrations.upgrade(engine)
    with Session(engine) as s:
        _register(s, artifacts, month=3)
        registry.promote(s, "2026-03-01.1")
        s.commit()
    env = os.environ | {
        "DATABASE_URL": url,
        "QUALIMATCH_ENV": "test",
        "WEB_CONCURRENCY": str(WORKERS),
        "RATE_LIMITS_ENABLED": "false",
        "MODEL_REFRESH_SECONDS": str(REFRESH_SECONDS),
        "GUNICORN_MAX_REQUESTS": "0",  # worker pids stay what this test expects
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    env.pop("REDIS_URL", None)
    server = Server(env)
    try:
        converge(server, serves("2026-03-01.1"), deadline_s=120)  # boot
        yield server, engine
    finally:
        server.stop()
        engine.dispose()


@pytest.mark.slow
def test_promotion_and_rollback_reach_every_worker_within_refresh_interval(swap_server):
    server, engine = swap_server
    with Session(engine) as s:
        registry.promote(s, "2026-03-02.1")
        s.commit()
    promoted, _ = converge(server, serves("2026-03-02.1"), deadline_s=30)
    with Session(engine) as s:
        registry.rollback(s)
        s.commit()
    rolled_back, _ = converge(server, serves("2026-03-01.1"), deadline_s=30)

    print(f"converged after promotion {promoted:.2f} s, after rollback {rolled_back:.2f} s")
    assert promoted <= REFRESH_SECONDS + SLACK_SECONDS
    assert rolled_back <= REFRESH_SECONDS + SLACK_SECONDS


@pytest.mark.slow
def test_repaired_artifact_reaches_every_worker_including_one_that_refused_it(
    swap_server, artifacts
):
    server, engine = swap_server
    _set_artifact(engine, "2026-03-02.1", b"tampered")
    with Session(engine) as s:
        registry.promote(s, "2026-03-02.1")
        s.commit()
    converge(
        server,
        lambda r: r["model_version"] == "2026-03-01.1" and r["reason"] == "champion_refused",
        deadline_s=30,
    )
    fresh = _replace_one_worker(server)
    _, refused = converge(
        server,
        lambda r: r["reason"] in ("champion_refused", "model_unavailable"),
        deadline_s=30,
    )
    _set_artifact(engine, "2026-03-02.1", artifacts[1])  # restored: sha256 matches again

    repaired, _ = converge(server, serves("2026-03-02.1"), deadline_s=30)

    print(f"converged after repair {repaired:.2f} s")
    assert refused[fresh]["mode"] == "rules"  # the new worker had nothing to fall back on
    assert repaired <= REFRESH_SECONDS + SLACK_SECONDS
