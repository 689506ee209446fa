"""Pure rules of the model registry: version names and how promotion and rollback move aliases.

The database layer (``service/registry.py``) loads the aliases, applies these functions and
writes the result back, so the rules are testable without a database.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Iterable, Mapping
from datetime import date

CHAMPION = "champion"
CANDIDATE = "candidate"
PREVIOUS = "previous"
ALIASES = (CHAMPION, CANDIDATE, PREVIOUS)
TRACKED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "pandas", "skops")


class RegistryError(ValueError):
    """A registry operation is not possible in the current state (maps to HTTP 409)."""


class VersionNotFoundError(LookupError):
    """No registered version has this name (maps to HTTP 404)."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def next_version(existing: Iterable[str], today: date) -> str:
    """``YYYY-MM-DD.N`` with N one above the highest of the day: sortable and readable."""
    prefix = today.isoformat() + "."
    numbers = [
        int(v[len(prefix) :])
        for v in existing
        if v.startswith(prefix) and v[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def promoted(aliases: Mapping[str, str], version: str) -> dict[str, str]:
    """Aliases after promoting ``version``: old champion becomes previous, candidate is cleared
    when it was this version."""
    if aliases.get(CHAMPION) == version:
        raise RegistryError(f"Version {version} ist bereits Champion.")
    result = dict(aliases)
    if CHAMPION in aliases:
        result[PREVIOUS] = aliases[CHAMPION]
    result[CHAMPION] = version
    if result.get(CANDIDATE) == version:
        del result[CANDIDATE]
    return result


def rolled_back(aliases: Mapping[str, str]) -> dict[str, str]:
    """Swap champion and previous, so a second rollback undoes the first."""
    if PREVIOUS not in aliases:
        raise RegistryError("Es gibt keine vorherige Version, zu der zurückgekehrt werden kann.")
    result = dict(aliases)
    result[CHAMPION] = aliases[PREVIOUS]
    if CHAMPION in aliases:
        result[PREVIOUS] = aliases[CHAMPION]
    else:
        del result[PREVIOUS]
    return result


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries an artifact depends on (recorded per version)."""
    found: dict[str, str] = {}
    for name in TRACKED_LIBRARIES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found
