"""Demand (profiles needing a measure family) against supply (approved offers, free seats).

A person's needed measure families are derived from the profile by these rules:

- ``language``: German below B1;
- ``vocational``: no or only a partial vocational qualification, or a foreign qualification
  that is not fully recognised;
- ``youth_transition``: under 25 (focus group ``youth``);
- ``activation``: unemployed 12 months or more (focus group ``long_term_unemployed``).

A person can need several families. Demand is reported per focus group (``all`` = everybody,
``rest`` = people in none of the focus groups) × district × family; supply per district ×
family counts approved offers and their free seats. The gap is demand (all people) minus free
seats, ranked largest first. Every demand count, totals included, is perturbed by the cell key
method and withheld below 5 after perturbation (see :mod:`service.stats.cellkey`); offers and
seats describe no person and are published as they are.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from models.base import utcnow
from models.enums import (
    MEASURE_FAMILY,
    District,
    FocusGroup,
    GermanLevel,
    MeasureFamily,
    MeasureType,
    OfferStatus,
    RecognitionStatus,
    VocationalQualification,
)
from models.offer import Offer
from models.profile import Profile, profile_focus_groups
from service.stats.cellkey import Cell, CellKeyMethod

ALL, REST, TOTAL = "all", "rest", "Summe"
GROUPS: tuple[str, ...] = (ALL, *(g.value for g in FocusGroup), REST)
FAMILIES: tuple[str, ...] = tuple(f.value for f in MeasureFamily)
DISTRICTS: tuple[str, ...] = tuple(d.value for d in District)
RULES = {
    MeasureFamily.LANGUAGE.value: _("Deutschkenntnisse unter B1"),
    MeasureFamily.VOCATIONAL.value: (
        _(
            "ohne oder nur mit Teil-Berufsabschluss, oder ausländischer Abschluss nicht voll "
            "anerkannt"
        )
    ),
    MeasureFamily.YOUTH_TRANSITION.value: "unter 25 Jahre",
    MeasureFamily.ACTIVATION.value: _("seit 12 Monaten oder länger arbeitslos"),
}
NO_VOCATIONAL = {VocationalQualification.NONE, VocationalQualification.PARTIAL}
UNRECOGNISED = {
    RecognitionStatus.NOT_APPLIED,
    RecognitionStatus.PENDING,
    RecognitionStatus.PARTIAL,
}


def needed_families(profile: Profile) -> set[MeasureFamily]:
    groups = profile_focus_groups(profile)
    needs: set[MeasureFamily] = set()
    if GermanLevel(profile.german_level).rank < GermanLevel.B1.rank:
        needs.add(MeasureFamily.LANGUAGE)
    if profile.vocational_qualification in NO_VOCATIONAL or (
        profile.foreign_qualification and profile.recognition_status in UNRECOGNISED
    ):
        needs.add(MeasureFamily.VOCATIONAL)
    if FocusGroup.YOUTH in groups:
        needs.add(MeasureFamily.YOUTH_TRANSITION)
    if FocusGroup.LONG_TERM_UNEMPLOYED in groups:
        needs.add(MeasureFamily.ACTIVATION)
    return needs


PROFILE_KEY = "profile"
Cells = dict[tuple[str, str], Cell]


def demand_counts(profiles: Iterable[Profile], method: CellKeyMethod) -> dict[str, Cells]:
    """Per reporting group: (district, family) → the cell of people needing that family.

    Row, column and grand totals (label :data:`TOTAL`) are cells of their own: a person needing
    two families counts twice in the district's total, once per family.
    """
    cells: dict[str, Cells] = {
        g: {(d, f): Cell() for d in (*DISTRICTS, TOTAL) for f in (*FAMILIES, TOTAL)} for g in GROUPS
    }
    for profile in profiles:
        key = method.key(PROFILE_KEY, profile.pseudonym)
        groups = [g.value for g in profile_focus_groups(profile)] or [REST]
        district = str(profile.district)
        for family in needed_families(profile):
            for group in (ALL, *groups):
                for d in (district, TOTAL):
                    for f in (family.value, TOTAL):
                        cells[group][(d, f)].add(key)
    return cells


@dataclass(frozen=True, slots=True)
class Supply:
    offers: Counter[tuple[str, str]]
    free_seats: Counter[tuple[str, str]]


def supply_counts(offers: Iterable[Offer]) -> Supply:
    supply = Supply(Counter(), Counter())
    for offer in offers:
        key = (str(offer.district), MEASURE_FAMILY[MeasureType(offer.measure_type)].value)
        supply.offers[key] += 1
        supply.free_seats[key] += offer.seats_free
    return supply


def demand_table(cells: Cells, method: CellKeyMethod) -> list[dict[str, Any]]:
    """All district × family cells plus row and column totals, each perturbed on its own."""
    rows = []
    for (d, f), cell in cells.items():
        count = method.published(cell)
        rows.append({"district": d, "family": f, "count": count, "suppressed": count is None})
    return rows


def coverage_report(session: Session, method: CellKeyMethod | None = None) -> dict[str, Any]:
    """The whole report as plain data (JSON-ready); every demand figure is perturbed."""
    method = method or CellKeyMethod.for_app()
    profiles = session.exec(select(Profile))
    demand = demand_counts(profiles, method)
    offers = session.exec(select(Offer).where(col(Offer.status) == OfferStatus.APPROVED))
    supply = supply_counts(offers)
    tables = {group: demand_table(demand[group], method) for group in GROUPS}
    return {
        "generated_at": utcnow().isoformat(),
        "min_count": method.min_count,
        "disclosure_control": method.describe(),
        "rules": RULES,
        "demand": [{"focus_group": g, **cell} for g in GROUPS for cell in tables[g]],
        "supply": [
            {
                "district": d,
                "family": f,
                "offers": supply.offers.get((d, f), 0),
                "free_seats": supply.free_seats.get((d, f), 0),
            }
            for d in DISTRICTS
            for f in FAMILIES
        ],
        "gaps": _gaps(tables[ALL], supply),
    }


def _gaps(cells: list[dict[str, Any]], supply: Supply) -> list[dict[str, Any]]:
    rows = []
    for cell in cells:
        if TOTAL in (cell["district"], cell["family"]):
            continue
        key = (cell["district"], cell["family"])
        seats = supply.free_seats.get(key, 0)
        demand = cell["count"]
        rows.append(
            {
                "district": key[0],
                "family": key[1],
                "demand": demand,
                "free_seats": seats,
                "gap": None if demand is None else demand - seats,
                "suppressed": cell["suppressed"],
            }
        )
    return sorted(rows, key=lambda r: (r["gap"] is None, -(r["gap"] or 0), r["district"]))


CSV_COLUMNS = (
    "zielgruppe",
    "stadtbezirk",
    "massnahmefamilie",
    "nachfrage",
    "gesperrt",
    "angebote",
    "freie_plaetze",
    "luecke",
)


def coverage_csv(report: dict[str, Any]) -> str:
    """One line per demand cell; supply and gap on the lines of the ``all`` group."""
    supply = {(s["district"], s["family"]): s for s in report["supply"]}
    gaps = {(g["district"], g["family"]): g for g in report["gaps"]}
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for cell in report["demand"]:
        key = (cell["district"], cell["family"])
        with_supply = cell["focus_group"] == ALL and key in supply
        writer.writerow(
            [
                cell["focus_group"],
                cell["district"],
                cell["family"],
                "" if cell["count"] is None else cell["count"],
                "ja" if cell["suppressed"] else "nein",
                supply[key]["offers"] if with_supply else "",
                supply[key]["free_seats"] if with_supply else "",
                _blank(gaps[key]["gap"]) if with_supply else "",
            ]
        )
    return out.getvalue()


def _blank(value: int | None) -> str | int:
    return "" if value is None else value
