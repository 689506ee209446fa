"""``qualimatch offers``: expire past offers, import a provider's CSV file or runs saved from
the federal course database (:mod:`service.cli.wbs`)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from models.enums import Role
from models.provider import Provider
from models.user import User
from service import get_settings
from service.cli.errors import command_session
from service.cli.wbs import import_wbs_files
from service.core.clock import local_today
from service.offers.csv_import import import_csv
from service.offers.search import refresh_next_starts
from service.offers.workflow import expire_offers


@click.group("offers", cls=AppGroup)
def offers() -> None:
    """Angebote verwalten."""


@offers.command("expire")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
def expire(today: object) -> None:
    """Freigegebene Angebote ohne künftigen Starttermin auf „abgelaufen“ setzen und den
    nächsten Starttermin für die Suche auffrischen (täglich ausführen)."""
    day = today.date() if hasattr(today, "date") else local_today()
    with command_session() as session:
        expired = expire_offers(session, today=day)
        refreshed = refresh_next_starts(session, today=day)
    click.echo(_("%(count)s Angebot(e) abgelaufen.", count=len(expired)))
    click.echo(
        _(
            "Nächster Starttermin bei %(refreshed)s Angebot(en) für die Suche aktualisiert.",
            refreshed=refreshed,
        )
    )


@offers.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--provider", "provider_id", type=int, required=True, help=_("Träger-ID"))
def import_file(file: Path, provider_id: int) -> None:
    """CSV-Datei für einen Träger importieren; druckt den Bericht als JSON."""
    settings = get_settings(current_app)
    data = file.read_bytes()
    if len(data) > settings.max_upload_bytes:
        raise click.ClickException(_("Die Datei ist zu groß."))
    with command_session() as session:
        if session.get(Provider, provider_id) is None:
            raise click.ClickException(
                _("Träger %(provider_id)s existiert nicht.", provider_id=provider_id)
            )
        report = import_csv(
            session,
            data,
            user=_operator(),
            provider_id=provider_id,
            max_rows=settings.max_import_rows,
        )
    click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    if report.errors:
        raise SystemExit(1)


def _operator() -> User:
    """The CLI acts with coordinator rights; it is not a stored account."""
    return User(id=None, username="cli", role=Role.COORDINATOR)


offers.add_command(import_wbs_files)
COMMANDS = [offers]
