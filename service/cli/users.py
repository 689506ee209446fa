"""``qualimatch users`` and ``qualimatch tokens``: accounts and API tokens for operators.

The rules live in :mod:`service.accounts`; its errors become CLI errors in
:func:`service.cli.errors.command_session`.
"""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import current_app
from flask_babel import gettext
from sqlmodel import Session, select

from models.enums import Role
from models.user import User
from service import accounts, get_settings
from service.cli.errors import command_session
from service.core.audit import CLI
from service.core.db import session_scope

ROLES = click.Choice([r.value for r in Role])
REASON = click.option("--reason", required=True, help=gettext("Grund (wird protokolliert)."))


@click.group()
def users() -> None:
    """Benutzerkonten verwalten."""


@users.command("create")
@click.argument("name")
@click.option("--role", type=ROLES, required=True)
@click.option("--provider-id", type=int, default=None)
@click.option(
    "--password", default=None, help=gettext("Passwort für die Web-Anmeldung (optional).")
)
def create_command(name: str, role: str, provider_id: int | None, password: str | None) -> None:
    """Benutzer anlegen."""
    with command_session() as session:
        user = accounts.create_user(
            session, name, Role(role), provider_id=provider_id, password=password
        )
        click.echo(
            gettext(
                "Benutzer %(username)s (%(role)s) angelegt, id=%(id)s.",
                username=user.username,
                role=user.role,
                id=user.id,
            ),
            err=True,
        )


@users.command("list")
def list_command() -> None:
    """Benutzer auflisten."""
    with session_scope() as session:
        for user in session.exec(select(User).order_by(User.id)):  # type: ignore[arg-type]
            state = "aktiv" if user.is_active else "deaktiviert"
            click.echo(
                f"{user.id}\t{user.username}\t{user.role}\t{user.provider_id or ''}\t{state}"
            )


def _lifecycle(
    name: str, reason: str, change: Callable[[Session, User, str], None], done: str
) -> None:
    with command_session() as session:
        user = accounts.find_user(session, name)
        change(session, user, reason)
    click.echo(done.format(name=name), err=True)


def _lifecycle_command(
    command: str, change: Callable[..., None], done: str, help_text: str
) -> None:
    """Register ``users <command> NAME --reason …`` that applies ``change`` to one account."""

    @users.command(command, help=help_text)
    @click.argument("name")
    @REASON
    def run(name: str, reason: str) -> None:
        _lifecycle(name, reason, lambda s, u, r: change(s, u, reason=r, by=CLI), done)


_lifecycle_command(
    "deactivate",
    accounts.deactivate,
    gettext("{name} deaktiviert."),
    gettext("Konto deaktivieren: Anmeldungen enden, alle Tokens werden widerrufen."),
)
_lifecycle_command(
    "reactivate",
    accounts.reactivate,
    gettext("{name} ist wieder aktiv."),
    gettext("Deaktiviertes Konto wieder zulassen (Tokens bleiben widerrufen)."),
)
_lifecycle_command(
    "reset-second-factor",
    accounts.reset_second_factor,
    gettext("Zweiter Faktor von {name} zurückgesetzt."),
    gettext("Zweiten Faktor zurücksetzen: beim nächsten Anmelden wird er neu eingerichtet."),
)


@users.command("reset-password")
@click.argument("name")
@REASON
def reset_password_command(name: str, reason: str) -> None:
    """Einmalcode statt Passwort setzen (nur der Code erscheint auf stdout)."""
    with command_session() as session:
        user = accounts.find_user(session, name)
        code = accounts.reset_password(session, user, reason=reason, by=CLI)
    click.echo(
        gettext("%(name)s muss beim nächsten Anmelden ein neues Passwort setzen.", name=name),
        err=True,
    )
    click.echo(code)


@users.command("set-role")
@click.argument("name")
@click.option("--role", type=ROLES, required=True)
@click.option("--provider-id", type=int, default=None)
@REASON
def set_role_command(name: str, role: str, provider_id: int | None, reason: str) -> None:
    """Rolle ändern: Anmeldungen enden, alle Tokens werden widerrufen."""
    with command_session() as session:
        user = accounts.find_user(session, name)
        accounts.change_role(
            session, user, Role(role), provider_id=provider_id, reason=reason, by=CLI
        )
    click.echo(gettext("%(name)s hat jetzt die Rolle %(role)s.", name=name, role=role), err=True)


@click.group()
def tokens() -> None:
    """API-Tokens ausgeben und widerrufen."""


@tokens.command("issue")
@click.argument("name")
@click.option("--label", default="cli")
@click.option("--ttl-days", type=click.IntRange(min=1), default=None)
@click.option("--reason", default="", help=gettext("Grund (wird protokolliert)."))
def issue_command(name: str, label: str, ttl_days: int | None, reason: str) -> None:
    """Neues Token für NAME ausgeben (nur das Token erscheint auf stdout)."""
    settings = get_settings(current_app)
    with command_session() as session:
        user = accounts.find_user(session, name)
        token, _ = accounts.issue_operator_token(
            session, user, ttl_days=ttl_days or settings.token_ttl_days, label=label, reason=reason
        )
    click.echo(token)


@tokens.command("revoke")
@click.argument("token_id", type=int)
@click.option("--reason", default="", help=gettext("Grund (wird protokolliert)."))
def revoke_command(token_id: int, reason: str) -> None:
    """Token mit der angegebenen ID widerrufen."""
    with command_session() as session:
        accounts.revoke_token(session, token_id, by=CLI, reason=reason)
    click.echo(gettext("Token %(token_id)s widerrufen.", token_id=token_id), err=True)
