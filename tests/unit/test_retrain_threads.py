"""The retrain computes on as many threads as ``RetrainConfig.threads`` allows."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_info

from training.release import retrain
from training.release.retrain import RetrainConfig, run_retrain, synthetic_history


@pytest.mark.parametrize("threads", [1, 2])
def test_the_fit_runs_within_the_configured_thread_limit(monkeypatch, threads):
    seen: list[int] = []

    def fake_fit(*_args, **_kwargs):
        seen.extend(pool["num_threads"] for pool in threadpool_info())
        raise RuntimeError("stop once the fit has started")

    monkeypatch.setattr(retrain, "fit_ranker", fake_fit)
    episodes, offers = synthetic_history(1200, seed=1)
    config = RetrainConfig(threads=threads, min_train_episodes=100)
    with pytest.raises(RuntimeError, match="stop once"):
        run_retrain(episodes, offers, config=config)
    assert seen
    assert set(seen) == {threads}
