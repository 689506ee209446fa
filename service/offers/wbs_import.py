"""Import of runs saved from the federal course database (format: :mod:`wbs_format`).

Each *Termin* becomes one offer with ``external_ref`` ``WBS-<id>``, so importing the same
export again changes nothing. New offers start as ``submitted``: they are in the coordinator's
review queue with the classification record and any review flags. A changed run updates its
offer through the review: a submitted (or returned) offer gets the new content and waits for
review again; an approved one gets the change as ``pending_changes`` while the approved version
stays visible (as for the CSV import); rejected, withdrawn and expired offers stay as they are.
Only the coordination office imports (the runs belong to many providers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from flask_babel import gettext
from pydantic import ValidationError
from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from models.base import utcnow
from models.enums import OfferStatus
from models.offer import Offer, OfferBase, OfferReview
from models.user import User
from service.core import audit
from service.core.audit import Actor
from service.core.clock import local_today
from service.core.domain_errors import Conflict, Forbidden
from service.occupations import get_index
from service.offers import access
from service.offers.crud import stage_edit
from service.offers.fields import changed_fields, german_details, merged, storage_values
from service.offers.quality import DuplicateIndex, compute_flags
from service.offers.savepoint import failure, in_savepoint
from service.offers.store import save
from service.offers.wbs_classify import target_occupations
from service.offers.wbs_format import load_pages, runs
from service.offers.wbs_mapping import REF_PREFIX, Run, map_run
from service.offers.wbs_providers import ProviderMatcher
from service.offers.wbs_report import WbsReport

CHUNK_ROWS = 250
S = OfferStatus
REVIEWABLE = frozenset({S.SUBMITTED, S.DRAFT, S.CHANGES_REQUESTED})
IMPORT_REASON = gettext("Aus der Weiterbildungssuche importiert.")
CHANGE_REASON = gettext("Geänderter Termin aus der Weiterbildungssuche, erneut zur Prüfung.")
CONTENT_FIELDS = frozenset(OfferBase.model_fields)
Files = Sequence[tuple[str, list[dict[str, Any]]]]


@dataclass(frozen=True, slots=True)
class _Item:
    run: Run
    content: OfferBase
    provider_id: int
    import_flags: list[dict[str, Any]]


def read_file(name: str, data: bytes | str | Any) -> tuple[str, list[dict[str, Any]]]:
    """A named file's pages; raises ``WbsFileProblem`` for an unusable file."""
    return name, load_pages(data)


def count_runs(files: Files) -> int:
    return sum(len((p.get("_embedded") or {}).get("termine") or []) for _, ps in files for p in ps)


def import_wbs(
    session: Session,
    files: Files,
    *,
    user: User,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> WbsReport:
    """Import all runs of ``files``; ``progress`` is told how many runs were handled."""
    if not access.is_manager(user):
        raise Forbidden(
            gettext("Nur die Koordinierungsstelle importiert aus der Weiterbildungssuche.")
        )
    importer = _Importer(session, user=user, today=today or local_today())
    report = WbsReport()
    items = importer.prepare(files, report, progress)
    importer.store_all(items, report, progress)
    report.providers_created = importer.providers.created
    audit.record(
        session,
        "offer.import_wbs",
        "offer",
        None,
        detail={
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "errors": len(report.errors),
            "providers_created": report.providers_created,
            "created_ids": report.created_ids,
        },
        by=Actor.of(user),
    )
    session.commit()
    return report


class _Importer:
    def __init__(self, session: Session, *, user: User, today: date) -> None:
        self.session = session
        self.user = user
        self.today = today
        self.occupations = get_index(session)
        self.kldb_cache: dict[tuple[str, str], list[str]] = {}
        self.duplicates = DuplicateIndex.load(session)
        self.providers = ProviderMatcher(session, by=Actor.of(user))
        query = select(Offer).where(col(Offer.external_ref).startswith(REF_PREFIX))
        self.existing = {o.external_ref: o for o in session.exec(query)}

    def prepare(
        self, files: Files, report: WbsReport, progress: Callable[[int], None] | None
    ) -> list[_Item]:
        seen: dict[str, tuple[int, dict[str, Any]]] = {}
        items = []
        for raw in runs(list(files)):
            run = map_run(raw)
            item = self._item(run, seen, report)
            if item is not None:
                items.append(item)
            if progress:
                progress(1)
        return items

    def _item(
        self, run: Run, seen: dict[str, tuple[int, dict[str, Any]]], report: WbsReport
    ) -> _Item | None:
        for problem in run.errors:
            report.error(run, problem["column"], problem["code"], problem["message"])
        if run.errors or run.ref is None or run.provider is None:
            return None
        if run.ref in seen:
            first, values = seen[run.ref]
            if values != run.values:  # the same run twice (pages shifted while saving) is fine
                report.error(
                    run,
                    "id",
                    "duplicate_ref",
                    gettext(
                        "Termin kommt mehrfach mit verschiedenen Angaben vor (zuerst Nr. "
                        "%(first)s).",
                        first=first,
                    ),
                )
            return None
        seen[run.ref] = (run.row, dict(run.values))
        run.values["target_occupations"] = self._kldb(run)
        provider_id = self.providers.resolve(
            run.provider, district=run.values["district"], funded=bool(run.values["funding"])
        )
        self._venue(run, provider_id)
        try:
            content = OfferBase.model_validate(
                {k: v for k, v in run.values.items() if k in CONTENT_FIELDS}
            )
        except ValidationError as exc:
            for detail in german_details(exc):
                report.error(run, detail["field"], detail["code"], detail["message"])
            return None
        assert run.classification is not None
        flags = [run.classification.flag(), *run.flags]
        if run.flags:
            report.flagged.append(
                {
                    "row": run.row,
                    "ref": run.ref,
                    "source": run.source,
                    "title": content.title,
                    "codes": [f["code"] for f in run.flags],
                    "messages": [f["message"] for f in run.flags],
                }
            )
        return _Item(run, content, provider_id, flags)

    def _kldb(self, run: Run) -> list[str]:
        key = (str(run.values["title"]), str(run.values["certificate"]))
        if key not in self.kldb_cache:
            self.kldb_cache[key] = target_occupations(self.occupations, *key)[0]
        return self.kldb_cache[key]

    def _venue(self, run: Run, provider_id: int) -> None:
        """The run's address is the venue only where it differs from the provider's."""
        assert run.provider is not None
        street, postcode = self.providers.address_of(provider_id)
        same = (street.casefold(), postcode) == (
            run.provider.street.casefold(),
            run.provider.postcode,
        )
        run.values |= {
            "venue_street": "" if same else run.provider.street,
            "venue_postcode": "" if same else run.provider.postcode,
            "venue_city": "" if same else run.provider.city,
        }

    def store_all(
        self, items: list[_Item], report: WbsReport, progress: Callable[[int], None] | None
    ) -> None:
        """Chunks in one savepoint each; a failing chunk is redone run by run."""
        for start in range(0, len(items), CHUNK_ROWS):
            chunk = items[start : start + CHUNK_ROWS]
            trial = WbsReport()
            if in_savepoint(self.session, partial(self._store, chunk, trial)) is None:
                report.add(trial)
            else:
                for item in chunk:
                    self._store_one(item, report)
            if progress:
                progress(0)

    def _store_one(self, item: _Item, report: WbsReport) -> None:
        trial = WbsReport()
        exc = in_savepoint(self.session, partial(self._store, [item], trial))
        if exc is None:
            report.add(trial)
        else:
            report.error(item.run, None, *failure(exc))

    def _store(self, items: list[_Item], report: WbsReport) -> None:
        new_rows = []
        for item in items:
            offer = self.existing.get(item.content.external_ref)
            if offer is None:
                new_rows.append(self._new_row(item))
            else:
                self._update(offer, item, report)
        if not new_rows:
            return
        # Core inserts: building thousands of ORM objects costs more than the inserts.
        result = self.session.execute(insert(Offer).returning(col(Offer.id)), new_rows)
        ids = list(result.scalars().all())
        self.session.execute(
            insert(OfferReview),
            [
                {
                    "offer_id": offer_id,
                    "actor_id": self.user.id,
                    "from_status": S.DRAFT.value,
                    "to_status": S.SUBMITTED.value,
                    "reason": IMPORT_REASON,
                    "created_at": utcnow(),
                }
                for offer_id in ids
            ],
        )
        report.created_ids.extend(ids)
        report.created += len(ids)

    def _flags(self, item: _Item, offer_id: int | None) -> list[dict[str, Any]]:
        computed = compute_flags(
            self.session,
            item.content,
            provider_id=item.provider_id,
            offer_id=offer_id,
            today=self.today,
            index=self.duplicates,
        )
        return computed + item.import_flags

    def _new_row(self, item: _Item) -> dict[str, Any]:
        now = utcnow()
        return storage_values(item.content) | {
            "provider_id": item.provider_id,
            "created_by_id": self.user.id,
            "status": S.SUBMITTED.value,
            "version": 1,
            "quality_flags": self._flags(item, None),
            "created_at": now,
            "submitted_at": now,
        }

    def _update(self, offer: Offer, item: _Item, report: WbsReport) -> None:
        baseline = merged(offer, dict(offer.pending_changes or {}))
        if not changed_fields(baseline, item.content):
            report.unchanged += 1
            return
        status = S(offer.status)
        offer_id = offer.id
        assert offer_id is not None
        if status == S.APPROVED:
            changes = item.content.model_dump(mode="json")
            stage_edit(self.session, offer, changes, user=self.user, today=self.today)
            # Same change, same version: the import's own flags join the recomputed ones.
            self.session.execute(
                update(Offer)
                .where(col(Offer.id) == offer_id)
                .values(quality_flags=self._flags(item, offer_id))
                .execution_options(synchronize_session=False)
            )
        elif status in REVIEWABLE:
            self._resubmit(offer, item, status)
        else:
            raise Conflict(
                gettext(
                    "Das Angebot ist im Status „%(status)s“; die Änderung aus der "
                    "Weiterbildungssuche wurde nicht übernommen.",
                    status=status.value,
                ),
                code="offer_not_editable",
            )
        report.updated += 1

    def _resubmit(self, offer: Offer, item: _Item, status: OfferStatus) -> None:
        offer_id = offer.id
        before = merged(offer, {})
        values = storage_values(item.content) | {
            "quality_flags": self._flags(item, offer_id),
            "status": S.SUBMITTED.value,
        }
        if status != S.SUBMITTED:
            values |= {"submitted_at": utcnow(), "review_reason": None}
        save(self.session, offer, values)
        if status != S.SUBMITTED:
            self.session.add(
                OfferReview(
                    offer_id=offer_id,  # type: ignore[arg-type]
                    actor_id=self.user.id,
                    from_status=status,
                    to_status=S.SUBMITTED,
                    reason=CHANGE_REASON,
                )
            )
        audit.record(
            self.session,
            "offer.update",
            "offer",
            offer_id,
            detail={"fields": sorted(changed_fields(before, item.content)), "source": "wbs"},
            by=Actor.of(self.user),
        )
