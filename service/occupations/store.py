"""The KldB classification in the database and the fuzzy index built from it, once per process."""

from __future__ import annotations

import threading
from dataclasses import asdict

from flask import Flask, current_app
from sqlalchemy import insert
from sqlmodel import Session, col, delete, func, select

from models.occupation import Occupation, OccupationTitle
from service.occupations.kldb import KLDB_DIR, load_classes, load_job_titles
from service.occupations.search import OccupationIndex

INDEX_KEY = "qualimatch.occupation_index"
_lock = threading.Lock()


def load_occupations(session: Session, *, force: bool = False) -> int:
    """Copy the shipped KldB files into the database; a no-op when they are already there."""
    present = session.exec(select(func.count()).select_from(Occupation)).one()
    if present and not force:
        return 0
    session.exec(delete(OccupationTitle))
    session.exec(delete(Occupation))
    classes = load_classes(KLDB_DIR)
    titles = load_job_titles(KLDB_DIR)
    # Core bulk inserts: 21,033 ORM objects would cost seconds on every `db upgrade`. The KldB
    # records have exactly the tables' columns.
    session.execute(insert(Occupation), [asdict(c) for c in classes])
    session.execute(insert(OccupationTitle), [asdict(t) for t in titles])
    session.commit()
    return len(classes) + len(titles)


def build_index(session: Session) -> OccupationIndex:
    classes = list(session.exec(select(Occupation).order_by(col(Occupation.code))))
    titles = list(session.exec(select(OccupationTitle).order_by(col(OccupationTitle.job_code))))
    return OccupationIndex.from_entries(classes, titles)


def get_index(session: Session, app: Flask | None = None) -> OccupationIndex:
    """The process-wide index; built on first use (about a second) and then shared."""
    app = app or current_app
    index: OccupationIndex | None = app.extensions.get(INDEX_KEY)
    if index is None:
        with _lock:
            index = app.extensions.get(INDEX_KEY)
            if index is None:
                index = build_index(session)
                app.extensions[INDEX_KEY] = index
    return index


def unknown_codes(session: Session, codes: list[str | None]) -> list[str]:
    """Codes that are not 5-digit KldB occupation types."""
    index = get_index(session)
    return [code for code in codes if code is not None and not index.is_known_code(code)]
