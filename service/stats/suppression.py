"""Small-count suppression for published tables (shared by all statistics).

Primary: every count below :data:`MIN_COUNT` is withheld. Secondary: where a published row or
column total would let a reader recompute a single withheld cell (total minus the visible
cells), the smallest visible cell of that line is withheld too, repeated until no line has
exactly one withheld cell.
"""

from __future__ import annotations

from collections.abc import Mapping

MIN_COUNT = 5

Key = tuple[str, str]  # (row label, column label)


def suppressed_cells(counts: Mapping[Key, int], *, min_count: int = MIN_COUNT) -> set[Key]:
    """Cells of a two-way table (row, column) → count that must not be published."""
    hidden = {key for key, n in counts.items() if n < min_count}
    rows = {r for r, _ in counts}
    cols = {c for _, c in counts}
    lines = [[(r, c) for c in cols if (r, c) in counts] for r in rows] + [
        [(r, c) for r in rows if (r, c) in counts] for c in cols
    ]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden_here = [k for k in line if k in hidden]
            visible = [k for k in line if k not in hidden]
            if len(hidden_here) == 1 and visible:
                hidden.add(min(visible, key=lambda k: (counts[k], k)))
                changed = True
    return hidden


def published(count: int, hidden: bool) -> dict[str, int | bool | None]:
    return {"count": None if hidden else count, "suppressed": hidden}
