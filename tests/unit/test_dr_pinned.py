"""The three doubly robust estimators give the same numbers as before they shared one core.

``dr_pinned.json`` was written by ``python -m tests.unit.test_dr_pinned`` from the code before
``training.evaluation.dr`` existed; every estimator must reproduce it (within 1e-12) on the
same small fixed data. Regenerate it only for a deliberate change of an estimator.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from training.data.encoding import OfferArrays, ProfileArrays
from training.data.features import profile_block
from training.evaluation.baselines import PredictedSuccess
from training.evaluation.effects import estimate_effects
from training.evaluation.offline_eval import evaluate
from training.evaluation.policy_eval import (
    dr_scores,
    fit_nuisance,
    mean_estimate,
    observed_actions,
    policy_actions,
)
from training.ranking.ranker import EffectRanker
from training.synthetic import generate_world

PINNED = Path(__file__).with_name("dr_pinned.json")


def _effects() -> dict[str, Any]:
    rng = np.random.default_rng(5)
    n = 600
    x = rng.normal(size=(n, 3))
    treated = (rng.random(n) < 1 / (1 + np.exp(-x[:, 0]))).astype(int)
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.5 * x[:, 1] + 0.4 * treated)))).astype(float)
    out = estimate_effects(x, treated, y, targets=("ate", "att"), n_folds=3)
    return {
        t: [e.estimate, e.std_error, e.ci_low, e.ci_high, float(e.n_clipped)]
        for t, e in out.items()
    }


def _policy_and_offline() -> dict[str, Any]:
    world = generate_world(n_people=400, n_offers=40, n_episodes=900, seed=3)
    episodes, offers = world.episodes, world.offers
    train, test = episodes.iloc[:600], episodes.iloc[600:].reset_index(drop=True)
    o = OfferArrays.from_frame(offers)
    nuisance = fit_nuisance(train, o, random_state=0)
    x = profile_block(ProfileArrays.from_frame(test))
    observed = observed_actions(test, o)
    y = test["employed_6m"].to_numpy(dtype=float)
    rng = np.random.default_rng(9)
    choice = rng.integers(-1, len(o), size=len(test))
    scores = {
        "observed": dr_scores(nuisance, x, observed, y, observed),
        "random": dr_scores(nuisance, x, observed, y, policy_actions(choice, o)),
        "none": dr_scores(nuisance, x, observed, y, np.full(len(test), -1, dtype=np.int64)),
    }
    policy = {k: v.tolist() for k, v in scores.items()}
    policy["mean_random"] = list(mean_estimate(scores["random"]).as_dict().values())
    policy["mean_diff"] = list(mean_estimate(scores["random"] - scores["none"]).as_dict().values())
    # Unshrunk and without risk aversion, the candidate's picks and gains do not depend on how
    # its intervals are computed, only on the effects.
    ranker = EffectRanker(
        max_rows_per_arm=600,
        max_nuisance_rows=600,
        outcome_iterations=20,
        prior_shrinkage=False,
        risk_aversion=0.0,
    )
    ranker.fit(train, offers)
    success = PredictedSuccess(random_state=0).fit(train, offers)
    report = evaluate(
        candidate=ranker,
        champion=None,
        nuisance=nuisance,
        success=success,
        test=test,
        offers=offers,
        importance_rows=50,
    )
    offline = {
        "policies": report["policies"],
        "comparison": report["comparison"],
        "dr_gain_vs_no_measure": report["dr_gain_vs_no_measure"],
        "groups": {
            g: {k: v for k, v in d.items() if k in ("comparison", "dr_gain_vs_no_measure")}
            for g, d in report["groups"].items()
        },
        "qini": report["qini"],
    }
    return {"policy_eval": policy, "offline_eval": offline}


def outputs() -> dict[str, Any]:
    with threadpool_limits(limits=1):
        return {"effects": _effects()} | _policy_and_offline()


def _flatten(value: Any, prefix: str = "") -> dict[str, float]:
    if isinstance(value, dict):
        return {
            k: v
            for key, item in value.items()
            for k, v in _flatten(item, f"{prefix}/{key}").items()
        }
    if isinstance(value, list):
        return {
            k: v
            for i, item in enumerate(value)
            for k, v in _flatten(item, f"{prefix}[{i}]").items()
        }
    return {prefix: float(value)}


@pytest.mark.slow
def test_the_dr_estimators_reproduce_their_pinned_outputs() -> None:
    expected = _flatten(json.loads(PINNED.read_text()))
    actual = _flatten(outputs())
    assert actual.keys() == expected.keys()
    keys = sorted(expected)
    np.testing.assert_allclose(
        [actual[k] for k in keys], [expected[k] for k in keys], rtol=0, atol=1e-12, equal_nan=True
    )


if __name__ == "__main__":
    PINNED.write_text(json.dumps(outputs(), indent=1) + "\n")
