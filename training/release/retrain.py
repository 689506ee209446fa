"""The retraining pipeline without a database: split, fit, evaluate, gate, document.

``run_retrain`` takes episodes (profile columns + ``person_id``, ``start_date``, ``offer_id``,
``employed_6m``) and the offer catalogue, and returns everything the registry stores. The
service only loads the data, holds the lock and writes the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from training.data.encoding import OfferArrays
from training.evaluation.baselines import PredictedSuccess
from training.evaluation.offline_eval import evaluate
from training.evaluation.policy_eval import fit_nuisance
from training.ranking.ranker import EffectRanker
from training.release.artifact import ranker_to_bytes
from training.release.drift import feature_distributions
from training.release.gates import GateReport, GateThresholds, evaluate_gates
from training.release.model_card import render_model_card
from training.release.plots import render_plots
from training.release.registry import library_versions
from training.release.selection import fit_ranker
from training.synthetic import generate_world
from training.text import gettext as _

Progress = Callable[[str], None]
STEPS = ("split", "fit", "baselines", "evaluate", "gates", "card")


class InsufficientDataError(ValueError):
    """Too few episodes (or outcomes) to train and evaluate a model honestly."""


@dataclass(frozen=True, slots=True)
class RetrainConfig:
    test_share: float = 0.2
    min_train_episodes: int = 500
    min_test_episodes: int = 150
    #: All held-out episodes up to this many: fewer rows make the paired comparison with the
    #: reference too noisy to show a real difference (standard error ~2.8 pp at 3,000).
    max_eval_rows: int = 20_000
    random_state: int = 0
    thresholds: GateThresholds = field(default_factory=GateThresholds)
    #: Threads the numerical libraries (OpenMP, BLAS) may use during the retrain.
    threads: int = 1
    #: Where the episodes came from (source, label, counts, date range), for the model card.
    data_source: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Split:
    train: pd.DataFrame
    test: pd.DataFrame
    cutoff: pd.Timestamp


@dataclass(frozen=True)
class RetrainResult:
    ranker: EffectRanker
    artifact: bytes
    evaluation: dict[str, Any]
    gates: GateReport
    metrics: dict[str, Any]
    model_card: str
    plots: dict[str, str]
    n_train: int
    n_test: int
    window: tuple[datetime, datetime]
    library_versions: dict[str, str]


def time_person_split(episodes: pd.DataFrame, *, test_share: float) -> Split:
    """Train on the past, test on the most recent ``test_share`` of episodes; anyone who appears
    in the test period is dropped from training, so no person is on both sides."""
    if episodes.empty:
        empty = episodes.iloc[0:0]
        return Split(train=empty, test=empty, cutoff=pd.Timestamp.min)
    dates = pd.to_datetime(episodes["start_date"]).to_numpy(dtype="datetime64[ns]")
    cutoff = np.quantile(dates.astype(np.int64), 1.0 - test_share).astype("datetime64[ns]")
    late = dates > cutoff
    test_people = episodes.loc[late, "person_id"].unique()
    in_test_people = episodes["person_id"].isin(test_people).to_numpy()
    return Split(
        train=episodes.loc[~late & ~in_test_people].reset_index(drop=True),
        test=episodes.loc[late].reset_index(drop=True),
        cutoff=pd.Timestamp(str(cutoff)),
    )


def check_sufficient(split: Split, config: RetrainConfig) -> None:
    n_train, n_test = len(split.train), len(split.test)
    if n_train < config.min_train_episodes or n_test < config.min_test_episodes:
        raise InsufficientDataError(
            _(
                "Zu wenige Daten: %(n_train)s Trainings- und %(n_test)s Testepisoden "
                "(mindestens %(min_train_episodes)s und %(min_test_episodes)s).",
                n_train=n_train,
                n_test=n_test,
                min_train_episodes=config.min_train_episodes,
                min_test_episodes=config.min_test_episodes,
            )
        )
    treated = split.train["offer_id"].notna()
    if treated.sum() < 50 or (~treated).sum() < 50:
        raise InsufficientDataError(
            _(
                "Zu wenige Teilnahmen (%(treated)s) oder Nicht-Teilnahmen (%(untreated)s) im "
                "Training "
                "(je mindestens 50).",
                treated=int(treated.sum()),
                untreated=int((~treated).sum()),
            )
        )


def synthetic_history(n_episodes: int, *, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Demo history: synthetic episodes and their offer catalogue (never mixed with truth)."""
    n_offers = int(np.clip(n_episodes // 200, 60, 600))
    world = generate_world(n_people=n_episodes, n_offers=n_offers, n_episodes=n_episodes, seed=seed)
    return world.episodes, world.offers


def _eval_sample(test: pd.DataFrame, config: RetrainConfig) -> pd.DataFrame:
    if len(test) <= config.max_eval_rows:
        return test
    rng = np.random.default_rng(config.random_state)
    take = np.sort(rng.choice(len(test), size=config.max_eval_rows, replace=False))
    return test.iloc[take].reset_index(drop=True)


def run_retrain(
    episodes: pd.DataFrame,
    offers: pd.DataFrame,
    *,
    champion: EffectRanker | None = None,
    champion_version: str | None = None,
    config: RetrainConfig | None = None,
    progress: Progress | None = None,
    ranker_factory: Callable[[], EffectRanker] | None = None,
) -> RetrainResult:
    config = config or RetrainConfig()
    step = progress or (lambda _name: None)
    with threadpool_limits(limits=config.threads):  # RetrainConfig.threads
        step("split")
        split = time_person_split(episodes, test_share=config.test_share)
        check_sufficient(split, config)
        step("fit")
        if ranker_factory is None:
            ranker = fit_ranker(split.train, offers, random_state=config.random_state)
        else:
            ranker = ranker_factory().fit(split.train, offers)
        step("baselines")
        nuisance = fit_nuisance(split.train, _arrays(offers), random_state=config.random_state)
        success = PredictedSuccess(max_rows=30_000, random_state=config.random_state)
        success.fit(split.train, offers)
        step("evaluate")
        evaluation = evaluate(
            candidate=ranker,
            champion=champion,
            nuisance=nuisance,
            success=success,
            test=_eval_sample(split.test, config),
            offers=offers,
            random_state=config.random_state,
        )
        evaluation["selection"] = getattr(ranker, "selection_", None)
        step("gates")
        report = evaluate_gates(evaluation, config.thresholds)
        dates = pd.to_datetime(split.train["start_date"])
        window = (dates.min().to_pydatetime(), dates.max().to_pydatetime())
        metrics = _metrics(evaluation, split, champion_version, config)
        step("card")
        plots = render_plots(evaluation)
        facts: dict[str, Any] = {
            "evaluation": evaluation,
            "gates": report,
            "metrics": metrics,
            "window": window,
            "n_train": len(split.train),
            "n_test": len(split.test),
        }
        return RetrainResult(
            ranker=ranker,
            artifact=ranker_to_bytes(ranker),
            model_card=render_model_card(**facts),
            plots=plots,
            **facts,
            library_versions=library_versions(),
        )


def _arrays(offers: pd.DataFrame) -> Any:

    return OfferArrays.from_frame(offers)


def _metrics(
    evaluation: dict[str, Any], split: Split, champion_version: str | None, config: RetrainConfig
) -> dict[str, Any]:
    """What the registry keeps per version (JSON): headline figures, groups, drift reference."""
    slim = {k: v for k, v in evaluation.items() if k not in ("qini", "calibration_detail")}
    return {
        **slim,
        "champion_version": champion_version,
        "split_cutoff": split.cutoff.isoformat(),
        "thresholds": config.thresholds.as_dict(),
        "feature_distributions": feature_distributions(split.train),
        "share_treated_train": float(split.train["offer_id"].notna().mean()),
        "data_source": dict(config.data_source) if config.data_source else None,
    }
