"""``qualimatch retention run`` and ``qualimatch profiles erase``: the data lifecycle."""

from __future__ import annotations

import click
from flask import current_app
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
@click.option("--dry-run", is_flag=True, help="Nur zählen, nichts löschen.")
def run_command(dry_run: bool) -> None:
    """Alte Empfehlungsprotokolle und lange inaktive Profile löschen."""
    settings = get_settings(current_app)
    with command_session() as session:
        report = run_retention(session, settings=settings, dry_run=dry_run)
    verb = "würden gelöscht" if dry_run else "gelöscht"
    click.echo(
        f"Empfehlungen älter als {settings.recommendation_retention_days} Tage: "
        f"{report.recommendations} (Entscheidungen: {report.decisions}) {verb}.",
        err=True,
    )
    click.echo(
        f"Profile inaktiv seit über {settings.profile_inactive_days} Tagen: {report.profiles} "
        f"(mit {report.profile_recommendations} Empfehlungen, {report.profile_decisions} "
        f"Entscheidungen, {report.profile_outcomes} Ergebnissen) {verb}.",
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
            raise click.ClickException("Kein Profil zu dieser Kundennummer.")
        for profile in found:
            profile_id = profile.id
            counts = erase_profile(session, profile)
            click.echo(
                f"Profil {profile_id} gelöscht, mit {counts['recommendations']} Empfehlungen, "
                f"{counts['decisions']} Entscheidungen und {counts['outcomes']} Ergebnissen.",
                err=True,
            )


COMMANDS = [retention, profiles]
