"""``qualimatch offers import-wbs FILE…``: runs saved from the federal course database."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from models.enums import Role
from models.user import User
from service.cli.errors import command_session
from service.offers.wbs_format import WbsFileProblem
from service.offers.wbs_import import count_runs, import_wbs, read_file
from service.offers.wbs_report import WbsReport


@click.command("import-wbs")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Bericht als JSON ausgeben.")
@with_appcontext
def import_wbs_files(files: tuple[Path, ...], as_json: bool) -> None:
    """Gespeicherte Antworten der Weiterbildungssuche importieren (eine Seite je Datei oder
    eine Liste von Seiten). Neue Angebote werden zur Prüfung eingereicht. Exit-Code 1, wenn
    eine Datei nicht lesbar ist (die lesbaren werden trotzdem importiert)."""
    loaded, unreadable = [], []
    for path in files:
        try:
            loaded.append(read_file(path.name, path.read_bytes()))
        except OSError:
            unreadable.append(f"{path}: Datei nicht lesbar.")
        except WbsFileProblem as exc:
            unreadable.append(f"{path}: {exc.message}")
    report = WbsReport()
    if loaded:
        with command_session() as session, _progress(count_runs(loaded)) as step:
            report = import_wbs(session, loaded, user=_operator(), progress=step)
    if as_json:
        click.echo(json.dumps(report.as_dict() | {"unreadable": unreadable}, ensure_ascii=False))
    else:
        for line in report_lines(report):
            click.echo(line)
    for problem in unreadable:
        click.echo(f"Fehler: {problem}", err=True)
    if unreadable:
        raise SystemExit(1)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; silent in CI and in pipes."""
    if not sys.stderr.isatty():
        yield lambda _n: None
        return
    with click.progressbar(length=total, label="Termine", file=sys.stderr) as bar:
        yield bar.update


def report_lines(report: WbsReport) -> list[str]:
    """The per-row report in German, one line per refused or flagged run."""
    lines = [
        f"{report.created} neu angelegt (zur Prüfung eingereicht), {report.updated} aktualisiert, "
        f"{report.unchanged} unverändert, {len(report.errors)} nicht übernommen, "
        f"{len(report.flagged)} zur Prüfung markiert, {report.providers_created} Träger neu."
    ]
    for error in report.errors:
        lines.append(f"Nicht übernommen: {_where(error)}: {error['message']}")
    for flagged in report.flagged:
        lines.append(
            f"Zur Prüfung markiert: {_where(flagged)} „{flagged['title']}“: "
            + " ".join(flagged["messages"])
        )
    return lines


def _where(entry: dict[str, Any]) -> str:
    ref = entry.get("ref") or "ohne id"
    source = entry.get("source")
    return f"Termin {entry['row']} ({ref}{', ' + source if source else ''})"


def _operator() -> User:
    """The CLI acts with coordinator rights; it is not a stored account."""
    return User(id=None, username="cli", role=Role.COORDINATOR)
