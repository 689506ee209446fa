"""``qualimatch seed-demo``: demo accounts, synthetic Krefeld-like data and the first model."""

from __future__ import annotations

import secrets
import time

import click
from flask import current_app
from flask_babel import gettext
from sqlmodel import Session, col, select

from models.enums import Role
from models.provider import Provider
from models.user import User
from service import get_settings
from service.accounts import create_user, issue_token
from service.cli.errors import command_session
from service.core.db import session_scope
from service.core.security import hash_password
from service.demo.seed import DEMO_ACCOUNTS, seed_demo


@click.command("seed-demo")
@click.option("--profiles", "n_profiles", default=2000, show_default=True)
@click.option("--offers", "n_offers", default=300, show_default=True)
@click.option("--history", "n_history", default=50_000, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--port", default=8000, show_default=True, help="Port im ausgegebenen Beispiel")
def seed_demo_command(n_profiles: int, n_offers: int, n_history: int, seed: int, port: int) -> None:
    """Demodaten anlegen (idempotent) und Demo-Zugänge ausgeben."""
    settings = get_settings(current_app)
    started = time.monotonic()
    with command_session() as session:
        _ensure_accounts(session, roles_without_provider=True)
        report = seed_demo(
            session,
            n_profiles=n_profiles,
            n_offers=n_offers,
            n_history=n_history,
            seed=seed,
            pseudonym_key=settings.pseudonym_key,
            progress=lambda step: click.echo(f"• {step} …", err=True),
        )
        _ensure_accounts(session, roles_without_provider=False)
    if report.skipped:
        click.echo(
            gettext("Demodaten sind bereits vorhanden – nur die Zugänge werden erneuert."), err=True
        )
    else:
        click.echo(
            gettext(
                "Angelegt: %(providers)s Träger, %(offers)s Angebote, %(profiles)s Profile, "
                "%(history)s frühere Fälle (synthetisch: Empfehlung, Entscheidung, Ergebnis).",
                providers=report.providers,
                offers=report.offers,
                profiles=report.profiles,
                history=report.history,
            ),
            err=True,
        )
        _train_first_model(n_history=n_history, seed=seed)
    click.echo(
        gettext("Fertig in %(seconds)s s.", seconds=f"{time.monotonic() - started:.1f}"), err=True
    )
    _print_logins(port)


def _ensure_accounts(session: Session, *, roles_without_provider: bool) -> None:
    first_provider = session.exec(select(Provider.id).order_by(col(Provider.id))).first()
    for name, role in DEMO_ACCOUNTS:
        if (role == Role.PARTNER) == roles_without_provider:
            continue
        if session.exec(select(User).where(User.username == name)).first() is None:
            create_user(
                session, name, role, provider_id=first_provider if role == Role.PARTNER else None
            )


def _train_first_model(*, n_history: int, seed: int) -> None:
    """Train, evaluate and (if the gates pass) promote the first ranker on the history."""
    from service.cli.retrain import retrain

    click.echo(gettext("• Erstes Modell trainieren und prüfen …"), err=True)
    try:
        click.get_current_context().invoke(
            retrain, promote=True, source="synthetic", episodes=n_history, seed=seed
        )
    except click.ClickException as exc:
        click.echo(
            gettext(
                "Kein Modell freigegeben (%(format_message)s); Empfehlungen laufen im Regelmodus.",
                format_message=exc.format_message(),
            ),
            err=True,
        )


def _print_logins(port: int) -> None:
    settings = get_settings(current_app)
    lines = []
    with session_scope() as session:
        for name, role in DEMO_ACCOUNTS:
            user = session.exec(select(User).where(User.username == name)).one()
            password = secrets.token_urlsafe(9)
            user.password_hash = hash_password(password)
            user.failed_logins = 0
            user.locked_until = None
            session.add(user)
            token, _ = issue_token(session, user, ttl_days=settings.token_ttl_days, label="demo")
            lines.append((name, role.value, password, token))
    click.echo(
        gettext("\nDemo-Zugänge (Passwörter und Tokens werden bei jedem Aufruf neu erzeugt):")
    )
    click.echo(f"{'Benutzer':<14}{'Rolle':<13}{'Passwort':<16}API-Token")
    for username, role_name, password, token in lines:
        click.echo(f"{username:<14}{role_name:<13}{password:<16}{token}")
    click.echo(
        gettext(
            "\nBeispiel: curl -H 'Authorization: Bearer <Token von beratung>' "
            "http://127.0.0.1:%(port)s/api/v1/profiles\n",
            port=port,
        )
    )


COMMANDS = [seed_demo_command]
