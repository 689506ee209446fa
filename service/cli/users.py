"""``qualimatch users`` and ``qualimatch tokens``: accounts and API tokens."""

from __future__ import annotations

import click
from flask import current_app
from sqlmodel import Session, select

from models.base import utcnow
from models.enums import Role
from models.provider import Provider
from models.user import USERNAME_PATTERN, ApiToken, User
from service import audit, get_settings
from service.auth import issue_token
from service.db import session_scope
from service.security import hash_password


@click.group()
def users() -> None:
    """Benutzerkonten verwalten."""


def create_user(
    session: Session,
    name: str,
    role: Role,
    *,
    provider_id: int | None = None,
    password: str | None = None,
) -> User:
    """Validated account creation shared by the CLI, the seed and the admin UI."""
    import re

    if not re.match(USERNAME_PATTERN, name):
        raise click.ClickException("Benutzername: 3–64 Zeichen, Kleinbuchstaben, Ziffern, . _ -")
    if session.exec(select(User).where(User.username == name)).first():
        raise click.ClickException(f"Benutzer {name!r} existiert bereits.")
    if role == Role.PARTNER:
        if provider_id is None:
            raise click.ClickException("Partner-Konten brauchen --provider-id.")
        if session.get(Provider, provider_id) is None:
            raise click.ClickException(f"Träger {provider_id} existiert nicht.")
    elif provider_id is not None:
        raise click.ClickException("--provider-id gilt nur für die Rolle partner.")
    user = User(
        username=name,
        role=role,
        provider_id=provider_id,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, "user.create", "user", user.id, detail={"role": role.value}, actor_role="cli"
    )
    return user


@users.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--provider-id", type=int, default=None)
@click.option("--password", default=None, help="Passwort für die Web-Anmeldung (optional).")
def create_command(name: str, role: str, provider_id: int | None, password: str | None) -> None:
    """Benutzer anlegen."""
    with session_scope() as session:
        user = create_user(session, name, Role(role), provider_id=provider_id, password=password)
        click.echo(f"Benutzer {user.username} ({user.role}) angelegt, id={user.id}.", err=True)


@users.command("list")
def list_command() -> None:
    """Benutzer auflisten."""
    with session_scope() as session:
        for user in session.exec(select(User).order_by(User.id)):  # type: ignore[arg-type]
            click.echo(f"{user.id}\t{user.username}\t{user.role}\t{user.provider_id or ''}")


@click.group()
def tokens() -> None:
    """API-Tokens ausgeben und widerrufen."""


@tokens.command("issue")
@click.argument("name")
@click.option("--label", default="cli")
@click.option("--ttl-days", type=int, default=None)
def issue_command(name: str, label: str, ttl_days: int | None) -> None:
    """Neues Token für NAME ausgeben (nur das Token erscheint auf stdout)."""
    settings = get_settings(current_app)
    with session_scope() as session:
        user = session.exec(select(User).where(User.username == name)).first()
        if user is None:
            raise click.ClickException(f"Benutzer {name!r} nicht gefunden.")
        token, row = issue_token(
            session, user, ttl_days=ttl_days or settings.token_ttl_days, label=label
        )
        session.flush()
        audit.record(session, "token.issue", "api_token", row.id, actor_role="cli")
    click.echo(token)


@tokens.command("revoke")
@click.argument("token_id", type=int)
def revoke_command(token_id: int) -> None:
    """Token mit der angegebenen ID widerrufen."""
    with session_scope() as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise click.ClickException(f"Token {token_id} nicht gefunden.")
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(session, "token.revoke", "api_token", token_id, actor_role="cli")
    click.echo(f"Token {token_id} widerrufen.", err=True)
