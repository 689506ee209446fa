"""Promotion and rollback reach every gunicorn worker without a restart, and rollback restores
the previous version's scores exactly."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from sqlmodel import Session

from service import create_app, migrations, model_store, registry
from service.db import get_engine
from training.artifact import ranker_to_bytes
from training.ranker import EffectRanker
from training.synthetic import generate_world

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def world():
    return generate_world(n_people=900, n_offers=40, n_episodes=900, seed=5)


@pytest.fixture(scope="module")
def artifacts(world):
    return [
        ranker_to_bytes(EffectRanker(random_state=seed).fit(world.episodes, world.offers))
        for seed in (1, 2)
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _health(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=5) as r:
        return json.loads(r.read())


def _wait_all(port: int, version: str, deadline_s: float) -> float:
    start = time.monotonic()
    streak = 0
    while time.monotonic() - start < deadline_s:
        try:
            seen = _health(port)["ranking"]["model_version"]
        except OSError:  # server still starting
            seen = None
        streak = streak + 1 if seen == version else 0
        if streak >= 30:  # many consecutive requests spread over all workers
            return time.monotonic() - start
        time.sleep(0.05 if streak else 0.2)
    raise AssertionError(f"workers did not all serve {version} within {deadline_s} s")


def test_rollback_restores_previous_scores_exactly(sqlite_only_app, artifacts, world):
    with Session(get_engine(sqlite_only_app)) as s:
        for i, data in enumerate(artifacts, start=1):
            registry.register_version(
                s,
                artifact=data,
                library_versions={},
                metrics={},
                gates={},
                version=f"2026-02-0{i}.1",
            )
            registry.promote(s, f"2026-02-0{i}.1")
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


@pytest.mark.slow
def test_promotion_reaches_all_gunicorn_workers_within_30_seconds(tmp_path, artifacts):
    url = f"sqlite:///{tmp_path / 'swap.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "QUALIMATCH_ENV": "test"})
    engine = get_engine(app)
    migrations.upgrade(engine)
    with Session(engine) as s:
        for i, data in enumerate(artifacts, start=1):
            registry.register_version(
                s,
                artifact=data,
                library_versions={},
                metrics={},
                gates={},
                version=f"2026-03-0{i}.1",
            )
        registry.promote(s, "2026-03-01.1")
        s.commit()
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "QUALIMATCH_ENV": "test",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "3",
        "RATE_LIMITS_ENABLED": "false",
        "MODEL_REFRESH_SECONDS": "5",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:service.gunicorn_conf",
            "service.wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_all(port, "2026-03-01.1", deadline_s=60)
        with Session(engine) as s:
            registry.promote(s, "2026-03-02.1")
            s.commit()

        elapsed = _wait_all(port, "2026-03-02.1", deadline_s=30)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert elapsed <= 30
