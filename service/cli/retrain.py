"""``qualimatch retrain [--promote] [--source db|synthetic|both] [--episodes N]``.

The source is the database unless synthetic episodes are asked for explicitly (the demo does);
in production they are refused. Exit codes: 0 registered (and promoted when asked and all gates
pass), 1 insufficient data or a refused source, 2 a gate failed (the version stays registered
as ``candidate`` for inspection), 3 another retrain holds the lock, 4 an unexpected error
(logged by type; never a traceback on the terminal).
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
from flask_babel import gettext as _

from service.core.config import get_settings
from service.core.db import get_engine, session_scope
from service.ranking import registry
from service.ranking.retrain_data import (
    combine,
    database_episodes,
    database_offers,
    describe_source,
)
from service.ranking.retrain_lock import RetrainLockedError, retrain_lock
from training.release.artifact import ranker_from_bytes
from training.release.gates import GateThresholds
from training.release.retrain import (
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


class UnexpectedError(click.ClickException):
    exit_code = 4


MISSING = {
    "db": _(
        "Es fehlen in der Datenbank Ergebnisse mit Beschäftigungsstand nach 6 Monaten "
        "(Stichtag erreicht) zu gespeicherten Empfehlungen – mit und ohne Teilnahme an einer "
        "Maßnahme. Für die Demo: `qualimatch seed-demo` legt eine frühere Historie an."
    ),
    "synthetic": _("Mehr synthetische Episoden angeben (--episodes)."),
    "both": _(
        "Es fehlen Ergebnisse in der Datenbank; mehr synthetische Episoden angeben (--episodes)."
    ),
}


def load_training_data(
    source: str, n_synthetic: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Episodes, offers and a description of where they came from."""
    with session_scope() as session:
        db_eps, db_offers = database_episodes(session), database_offers(session)
    if source == "db":
        eps, offers = db_eps, db_offers
    else:
        syn_eps, syn_offers = synthetic_history(n_synthetic, seed=seed)
        if source == "synthetic":
            eps = syn_eps.copy()
            eps["offer_id"] = pd.Series(eps["offer_id"]).astype("Int64")
            eps["synthetic"] = True
            offers = syn_offers
        else:
            eps, offers = combine(db_eps, db_offers, syn_eps, syn_offers)
    description = describe_source(source, eps)
    return eps.drop(columns=["synthetic"]), offers, description


def _source(requested: str | None) -> str:
    production = get_settings(current_app).environment == "production"
    if requested in ("synthetic", "both") and production:
        raise click.ClickException(
            _(
                "Synthetische Episoden sind in Produktion nicht zulässig; "
                "bitte mit --source db aus der Datenbank trainieren."
            )
        )
    return requested or "db"


def load_champion() -> tuple[Any, str | None]:

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
        with click.progressbar(length=len(STEPS), label=_("Retraining"), file=sys.stderr) as bar:

            def tick(step: str) -> None:
                bar.label = _("Retraining: %(step)s", step=step)
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
@click.option("--promote", is_flag=True, help=_("Bei bestandenen Gates zum Champion machen."))
@click.option(
    "--source",
    type=click.Choice(["db", "synthetic", "both"]),
    default=None,
    help=_("Datenquelle (Standard: db). synthetic/both nur ausdrücklich und nie in Produktion."),
)
@click.option(
    "--episodes",
    type=click.IntRange(min=100),
    default=20_000,
    show_default=True,
    help=_("Anzahl synthetischer Episoden (Demo)."),
)
@click.option("--seed", type=int, default=0, show_default=True)
@with_appcontext
def retrain(promote: bool, source: str | None, episodes: int, seed: int) -> None:
    """Kandidat trainieren, prüfen, registrieren und ggf. freigeben."""
    source = _source(source)
    thresholds = GateThresholds.from_mapping(os.environ)
    started = time.monotonic()
    try:
        with retrain_lock(get_engine()):
            eps, offers, description = load_training_data(source, episodes, seed)
            config = RetrainConfig(
                random_state=seed,
                thresholds=thresholds,
                data_source=description,
                threads=get_settings(current_app).training_threads,
            )
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
        raise click.ClickException(f"{exc} {MISSING[source]}") from None
    except click.ClickException:
        raise
    except Exception as exc:  # the operator gets a message, the log the error type
        log.error("retrain_failed", source=source, error_type=type(exc).__name__)
        raise UnexpectedError(
            _(
                "Retraining abgebrochen: unerwarteter Fehler (%(name)s); es wurde kein Modell "
                "registriert.",
                name=type(exc).__name__,
            )
        ) from None
    log.info(
        "retrain_finished",
        version=version,
        gates_passed=result.gates.passed,
        promoted=promoted,
        seconds=round(time.monotonic() - started, 1),
    )
    click.echo(
        _(
            "Version %(version)s registriert (Quelle: %(label)s; %(n_train)s Trainings- und "
            "%(n_test)s Testepisoden).",
            version=version,
            label=description["label"],
            n_train=result.n_train,
            n_test=result.n_test,
        )
    )
    if not result.gates.passed:
        raise GateFailedError(
            _(
                "Gates nicht bestanden, nicht freigegeben: %(summary)s",
                summary=result.gates.summary(),
            )
        )
    click.echo(
        _("Gates bestanden. Freigegeben als Champion.") if promoted else _("Gates bestanden.")
    )


COMMANDS = [retrain]
