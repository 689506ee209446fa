"""``qualimatch serve``: the app under gunicorn, as in production."""

from __future__ import annotations

import os
import shutil
import sys

import click
from flask_babel import gettext as _


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=None, type=int, help=_("Standard: WEB_CONCURRENCY oder 2."))
def serve(host: str, port: int, workers: int | None) -> None:
    """Dienst mit gunicorn starten."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
        "gunicorn"
    )
    if gunicorn is None:
        raise click.ClickException(_("gunicorn ist nicht installiert."))
    env = dict(os.environ)
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    env.setdefault("WEB_CONCURRENCY", "2")
    args = [
        gunicorn,
        "--config",
        "python:service.gunicorn_conf",
        "--bind",
        f"{host}:{port}",
        "service.wsgi:app",
    ]
    os.execvpe(gunicorn, args, env)  # noqa: S606 - replaces this process by design
