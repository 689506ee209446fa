"""The per-run report of a course-database import (German messages, JSON-ready)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from service.offers.wbs_mapping import Run


@dataclass
class WbsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    providers_created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    flagged: list[dict[str, Any]] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)

    def error(self, run: Run, column: str | None, code: str, message: str) -> None:
        self.errors.append(
            {
                "row": run.row,
                "ref": run.ref,
                "source": run.source,
                "column": column,
                "code": code,
                "message": message,
            }
        )

    def add(self, other: WbsReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.created_ids.extend(other.created_ids)

    def as_dict(self) -> dict[str, Any]:
        """Everything but ``created_ids``, which stays internal."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "created_ids"}
