"""CSV import of offers: parse rows (file reading: csv_file.py), store each row on its own.

A file-level problem (empty, binary, unknown header, too many rows) rejects the whole file with
422. Otherwise every valid row is saved and every invalid row is reported with row number (the
header is row 1), column, error code and a German message; a row is stored all or nothing
(rows go in chunks of one savepoint each, a failing chunk is redone row by row). Rows are
matched on (provider, ``Referenz``), so importing the same file again changes nothing. New
offers start as drafts: the partner looks at the flags and submits them deliberately.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError
from sqlalchemy import insert
from sqlmodel import Session, col, select

from models.base import utcnow
from models.enums import OfferStatus
from models.offer import Offer, OfferBase, OfferCreate
from models.user import User
from service.core import audit
from service.core.audit import Actor
from service.core.clock import local_today
from service.core.domain_errors import Invalid
from service.offers import access
from service.offers.crud import stage_edit
from service.offers.csv_file import FileProblem, Layout, decode, map_header, read_records
from service.offers.csv_format import (
    BY_FIELD,
    COLUMNS,
    TEMPLATE_ROW,
    CellError,
    Column,
)
from service.offers.fields import (
    CUSTOM_FIELDS,
    changed_fields,
    code_errors,
    german_details,
    merged,
    storage_values,
)
from service.offers.quality import DuplicateIndex, compute_flags
from service.offers.savepoint import StoredCounts, failure, in_savepoint

MAX_CELL_CHARS = 10_000
MAX_WARNINGS = 100
CHUNK_ROWS = 250


@dataclass
class ImportReport(StoredCounts):
    errors: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    ignored_column_count: int = 0
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def error(self, row: int | None, column: str | None, code: str, message: str) -> None:
        self.errors.append({"row": row, "column": column, "code": code, "message": message})


def parse_row(cells: list[str], layout: Layout, row: int, report: ImportReport) -> OfferBase | None:
    """One record to validated offer content; errors go to ``report``."""
    values: dict[str, Any] = {}
    errors_before = len(report.errors)
    for name, position in layout.positions.items():
        column: Column = BY_FIELD[name]
        raw = cells[position] if position < len(cells) else ""
        header = layout.headers[name]
        if not raw.strip():
            if column.required:
                report.error(row, header, "required", _("Pflichtfeld fehlt."))
            continue
        if len(raw) > MAX_CELL_CHARS:
            report.error(row, header, "too_long", _("Der Eintrag ist zu lang."))
            continue
        try:
            values[name] = column.parse(raw)
        except CellError as exc:
            report.error(row, header, exc.code, exc.message)
    if len(report.errors) > errors_before:
        return None
    values.setdefault("seats_free", values.get("seats_total"))
    try:
        # The model of the API and the offer form, so a file passes exactly the same rules.
        return OfferCreate.model_validate(values)
    except ValidationError as exc:
        for detail in german_details(exc):
            name = (detail["field"] or "").split(".")[0] or CUSTOM_FIELDS.get(detail["code"], "")
            column_header: str | None = layout.headers.get(name)
            if column_header is None and name in BY_FIELD:
                column_header = BY_FIELD[name].header
            report.error(row, column_header, detail["code"], detail["message"])
        return None


def _cp1252_warning(line: int) -> dict[str, Any]:
    return {
        "row": line,
        "column": None,
        "code": "decoded_as_cp1252",
        "message": _("Zeile war nicht UTF-8, als Windows-1252 gelesen; bitte Umlaute prüfen."),
    }


def import_csv(
    session: Session,
    data: bytes,
    *,
    user: User,
    provider_id: int | None,
    max_rows: int,
    today: date | None = None,
) -> ImportReport:
    """Import a CSV file for one provider (partners: always their own)."""
    target = access.target_provider(session, user, provider_id)
    decoded = decode(data)
    records = read_records(decoded.text)
    layout = map_header(records[0])
    rows = [(i + 2, r) for i, r in enumerate(records[1:]) if any(cell.strip() for cell in r)]
    if len(rows) > max_rows:
        raise FileProblem(
            _("Zu viele Zeilen: höchstens %(max_rows)s Angebote pro Datei.", max_rows=max_rows),
            code="too_many_rows",
        )
    report = ImportReport(
        ignored_columns=layout.ignored,
        ignored_column_count=layout.ignored_count,
        warnings=[_cp1252_warning(line) for line in decoded.cp1252_lines[:MAX_WARNINGS]],
    )
    importer = _Importer(session, user=user, provider_id=target, today=today or local_today())
    seen: dict[str, int] = {}
    valid: list[tuple[int, OfferBase]] = []
    for row, cells in rows:
        content = parse_row(cells, layout, row, report)
        if content is None:
            continue
        first = seen.get(content.external_ref)
        if first is not None:
            report.error(
                row,
                layout.headers["external_ref"],
                "duplicate_ref",
                _(
                    "Referenz kommt in der Datei mehrfach vor (zuerst in Zeile %(first)s).",
                    first=first,
                ),
            )
            continue
        seen[content.external_ref] = row
        if importer.codes_known(row, content, layout, report):
            valid.append((row, content))
    importer.store_all(valid, report)
    audit.record(
        session,
        "offer.import",
        "provider",
        target,
        detail={
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": len(report.errors),
            "created_ids": report.created_ids,
        },
        by=Actor.of(user),
    )
    session.commit()
    return report


class _Importer:
    def __init__(self, session: Session, *, user: User, provider_id: int, today: date) -> None:
        self.session = session
        self.user = user
        self.provider_id = provider_id
        self.today = today
        self.index = DuplicateIndex.load(session)
        self.existing = {
            o.external_ref: o
            for o in session.exec(select(Offer).where(Offer.provider_id == provider_id))
        }

    def codes_known(
        self, row: int, content: OfferBase, layout: Layout, report: ImportReport
    ) -> bool:
        unknown = code_errors(self.session, content.target_occupations)
        for detail in unknown:
            report.error(
                row, layout.headers.get("target_occupations"), detail["code"], detail["message"]
            )
        return not unknown

    def store_all(self, items: list[tuple[int, OfferBase]], report: ImportReport) -> None:
        """Chunks in one savepoint each (fast); a failing chunk is redone row by row, so
        each row is still all-or-nothing."""
        for start in range(0, len(items), CHUNK_ROWS):
            chunk = items[start : start + CHUNK_ROWS]
            trial = ImportReport()
            contents = [content for _row, content in chunk]
            if in_savepoint(self.session, partial(self._store, contents, trial)) is None:
                report.add(trial)
            else:
                for row, content in chunk:
                    self._store_one(row, content, report)

    def _store_one(self, row: int, content: OfferBase, report: ImportReport) -> None:
        trial = ImportReport()
        exc = in_savepoint(self.session, partial(self._store, [content], trial))
        if exc is None:
            report.add(trial)
            return
        code, message = failure(exc)
        if isinstance(exc, Invalid) and exc.details:
            message = "; ".join(d["message"] for d in exc.details)
        report.error(row, None, code, message)

    def _store(self, contents: list[OfferBase], report: ImportReport) -> None:
        new_rows = []
        for content in contents:
            offer = self.existing.get(content.external_ref)
            if offer is None:
                new_rows.append(self._new_row(content))
            else:
                self._update(offer, content, report)
        if new_rows:
            # Core insert: building thousands of ORM objects costs more than the insert itself.
            result = self.session.execute(insert(Offer).returning(col(Offer.id)), new_rows)
            report.created_ids.extend(result.scalars().all())
            report.created += len(new_rows)

    def _new_row(self, content: OfferBase) -> dict[str, Any]:
        return storage_values(content) | {
            "provider_id": self.provider_id,
            "created_by_id": self.user.id,
            "status": OfferStatus.DRAFT.value,
            "version": 1,
            "quality_flags": self._flags(content, None),
            "created_at": utcnow(),
        }

    def _update(self, offer: Offer, content: OfferBase, report: ImportReport) -> None:
        baseline = merged(offer, dict(offer.pending_changes or {}))
        if not changed_fields(baseline, content):
            report.unchanged += 1
            return
        stage_edit(
            self.session,
            offer,
            content.model_dump(mode="json", exclude={"provider_id"}),
            user=self.user,
            today=self.today,
            index=self.index,
        )
        report.updated += 1

    def _flags(self, content: OfferBase, offer_id: int | None) -> list[dict[str, Any]]:
        return compute_flags(
            self.session,
            content,
            provider_id=self.provider_id,
            offer_id=offer_id,
            today=self.today,
            index=self.index,
        )


def template_csv() -> str:
    """Header row and one example row, semicolon-separated (what German Excel writes)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    writer.writerow([TEMPLATE_ROW[c.header] for c in COLUMNS])
    return out.getvalue()


__all__ = ["FileProblem", "ImportReport", "import_csv", "parse_row", "template_csv"]
