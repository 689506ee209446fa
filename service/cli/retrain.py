"""``qualimatch retrain [--promote] [--source db|synthetic|both] [--episodes N]``.

Exit codes: 0 registered (and promoted when asked and all gates pass), 1 insufficient data,
2 a gate failed (the version stays registered as ``candidate`` for inspection), 3 another
retrain holds the lock.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
import pandas as pd
import structlog
from flask import current_app
from flask.cli import with_appcontext

from service import get_settings, registry
from service.db import get_engine, session_scope
from service.retrain_data import combine, database_episodes, database_offers
from service.retrain_lock import RetrainLockedError, retrain_lock
from training.gates import GateThresholds
from training.retrain import (
    STEPS,
    InsufficientDataError,
    RetrainConfig,
    RetrainResult,
    run_retrain,
    synthetic_history,
)

log = structlog.get_logger(__name__)


class GateFailedError(click.ClickException):
    exit_code = 2


class LockedError(click.ClickException):
    exit_code = 3


def load_training_data(
    source: str, n_synthetic: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    with session_scope() as session:
        db_eps, db_offers = database_episodes(session), database_offers(session)
    if source == "db":
        return db_eps, db_offers
    syn_eps, syn_offers = synthetic_history(n_synthetic, seed=seed)
    if source == "synthetic":
        syn_eps = syn_eps.copy()
        syn_eps["offer_id"] = pd.Series(syn_eps["offer_id"]).astype("Int64")
        return syn_eps, syn_offers
    return combine(db_eps, db_offers, syn_eps, syn_offers)


def load_champion() -> tuple[Any, str | None]:
    from training.artifact import ranker_from_bytes

    with session_scope() as session:
        version = registry.current_aliases(session).get("champion")
        if version is None:
            return None, None
        row = registry.get_version(session, version)
        try:
            return ranker_from_bytes(row.artifact, expected_sha256=row.sha256), version
        except Exception as exc:  # a broken champion is compared as absent (rules reference)
            log.error("champion_unloadable", version=version, error_type=type(exc).__name__)
            return None, None


@contextmanager
def _progress() -> Iterator[Any]:
    """A progress bar on a terminal, structured log lines otherwise (CI, Procfile)."""
    started = time.monotonic()
    if sys.stderr.isatty():
        with click.progressbar(length=len(STEPS), label="Retraining", file=sys.stderr) as bar:

            def tick(step: str) -> None:
                bar.label = f"Retraining: {step}"
                bar.update(1)

            yield tick
    else:

        def note(step: str) -> None:
            log.info("retrain_step", step=step, elapsed_s=round(time.monotonic() - started, 1))

        yield note


def _register(result: RetrainResult, *, source: str) -> str:
    with session_scope() as session:
        row = registry.register_version(
            session,
            artifact=result.artifact,
            library_versions=result.library_versions,
            metrics=result.metrics | {"source": source},
            gates=result.gates.as_dict(),
            model_card=result.model_card,
            plots=result.plots,
            n_train=result.n_train,
            n_test=result.n_test,
            training_window=result.window,
        )
        return row.version


@click.command("retrain")
@click.option("--promote", is_flag=True, help="Bei bestandenen Gates zum Champion machen.")
@click.option(
    "--source",
    type=click.Choice(["db", "synthetic", "both"]),
    default=None,
    help="Datenquelle (Standard: db in Produktion, sonst both).",
)
@click.option(
    "--episodes",
    type=click.IntRange(min=100),
    default=20_000,
    show_default=True,
    help="Anzahl synthetischer Episoden (Demo).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@with_appcontext
def retrain(promote: bool, source: str | None, episodes: int, seed: int) -> None:
    """Kandidat trainieren, prüfen, registrieren und ggf. freigeben."""
    settings = get_settings(current_app)
    source = source or ("db" if settings.environment == "production" else "both")
    config = RetrainConfig(random_state=seed, thresholds=GateThresholds.from_mapping(os.environ))
    started = time.monotonic()
    try:
        with retrain_lock(get_engine()):
            eps, offers = load_training_data(source, episodes, seed)
            champion, champion_version = load_champion()
            log.info("retrain_started", source=source, episodes=len(eps), champion=champion_version)
            with _progress() as progress:
                result = run_retrain(
                    eps,
                    offers,
                    champion=champion,
                    champion_version=champion_version,
                    config=config,
                    progress=progress,
                )
            version = _register(result, source=source)
            promoted = False
            if promote and result.gates.passed:
                with session_scope() as session:
                    registry.promote(session, version, reason="retrain")
                promoted = True
    except RetrainLockedError as exc:
        raise LockedError(str(exc)) from None
    except InsufficientDataError as exc:
        raise click.ClickException(str(exc)) from None
    log.info(
        "retrain_finished",
        version=version,
        gates_passed=result.gates.passed,
        promoted=promoted,
        seconds=round(time.monotonic() - started, 1),
    )
    click.echo(
        f"Version {version} registriert "
        f"({result.n_train} Trainings-, {result.n_test} Testepisoden)."
    )
    if not result.gates.passed:
        raise GateFailedError(f"Gates nicht bestanden, nicht freigegeben: {result.gates.summary()}")
    click.echo(f"Gates bestanden. {'Freigegeben als Champion.' if promoted else ''}".strip())


COMMANDS = [retrain]
