"""Cell key method: statistical disclosure control shared by every published count.

The method of the German census 2022 and the ABS TableBuilder:

1. Every record (a profile, a recommendation, a decision) has a persistent random *record key*,
   an integer in ``[0, 2**64)`` read as a fraction of ``2**64``. It is derived, not stored: an
   HMAC-SHA256 of the record's stable identifier under the deployment's ``PSEUDONYM_KEY``
   (domain-separated from the pseudonyms). That key is meant never to change, because changing
   it would break every pseudonym, so the record keys stay the same from one day to the next;
   without it nobody can compute them.
2. A cell's *cell key* is the fractional part of the sum of its records' keys (exact integer
   arithmetic modulo ``2**64``). The same records always give the same cell key, in whichever
   table and on whichever day the cell appears.
3. The published value is the true count plus a perturbation read from a fixed table
   ``p(true count, cell key)``: for each true count a distribution over ``-D..D`` with mean 0 and
   variance ``V``, never below zero, chosen with maximum entropy. Totals are cells of their own
   (their own records, their own key), not sums of perturbed cells.
4. Perturbed values below :data:`MIN_COUNT` are withheld, so 0 and the small counts 1–4 look
   alike ("gesperrt").

Identical cells therefore always show identical values (nothing to average away), and a group,
its complement and their total each carry their own noise, so differencing yields only an
interval of width up to ``4 D`` instead of a count.
"""

from __future__ import annotations

import hashlib
import hmac
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from flask_babel import gettext as _

from service.core.config import get_settings

MIN_COUNT = 5
MAX_DEVIATION = 3
VARIANCE = 2.0
KEY_BITS = 64
KEY_MODULUS = 1 << KEY_BITS
DOMAIN = b"qualimatch/cell-key/v1"

DESCRIPTION = _(
    "Cell-Key-Verfahren (wie im Zensus 2022): Jede Zahl ist zufällig, aber reproduzierbar um "
    "höchstens ±{d} überlagert (Mittelwert 0, Varianz {v:g}); dieselben Personen ergeben in jeder "
    "Tabelle und an jedem Tag denselben Wert. Summen sind eigene Zellen und müssen nicht genau "
    "aufgehen. Überlagerte Werte unter {m} werden gesperrt. Quoten werden aus überlagerten "
    "Zahlen berechnet."
)


def record_key(secret: str, kind: str, stable_id: str) -> int:
    """The persistent random key of one record, an integer in ``[0, 2**64)``."""
    message = b"\0".join((DOMAIN, kind.encode(), stable_id.encode()))
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[: KEY_BITS // 8], "big")


@dataclass(slots=True)
class Cell:
    """A count and the running sum of its records' keys."""

    count: int = 0
    key_sum: int = 0

    def add(self, key: int, times: int = 1) -> None:
        self.count += times
        self.key_sum = (self.key_sum + times * key) % KEY_MODULUS

    @property
    def cell_key(self) -> float:
        return self.key_sum / KEY_MODULUS

    @classmethod
    def of(cls, keys: Iterable[int]) -> Cell:
        cell = cls()
        for key in keys:
            cell.add(key)
        return cell


def _max_entropy_row(n: int, max_deviation: int, variance: float) -> tuple[int, list[float]]:
    """Lowest deviation and the probabilities of ``lowest..max_deviation`` for true count n."""
    low = -min(n, max_deviation)
    if low == 0 or variance == 0:
        return 0, [1.0]
    from scipy.optimize import minimize

    steps = np.arange(low, max_deviation + 1, dtype=float)
    features = np.stack([steps, steps**2])
    target = np.array([0.0, variance])

    def dual(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = theta @ features
        top = float(z.max())
        weights = np.exp(z - top)
        total = float(weights.sum())
        p = weights / total
        return top + float(np.log(total)) - float(theta @ target), features @ p - target

    theta = minimize(dual, np.zeros(2), jac=True, method="BFGS", options={"gtol": 1e-12}).x
    z = theta @ features
    p = np.exp(z - z.max())
    return low, [float(x) for x in p / p.sum()]


@dataclass(frozen=True)
class PerturbationTable:
    """``p(true count, cell key)`` → perturbation; rows for counts ≥ D are all the same."""

    max_deviation: int = MAX_DEVIATION
    variance: float = VARIANCE
    _rows: dict[int, tuple[int, list[float]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_deviation < 0 or not 0 <= self.variance < max(self.max_deviation, 1):
            raise ValueError("need D ≥ 0 and 0 ≤ V < D (V = 0 for D = 0)")
        rows = {}
        for n in range(self.max_deviation + 1):
            low, probabilities = _max_entropy_row(n, self.max_deviation, self.variance)
            # Rounded boundaries keep the table identical across numerical library versions.
            bounds = [round(float(b), 9) for b in np.cumsum(probabilities)[:-1]]
            rows[n] = (low, bounds)
        object.__setattr__(self, "_rows", rows)

    def probabilities(self, n: int) -> dict[int, float]:
        """Deviation → probability for true count n (what a reader may know of the method)."""
        low, bounds = self._rows[min(n, self.max_deviation)]
        edges = [0.0, *bounds, 1.0]
        return {low + i: edges[i + 1] - edges[i] for i in range(len(edges) - 1)}

    def deviation(self, n: int, cell_key: float) -> int:
        if n < 0:
            raise ValueError("counts are never negative")
        low, bounds = self._rows[min(n, self.max_deviation)]
        return low + bisect_right(bounds, cell_key)

    def possible_true_counts(self, published: int) -> range:
        """True counts that can show as ``published`` (for n ≥ D: ``published ± D``)."""
        d = self.max_deviation
        return range(max(0, published - d), published + d + 1)


@cache
def default_table() -> PerturbationTable:
    return PerturbationTable()


@dataclass(frozen=True)
class CellKeyMethod:
    """The secret behind the record keys, the perturbation table and the threshold."""

    secret: str
    table: PerturbationTable
    min_count: int = MIN_COUNT

    @classmethod
    def for_app(cls) -> CellKeyMethod:
        """The method as configured for the running application."""
        return cls(secret=get_settings().pseudonym_key, table=default_table())

    def key(self, kind: str, stable_id: object) -> int:
        return record_key(self.secret, kind, str(stable_id))

    def perturbed(self, cell: Cell) -> int:
        return cell.count + self.table.deviation(cell.count, cell.cell_key)

    def published(self, cell: Cell) -> int | None:
        """The perturbed count, or ``None`` when it is below the threshold."""
        value = self.perturbed(cell)
        return value if value >= self.min_count else None

    def rate(self, numerator: Cell, denominator: Cell) -> float | None:
        """Share from perturbed counts; ``None`` unless the denominator is published."""
        below = self.published(denominator)
        if below is None:
            return None
        return min(1.0, self.perturbed(numerator) / below)

    def describe(self) -> dict[str, Any]:
        d, v = self.table.max_deviation, self.table.variance
        return {
            "method": "cell_key",
            "max_deviation": d,
            "variance": v,
            "min_count": self.min_count,
            "description": DESCRIPTION.format(d=d, v=v, m=self.min_count),
        }
