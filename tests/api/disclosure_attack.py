"""An attacker's integer program over every published statistic, for the disclosure tests.

The attacker knows the rules that turn a profile into focus groups and needed measure families,
the published perturbation table (maximum deviation ``D``, threshold ``min_count``) and every
figure of two snapshots one profile (and one recommendation) apart. The unknowns (the linear
relaxation of the integer program, which HiGHS solves fast enough for a test) are the true
counts of the finest cells: profiles per district × focus-group set × language need × vocational
need (youth transition and activation follow from the groups), recommendations per focus-group
set × with/without items × decision. Each published figure becomes an interval constraint:
a perturbed value ``y`` means ``max(0, y - D) ≤ true ≤ y + D``, a withheld one
``0 ≤ true ≤ min_count - 1 + D``; with ``D = 0`` both are exact.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import LinearConstraint, linprog
from scipy.sparse import csr_array

from models.enums import DecisionAction, District, FocusGroup, MeasureFamily

GROUP_NAMES = tuple(g.value for g in FocusGroup)
GROUP_SETS = [
    frozenset(c)
    for r in range(len(GROUP_NAMES) + 1)
    for c in itertools.combinations(GROUP_NAMES, r)
]
ACTIONS: tuple[str | None, ...] = (None, *(a.value for a in DecisionAction))
TOTAL = "Summe"


@dataclass(frozen=True)
class ProfileCell:
    district: str
    groups: frozenset[str]
    families: frozenset[str]


@dataclass(frozen=True)
class RequestCell:
    groups: frozenset[str]
    items: bool
    action: str | None


def _families(groups: frozenset[str], language: bool, vocational: bool) -> frozenset[str]:
    needs = {MeasureFamily.LANGUAGE.value} if language else set()
    if vocational:
        needs.add(MeasureFamily.VOCATIONAL.value)
    if FocusGroup.YOUTH.value in groups:
        needs.add(MeasureFamily.YOUTH_TRANSITION.value)
    if FocusGroup.LONG_TERM_UNEMPLOYED.value in groups:
        needs.add(MeasureFamily.ACTIVATION.value)
    return frozenset(needs)


PROFILE_CELLS = [
    ProfileCell(d.value, g, _families(g, lang, voc))
    for d in District
    for g in GROUP_SETS
    for lang in (False, True)
    for voc in (False, True)
]
REQUEST_CELLS = [RequestCell(g, i, a) for g in GROUP_SETS for i in (False, True) for a in ACTIONS]


def coverage_coefficients(group: str, district: str, family: str) -> np.ndarray:
    """How many times each finest profile cell counts in one published demand cell."""
    out = np.zeros(len(PROFILE_CELLS))
    for i, c in enumerate(PROFILE_CELLS):
        in_group = group == "all" or group in c.groups or (group == "rest" and not c.groups)
        if in_group and district in (TOTAL, c.district):
            out[i] = len(c.families) if family == TOTAL else float(family in c.families)
    return out


def _member(name: str, groups: frozenset[str]) -> bool:
    if name == "overall":
        return True
    if name.startswith("not_"):
        return name.removeprefix("not_") not in groups
    return name in groups


def request_coefficients(name: str, what: str) -> np.ndarray:
    """requests / with_items / decisions / accepted / override of one fairness group."""
    test = {
        "requests": lambda c: True,
        "with_items": lambda c: c.items,
        "decisions": lambda c: c.action is not None,
        "accepted": lambda c: c.action == DecisionAction.ACCEPTED.value,
        "override": lambda c: c.action == DecisionAction.OVERRIDE.value,
    }[what]
    return np.array([float(_member(name, c.groups) and test(c)) for c in REQUEST_CELLS])


@dataclass
class Figure:
    """A published figure in attacker terms: which block, coefficients, and the interval."""

    block: str
    coefficients: np.ndarray
    low: float
    high: float


class Attack:
    """Collects the published figures of two snapshots and bounds any linear target."""

    def __init__(self, *, max_deviation: int, min_count: int) -> None:
        self.d = max_deviation
        self.min_count = min_count
        self.figures: dict[int, list[Figure]] = {1: [], 2: []}
        self._built: dict[str, tuple[int, LinearConstraint, np.ndarray]] = {}

    # --- reading what was published -------------------------------------------------------
    def _interval(self, value: int | None) -> tuple[float, float]:
        if value is None:
            return 0, self.min_count - 1 + self.d
        return max(0, value - self.d), value + self.d

    def add(self, snapshot: int, block: str, coefficients: np.ndarray, value: int | None) -> None:
        low, high = self._interval(value)
        self.figures[snapshot].append(Figure(block, coefficients, low, high))

    def read_coverage(self, snapshot: int, report: Mapping[str, Any]) -> None:
        for cell in report["demand"]:
            coefficients = coverage_coefficients(
                cell["focus_group"], cell["district"], cell["family"]
            )
            self.add(snapshot, "profile", coefficients, cell["count"])

    def read_coverage_csv(self, snapshot: int, text: str) -> None:
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"):
            value = int(row["nachfrage"]) if row["nachfrage"] else None
            coefficients = coverage_coefficients(
                row["zielgruppe"], row["stadtbezirk"], row["massnahmefamilie"]
            )
            self.add(snapshot, "profile", coefficients, value)

    def read_fairness(self, snapshot: int, report: Mapping[str, Any]) -> None:
        for name, body in report["groups"].items():
            self.add(snapshot, "request", request_coefficients(name, "requests"), body["requests"])
            if body["requests"] is None:
                continue
            self._rate(snapshot, name, "with_items", body["recommendation_rate"], body["requests"])
            self.add(
                snapshot, "request", request_coefficients(name, "decisions"), body["decisions"]
            )
            if body["decisions"] is not None:
                self._rate(snapshot, name, "accepted", body["acceptance_rate"], body["decisions"])
                self._rate(snapshot, name, "override", body["override_rate"], body["decisions"])
        profiles = report["drift"].get("profiles", "absent")
        if profiles != "absent":
            self.add(snapshot, "profile", np.ones(len(PROFILE_CELLS)), profiles)

    def _rate(self, snapshot: int, name: str, what: str, rate: float, denominator: int) -> None:
        coefficients = request_coefficients(name, what)
        if rate < 1:  # rate = perturbed numerator / published denominator
            self.add(snapshot, "request", coefficients, round(rate * denominator))
        else:  # the numerator was at least the denominator (clipped at 1)
            figure = Figure("request", coefficients, max(0, denominator - self.d), np.inf)
            self.figures[snapshot].append(figure)

    # --- solving ------------------------------------------------------------------------------
    def _problem(self, block: str) -> tuple[int, LinearConstraint, np.ndarray]:
        """Columns: the block's finest cells at snapshot 1 (x), then the one added record (e)."""
        size = len(PROFILE_CELLS if block == "profile" else REQUEST_CELLS)
        rows: dict[tuple[bytes, int], list[float]] = {}
        for snapshot, figures in self.figures.items():
            for f in figures:
                if f.block != block:
                    continue
                row = np.concatenate([f.coefficients, f.coefficients * (snapshot == 2)])
                bound = rows.setdefault((row.tobytes(), snapshot), [-np.inf, np.inf])
                bound[0], bound[1] = max(bound[0], f.low), min(bound[1], f.high)
        matrix = [np.frombuffer(key, dtype=float) for key, _ in rows]
        low = [b[0] for b in rows.values()]
        high = [b[1] for b in rows.values()]
        matrix.append(np.concatenate([np.zeros(size), np.ones(size)]))  # one record added
        low.append(1)
        high.append(1)
        upper = np.concatenate([np.full(size, 10_000.0), np.ones(size)])
        return 2 * size, LinearConstraint(csr_array(np.array(matrix)), low, high), upper

    def _objective(self, block: str, target: np.ndarray) -> tuple[np.ndarray, Any]:
        if block not in self._built:
            self._built[block] = self._problem(block)
        width, constraint, upper = self._built[block]
        objective = np.concatenate([target, np.zeros(width - len(target))])
        return objective, (width, constraint, upper)

    def relaxed_range(self, block: str, target: np.ndarray) -> tuple[int, int]:
        """Bounds of ``target · x`` over the linear relaxation (outer bound: the truth can be
        nowhere else, so equal ends mean the count is recovered exactly)."""
        objective, (width, constraint, upper) = self._objective(block, target)
        found = []
        for sign in (1, -1):
            result = linprog(
                sign * objective,
                bounds=list(zip(np.zeros(width), upper, strict=True)),
                method="highs",
                **_as_inequalities(constraint),
            )
            assert result.success, result.message
            found.append(sign * result.fun)
        return int(np.ceil(found[0] - 1e-6)), int(np.floor(found[1] + 1e-6))


def _as_inequalities(constraint: LinearConstraint) -> dict[str, Any]:
    matrix = csr_array(constraint.A)
    low, high = np.asarray(constraint.lb, dtype=float), np.asarray(constraint.ub, dtype=float)
    finite_high, finite_low = np.isfinite(high), np.isfinite(low)
    from scipy.sparse import vstack

    a_ub = vstack([matrix[finite_high], -matrix[finite_low]])
    b_ub = np.concatenate([high[finite_high], -low[finite_low]])
    return {"A_ub": a_ub, "b_ub": b_ub}


def true_counts(cells: Iterable[ProfileCell | RequestCell], universe: list[Any]) -> np.ndarray:
    index = {c: i for i, c in enumerate(universe)}
    out = np.zeros(len(universe))
    for c in cells:
        out[index[c]] += 1
    return out
