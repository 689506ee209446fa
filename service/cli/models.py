"""``qualimatch models list|promote VERSION|rollback``: the registry for operators."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from models.enums import RankingMode
from service.core.db import session_scope
from service.ranking import registry
from training.release.registry import GatesNotPassedError, RegistryError, VersionNotFoundError


@click.group("models", cls=AppGroup)
def models_group() -> None:
    """Modellversionen anzeigen, freigeben und zurückrollen."""


@models_group.command("list")
def list_command() -> None:
    """Alle Versionen mit Aliasen, Kennzahlen und Gate-Ergebnis."""
    with session_scope() as session:
        items = registry.list_versions(session)
    if not items:
        click.echo(_("Keine Modellversionen registriert."))
        return
    click.echo(f"{'Version':<16} {'Aliase':<20} {'Gates':<16} {'Training':>9} SHA-256")
    for item in items:
        passed = item.gates.get("passed")
        gates = "–" if passed is None else (_("bestanden") if passed else _("NICHT bestanden"))
        aliases = ",".join(item.aliases) or "-"
        click.echo(
            f"{item.version:<16} {aliases:<20} {gates:<16} {item.n_train:>9} {item.sha256[:12]}"
        )


REASON_OPTION = click.option(
    "--reason",
    default=None,
    help=_("Begründung für das Prüfprotokoll (bei --override-gates Pflicht)."),
)


@models_group.command("promote")
@click.argument("version")
@click.option(
    "--override-gates",
    is_flag=True,
    help=_("Eine Version mit nicht bestandenen Gates als Ausnahme freigeben (mit --reason)."),
)
@REASON_OPTION
def promote_command(version: str, override_gates: bool, reason: str | None) -> None:
    """VERSION zum Champion machen (der bisherige Champion wird ``previous``)."""
    try:
        with session_scope() as session:
            aliases = registry.promote(
                session, version, reason=reason, override_gates=override_gates
            )
    except VersionNotFoundError:
        raise click.ClickException(
            _("Version %(version)s gibt es nicht.", version=version)
        ) from None
    except GatesNotPassedError as exc:
        failed = "\n".join(f"  - {f['label']}: {f['message']}" for f in exc.failed)
        raise click.ClickException(
            _(
                '%(exc)s\nNicht bestanden:\n%(failed)s\nAusnahme: --override-gates --reason "…"',
                exc=exc,
                failed=failed,
            )
        ) from None
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_aliases_line(aliases))


@models_group.command("rollback")
@REASON_OPTION
def rollback_command(reason: str | None) -> None:
    """Zur vorherigen Version zurückkehren."""
    try:
        with session_scope() as session:
            aliases = registry.rollback(session, reason=reason)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_aliases_line(aliases))


@models_group.command("mode")
@click.argument("mode", type=click.Choice([m.value for m in RankingMode]))
@REASON_OPTION
def mode_command(mode: str, reason: str | None) -> None:
    """Not-Aus: MODE ``rules`` schaltet das Modell ab, ``model`` wieder ein."""
    with session_scope() as session:
        registry.set_ranking_mode(session, RankingMode(mode), reason=reason)
    click.echo(
        _(
            "Ranking-Modus: %(mode)s",
            mode=_("Regelbetrieb") if mode == RankingMode.RULES else _("Modell"),
        )
    )


def _aliases_line(aliases: dict[str, str]) -> str:
    line: str = _(
        "Champion: %(champion)s (vorherige: %(previous)s)",
        champion=aliases["champion"],
        previous=aliases.get("previous", "–"),
    )
    return line


COMMANDS = [models_group]
