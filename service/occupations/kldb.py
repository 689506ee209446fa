"""The shipped KldB 2010 classification: its files, its records and what the index needs of them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import models

KLDB_DIR: Path = Path(models.__file__).parent / "data" / "kldb2010"


class InvalidOccupationCode(ValueError):
    """A string that is not a 5-digit KldB occupation type code."""


@dataclass(frozen=True, slots=True)
class OccupationClass:
    """One row of ``classes.csv``: a KldB class on level 1 (area) to 5 (occupation type)."""

    code: str
    level: int
    title: str
    short_title: str
    description: str


@dataclass(frozen=True, slots=True)
class JobTitle:
    """One row of ``job_titles.csv``: an everyday job title and its occupation type."""

    job_code: str
    kldb5: str
    title: str


@dataclass(frozen=True, slots=True)
class OccupationMatch:
    """A search hit: the occupation type, its best matching title and a 0-100 score."""

    code: str
    title: str
    score: float


class ClassEntry(Protocol):
    """What the index needs of a class; database rows fit as well as :class:`OccupationClass`."""

    @property
    def code(self) -> str: ...
    @property
    def level(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def short_title(self) -> str: ...


class TitleEntry(Protocol):
    """What the index needs of a job title."""

    @property
    def kldb5(self) -> str: ...
    @property
    def title(self) -> str: ...


def load_classes(path: Path = KLDB_DIR) -> list[OccupationClass]:
    """Read ``classes.csv`` from the KldB directory."""
    with (path / "classes.csv").open(encoding="utf-8", newline="") as handle:
        return [
            OccupationClass(
                code=row["code"],
                level=int(row["level"]),
                title=row["title"],
                short_title=row["short_title"],
                description=row["description"],
            )
            for row in csv.DictReader(handle)
        ]


def load_job_titles(path: Path = KLDB_DIR) -> list[JobTitle]:
    """Read ``job_titles.csv`` from the KldB directory."""
    with (path / "job_titles.csv").open(encoding="utf-8", newline="") as handle:
        return [
            JobTitle(job_code=row["job_code"], kldb5=row["kldb5"], title=row["title"])
            for row in csv.DictReader(handle)
        ]
