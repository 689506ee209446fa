"""The ``qualimatch`` command: one CLI for operators, the Procfile and the demo."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from service import create_app_or_exit

    return create_app_or_exit()


@click.group(
    cls=FlaskGroup, create_app=_create_app, add_version_option=False, add_default_commands=False
)
def main() -> None:
    """qualimatch – Qualifizierungsempfehlungen für Arbeitsuchende."""


def register_commands(app: Flask) -> None:
    from service.cli import db, models, offers, retention, retrain, seed, serve, users

    for group in (db.db, users.users, users.tokens, serve.serve):
        app.cli.add_command(group)
    for module in (seed, offers, retrain, models, retention):
        for command in module.COMMANDS:
            app.cli.add_command(command)
