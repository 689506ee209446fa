"""``qualimatch models list|promote VERSION|rollback``: the registry for operators."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from models.enums import RankingMode
from service import registry
from service.db import session_scope
from training.registry import RegistryError, VersionNotFoundError


@click.group("models", cls=AppGroup)
def models_group() -> None:
    """Modellversionen anzeigen, freigeben und zurückrollen."""


@models_group.command("list")
def list_command() -> None:
    """Alle Versionen mit Aliasen, Kennzahlen und Gate-Ergebnis."""
    with session_scope() as session:
        items = registry.list_versions(session)
    if not items:
        click.echo("Keine Modellversionen registriert. / No model versions registered.")
        return
    click.echo(f"{'version':<16} {'aliases':<20} {'gates':<6} {'n_train':>9} sha256")
    for item in items:
        passed = item.gates.get("passed")
        gates = "-" if passed is None else ("ok" if passed else "FAIL")
        aliases = ",".join(item.aliases) or "-"
        click.echo(
            f"{item.version:<16} {aliases:<20} {gates:<6} {item.n_train:>9} {item.sha256[:12]}"
        )


@models_group.command("promote")
@click.argument("version")
def promote_command(version: str) -> None:
    """VERSION zum Champion machen (der bisherige Champion wird ``previous``)."""
    try:
        with session_scope() as session:
            aliases = registry.promote(session, version, reason="cli")
    except VersionNotFoundError:
        raise click.ClickException(f"Version {version} gibt es nicht. / Unknown version.") from None
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Champion: {aliases['champion']} (previous: {aliases.get('previous', '-')})")


@models_group.command("rollback")
def rollback_command() -> None:
    """Zur vorherigen Version zurückkehren."""
    try:
        with session_scope() as session:
            aliases = registry.rollback(session)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Champion: {aliases['champion']} (previous: {aliases.get('previous', '-')})")


@models_group.command("mode")
@click.argument("mode", type=click.Choice([m.value for m in RankingMode]))
def mode_command(mode: str) -> None:
    """Not-Aus: MODE ``rules`` schaltet das Modell ab, ``model`` wieder ein."""
    with session_scope() as session:
        registry.set_ranking_mode(session, RankingMode(mode))
    click.echo(f"Ranking-Modus: {mode}")


COMMANDS = [models_group]
