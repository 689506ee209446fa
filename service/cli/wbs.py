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
from flask_babel import gettext as _

from models.enums import Role
from models.user import User
from service.cli.errors import command_session
from service.offers.wbs_format import WbsFileProblem
from service.offers.wbs_import import count_runs, import_wbs, read_file
from service.offers.wbs_report import WbsReport


@click.command("import-wbs")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=_("Bericht als JSON ausgeben."))
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
            unreadable.append(_("%(path)s: Datei nicht lesbar.", path=path))
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
        click.echo(_("Fehler: %(problem)s", problem=problem), err=True)
    if unreadable:
        raise SystemExit(1)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; silent in CI and in pipes."""
    if not sys.stderr.isatty():
        yield lambda _n: None
        return
    with click.progressbar(length=total, label=_("Termine"), file=sys.stderr) as bar:
        yield bar.update


def report_lines(report: WbsReport) -> list[str]:
    """The per-row report in German, one line per refused or flagged run."""
    lines = [
        _(
            "%(created)s neu angelegt (zur Prüfung eingereicht), %(updated)s aktualisiert, "
            "%(unchanged)s unverändert, %(count)s nicht übernommen, %(count2)s zur Prüfung "
            "markiert, %(providers_created)s Träger neu.",
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            count=len(report.errors),
            count2=len(report.flagged),
            providers_created=report.providers_created,
        )
    ]
    for error in report.errors:
        lines.append(
            _(
                "Nicht übernommen: %(where)s: %(message)s",
                where=_where(error),
                message=error["message"],
            )
        )
    for flagged in report.flagged:
        lines.append(
            _(
                "Zur Prüfung markiert: %(where)s „%(title)s“: ",
                where=_where(flagged),
                title=flagged["title"],
            )
            + " ".join(flagged["messages"])
        )
    return lines


def _where(entry: dict[str, Any]) -> str:
    ref = entry.get("ref") or _("ohne id")
    source = entry.get("source")
    line: str = _(
        "Termin %(row)s (%(ref)s%(source)s)",
        row=entry["row"],
        ref=ref,
        source=", " + source if source else "",
    )
    return line


def _operator() -> User:
    """The CLI acts with coordinator rights; it is not a stored account."""
    return User(id=None, username="cli", role=Role.COORDINATOR)
