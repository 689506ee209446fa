"""The CLI adapter for domain errors: the one place they become ``click`` errors.

A command that calls domain code runs it in :func:`command_session`: the work commits when the
command's block ends, and a domain error rolls it back and ends the command with the error's
German message (exit code 1), never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlmodel import Session

from service.core.db import session_scope
from service.core.domain_errors import DomainError


def cli_message(exc: DomainError) -> str:
    """What the operator reads for a domain error."""
    return exc.message


@contextmanager
def domain_errors_as_click() -> Iterator[None]:
    """Turn a domain error raised inside the block into a :class:`click.ClickException`."""
    try:
        yield
    except DomainError as exc:
        raise click.ClickException(cli_message(exc)) from None


@contextmanager
def command_session() -> Iterator[Session]:
    """The command's unit of work: committed at the end, rolled back on any error."""
    with domain_errors_as_click(), session_scope() as session:
        yield session
