"""The per-run report of a course-database import (German messages, JSON-ready)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from service.offers.savepoint import StoredCounts
from service.offers.wbs_mapping import Run


@dataclass
class WbsReport(StoredCounts):
    providers_created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    flagged: list[dict[str, Any]] = field(default_factory=list)

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
