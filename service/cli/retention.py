"""``qualimatch retention run`` and ``qualimatch profiles erase``: the data lifecycle."""

from __future__ import annotations

import click
from flask import current_app
from flask_babel import gettext as _
from sqlmodel import select

from models.profile import Profile
from service import get_settings
from service.caseload.retention import erase_profile, run_retention
from service.cli.errors import command_session
from service.core.security import pseudonym


@click.group()
def retention() -> None:
    """Aufbewahrungsfristen durchsetzen."""


@retention.command("run")
@click.option("--dry-run", is_flag=True, help=_("Nur zählen, nichts löschen."))
def run_command(dry_run: bool) -> None:
    """Alte Empfehlungsprotokolle und lange inaktive Profile löschen."""
    settings = get_settings(current_app)
    with command_session() as session:
        report = run_retention(session, settings=settings, dry_run=dry_run)
    verb = _("würden gelöscht") if dry_run else _("gelöscht")
    counts = report.as_dict()  # each message picks the counts it names
    click.echo(
        _(
            "Empfehlungen älter als %(recommendation_retention_days)s Tage: %(recommendations)s "
            "(Entscheidungen: %(decisions)s) %(verb)s.",
            recommendation_retention_days=settings.recommendation_retention_days,
            verb=verb,
            **counts,
        ),
        err=True,
    )
    click.echo(
        _(
            "Profile inaktiv seit über %(profile_inactive_days)s Tagen: %(profiles)s (mit "
            "%(profile_recommendations)s Empfehlungen, %(profile_decisions)s Entscheidungen, "
            "%(profile_outcomes)s Ergebnissen) %(verb)s.",
            profile_inactive_days=settings.profile_inactive_days,
            verb=verb,
            **counts,
        ),
        err=True,
    )


@click.group()
def profiles() -> None:
    """Profile verwalten (Betrieb)."""


@profiles.command("erase")
@click.option("--client-number", required=True, prompt=True, hide_input=True)
def erase_command(client_number: str) -> None:
    """Ein Profil samt Empfehlungen, Entscheidungen und Ergebnissen endgültig löschen."""
    key = get_settings(current_app).pseudonym_key
    with command_session() as session:
        # One per caseload at most, but a person may be in several caseloads: erase them all.
        found = session.exec(
            select(Profile).where(Profile.pseudonym == pseudonym(client_number, key=key))
        ).all()
        if not found:
            raise click.ClickException(_("Kein Profil zu dieser Kundennummer."))
        for profile in found:
            profile_id = profile.id
            counts = erase_profile(session, profile)
            click.echo(
                _(
                    "Profil %(profile_id)s gelöscht, mit %(recommendations)s Empfehlungen, "
                    "%(decisions)s Entscheidungen und %(outcomes)s Ergebnissen.",
                    profile_id=profile_id,
                    recommendations=counts["recommendations"],
                    decisions=counts["decisions"],
                    outcomes=counts["outcomes"],
                ),
                err=True,
            )


COMMANDS = [retention, profiles]
