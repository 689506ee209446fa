"""``qualimatch db``: schema migrations and the occupation classification."""

from __future__ import annotations

import click
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Engine

from service.core import migrations
from service.core.db import get_engine, session_scope
from service.occupations import load_occupations


@click.group()
def db() -> None:
    """Datenbank: Migrationen und Stammdaten."""


@db.command()
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Auf den neuesten Stand migrieren und die KldB 2010 laden."""
    engine = get_engine(current_app)
    newer = _revision_unknown_to_code(engine)
    if newer is not None:
        # A rollback to an older release: the schema is ahead of this code. Leave it alone;
        # migrations are additive, so older code runs on the newer schema.
        click.echo(
            _(
                "WARNUNG: Die Datenbank steht auf Revision %(newer)s, die dieser Version "
                "unbekannt ist (neuere Version?). Keine Migration ausgeführt.",
                newer=newer,
            ),
            err=True,
        )
        return
    migrations.upgrade(engine, revision)
    click.echo(
        _(
            "Schema auf Stand %(current_revision)s.",
            current_revision=migrations.current_revision(engine),
        ),
        err=True,
    )
    if revision == "head":
        with session_scope() as session:
            loaded = load_occupations(session)
        if loaded:
            click.echo(_("KldB 2010 geladen: %(loaded)s Einträge.", loaded=loaded), err=True)


def _revision_unknown_to_code(engine: Engine) -> str | None:
    current = migrations.current_revision(engine)
    if current is None:
        return None
    scripts = ScriptDirectory.from_config(migrations.alembic_config(engine))
    try:
        scripts.get_revision(current)
    except CommandError:
        return current
    return None


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Auf eine ältere Revision zurück migrieren (z. B. ``-1``)."""
    migrations.downgrade(get_engine(current_app), revision)


@db.command()
def current() -> None:
    """Aktuelle Revision anzeigen."""
    click.echo(migrations.current_revision(get_engine(current_app)) or "(leer)")


@db.command()
@click.option("-m", "--message", required=True)
def revision(message: str) -> None:
    """Neue Migration aus den Modellen erzeugen (Entwicklung)."""
    migrations.revision(get_engine(current_app), message)


@db.command()
def check() -> None:
    """Prüfen, ob Modelle und Migrationen übereinstimmen."""
    diffs = migrations.pending_differences(get_engine(current_app))
    if diffs:
        raise click.ClickException(
            _("%(count)s Abweichungen zwischen Modellen und Migrationen.", count=len(diffs))
        )
    click.echo(_("Modelle und Migrationen stimmen überein."))
