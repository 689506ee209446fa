"""KldB occupations: the classification in the database and the typo-tolerant search over it.

``kldb`` reads the shipped KldB 2010 files, ``normalise`` turns titles and queries into
comparable forms, ``search`` is the fuzzy index (``OccupationIndex``) and ``store`` copies the
classification into the database and keeps one index per process.
"""

from __future__ import annotations

from service.occupations.kldb import (
    KLDB_DIR,
    InvalidOccupationCode,
    JobTitle,
    OccupationClass,
    OccupationMatch,
    load_classes,
    load_job_titles,
)
from service.occupations.normalise import normalise
from service.occupations.search import OccupationIndex, build_default_index
from service.occupations.store import (
    INDEX_KEY,
    build_index,
    get_index,
    load_occupations,
    unknown_codes,
)

__all__ = [
    "INDEX_KEY",
    "KLDB_DIR",
    "InvalidOccupationCode",
    "JobTitle",
    "OccupationClass",
    "OccupationIndex",
    "OccupationMatch",
    "build_default_index",
    "build_index",
    "get_index",
    "load_classes",
    "load_job_titles",
    "load_occupations",
    "normalise",
    "unknown_codes",
]
