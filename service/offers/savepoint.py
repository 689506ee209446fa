"""Import writes in savepoints: a chunk or row that fails rolls back alone, and its error
becomes a report entry instead of ending the import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from service.core.domain_errors import DomainError

StoreError = DomainError | IntegrityError


@dataclass
class StoredCounts:
    """What an import stored; a savepoint's counts join the run's once it commits."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    created_ids: list[int] = field(default_factory=list)

    def add(self, other: StoredCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.created_ids.extend(other.created_ids)

    def as_dict(self) -> dict[str, Any]:
        """Everything but ``created_ids``, which stays internal."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "created_ids"}


def in_savepoint(session: Session, write: Callable[[], None]) -> StoreError | None:
    """Run ``write`` in a savepoint; the error that rolled it back, or ``None``."""
    try:
        with session.begin_nested():
            write()
    except (DomainError, IntegrityError) as exc:
        return exc
    return None


def failure(exc: StoreError) -> tuple[str, str]:
    """Code and German message for a report entry (a database conflict says no more)."""
    if isinstance(exc, DomainError):
        return exc.code, exc.message
    return "conflict", _("Konflikt beim Speichern.")
