"""From a sort order to a shortlist: runs collapsed, types varied, a target field, early starts.

A counsellor reads the top of the list, so the list is built, not just sorted:

- **runs**: several dated runs of the same course (same provider, same title stem) are one item;
  the best-scored run stands for the others, which are listed as its other dates;
- **start window**: offers whose next start lies beyond the window come after those that start
  within it (the card says when they start);
- **variety**: at most ``max_per_type`` items of one measure type among the first
  ``variety_window`` items, unless too few types are eligible to fill the places;
- **target field**: when the person names target occupations and an eligible offer in one of
  their target fields (same KldB main group) is expected to do no harm, one of the first
  ``target_window`` items is such an offer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from training.data.features import OfferCatalog
from training.data.schema import OfferRecord

DEFAULT_START_WINDOW_DAYS = 183

#: Run numbers ("(Nr. 3)", "Kurs 2") and dates differ between runs of one course; a module
#: number ("Modul 2") names another course and stays.
_RUN_NOISE = re.compile(
    r"\(\s*(nr\.?\s*)?\d+\s*\)"
    r"|\b(nr|kurs|termin|gruppe|durchgang)\.?\s*\d+"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}"
)
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class ShortlistPolicy:
    """How a sort order becomes a shortlist; ``start_window_days`` is a service setting."""

    max_per_type: int = 2
    variety_window: int = 5
    target_window: int = 3
    start_window_days: int = DEFAULT_START_WINDOW_DAYS


DEFAULT_POLICY = ShortlistPolicy()


@dataclass(frozen=True, slots=True)
class Pick:
    """One shortlist item: a catalogue position, its other runs, and whether it starts late."""

    position: int
    other_positions: tuple[int, ...]
    starts_late: bool


def title_stem(title: str) -> str:
    """The title without run numbers and dates: what stays the same from run to run."""
    return _NON_WORD.sub(" ", _RUN_NOISE.sub(" ", title.lower())).strip()


def _run_keys(records: Sequence[OfferRecord]) -> npt.NDArray[np.int64]:
    keys: dict[tuple[int | None, str], int] = {}
    return np.array(
        [keys.setdefault((r.provider_id, title_stem(r.title)), len(keys)) for r in records],
        dtype=np.int64,
    )


def run_keys(catalog: OfferCatalog) -> npt.NDArray[np.int64]:
    """A run-group id per catalogue position (computed once per catalogue)."""
    keys: npt.NDArray[np.int64] = catalog.cached(
        catalog, ("run-keys",), lambda: _run_keys(catalog.records)
    )
    return keys


def _collapse(
    ranked: npt.NDArray[np.intp], keys: npt.NDArray[np.int64]
) -> list[tuple[int, tuple[int, ...]]]:
    """Ranked positions grouped by run, in the order of each group's best position."""
    groups: dict[int, list[int]] = {}
    for position, key in zip(ranked.tolist(), keys[ranked].tolist(), strict=True):
        groups.setdefault(key, []).append(position)
    return [(members[0], tuple(members[1:])) for members in groups.values()]


def build_shortlist(
    ranked: npt.NDArray[np.intp],
    catalog: OfferCatalog,
    *,
    k: int,
    as_of: date,
    in_target_field: npt.NDArray[np.bool_],
    target_candidates: npt.NDArray[np.intp],
    policy: ShortlistPolicy = DEFAULT_POLICY,
) -> list[Pick]:
    """Up to ``k`` picks from ``ranked`` (catalogue positions, best first).

    ``in_target_field`` is indexed by catalogue position; ``target_candidates`` are the
    positions (best first) that may be moved up to satisfy the target-field rule — they need not
    be in ``ranked`` (an offer in the person's field with a small but non-negative gain).
    """
    if k <= 0 or (ranked.size == 0 and target_candidates.size == 0):
        return []
    keys = run_keys(catalog)
    horizon = as_of + timedelta(days=policy.start_window_days)
    measure = catalog.arrays.measure_type

    def late(position: int) -> bool:
        start = catalog.records[position].next_start(as_of)
        return start is not None and start > horizon

    groups = _collapse(ranked, keys)
    flagged = [(head, others, late(head)) for head, others in groups]
    queue = [g for g in flagged if not g[2]] + [g for g in flagged if g[2]]
    picks: list[Pick] = []
    used_keys: set[int] = set()
    type_count: dict[int, int] = {}

    def take(index: int) -> None:
        head, others, is_late = queue.pop(index)
        picks.append(Pick(head, others, is_late))
        used_keys.add(int(keys[head]))
        mtype = int(measure[head])
        type_count[mtype] = type_count.get(mtype, 0) + 1

    while len(picks) < k:
        slot = len(picks)
        if slot == policy.target_window - 1 and not any(in_target_field[p.position] for p in picks):
            forced = _target_pick(target_candidates, keys, used_keys, queue, late)
            if forced is not None:
                queue.insert(0, forced)
                take(0)
                continue
        if not queue:
            break
        capped = slot < policy.variety_window
        choice = next(
            (
                i
                for i, (head, _, _) in enumerate(queue)
                if not capped or type_count.get(int(measure[head]), 0) < policy.max_per_type
            ),
            0,  # fewer types than places: the best remaining item, whatever its type
        )
        take(choice)
    return picks


def _target_pick(
    candidates: npt.NDArray[np.intp],
    keys: npt.NDArray[np.int64],
    used: set[int],
    queue: list[tuple[int, tuple[int, ...], bool]],
    late: Callable[[int], bool],
) -> tuple[int, tuple[int, ...], bool] | None:
    """The best target-field candidate not yet picked, taken out of the queue if it is there."""
    for position in candidates.tolist():
        key = int(keys[position])
        if key in used:
            continue
        for i, group in enumerate(queue):
            if int(keys[group[0]]) == key:
                return queue.pop(i)
        return (position, (), late(position))
    return None
