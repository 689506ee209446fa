"""Pure rules of the model registry: version names and how promotion and rollback move aliases.

The database layer (``service/ranking/registry.py``) loads the aliases, applies these functions and
writes the result back, so the rules are testable without a database.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from training.ranking.labels import gate_label
from training.text import gettext as _

CHAMPION = "champion"
CANDIDATE = "candidate"
PREVIOUS = "previous"
ALIASES = (CHAMPION, CANDIDATE, PREVIOUS)
TRACKED_LIBRARIES = ("scikit-learn", "numpy", "scipy", "pandas", "skops")


class RegistryError(ValueError):
    """A registry operation is not possible in the current state (maps to HTTP 409)."""


class VersionNotFoundError(LookupError):
    """No registered version has this name (maps to HTTP 404)."""


class GatesNotPassedError(RegistryError):
    """The version failed a gate; promoting it needs an override with a written reason."""

    def __init__(self, version: str, failed: list[dict[str, str]]) -> None:
        self.version = version
        self.failed = failed
        names = ", ".join(f["label"] for f in failed)
        super().__init__(
            _(
                "Version %(version)s hat Freigabe-Prüfungen nicht bestanden (%(names)s). "
                "Aktivieren nur als ausdrückliche Ausnahme mit schriftlicher Begründung.",
                version=version,
                names=names,
            )
        )


class OverrideReasonMissingError(RegistryError):
    """An override of failed gates without a written reason (maps to HTTP 422)."""

    def __init__(self) -> None:
        super().__init__(
            _("Für eine Freigabe trotz nicht bestandener Prüfungen fehlt die Begründung.")
        )


def gates_passed(gates: Mapping[str, Any]) -> bool:
    """Only a recorded pass counts: a version without gate results has not passed."""
    return gates.get("passed") is True


def failed_gates(gates: Mapping[str, Any]) -> list[dict[str, str]]:
    """``[{name, label, message}]`` of the gates a version failed (German label and text)."""
    if gates_passed(gates):
        return []
    failed = [
        {
            "name": str(result.get("name", "")),
            "label": gate_label(str(result.get("name", ""))),
            "message": _german_only(str(result.get("message", ""))),
        }
        for result in gates.get("results", [])
        if not result.get("passed", False)
    ]
    return failed or [
        {
            "name": "gates_missing",
            "label": gate_label("gates_missing"),
            "message": _("Für diese Version liegt kein bestandenes Prüfergebnis vor."),
        }
    ]


def check_promotion(
    version: str, gates: Mapping[str, Any], *, override_gates: bool, reason: str | None
) -> list[dict[str, str]]:
    """The failed gates that this promotion overrides (empty for a passing version).

    Raises ``GatesNotPassedError`` without an override, ``OverrideReasonMissingError`` for an
    override without a written reason.
    """
    failed = failed_gates(gates)
    if not failed:
        return []
    if not override_gates:
        raise GatesNotPassedError(version, failed)
    if not (reason or "").strip():
        raise OverrideReasonMissingError()
    return failed


def _german_only(message: str) -> str:
    # Versions registered before gate texts were German-only carry an English tail.
    return message.split(" / ", 1)[0]


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
        raise RegistryError(_("Version %(version)s ist bereits Champion.", version=version))
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
        raise RegistryError(_("Es gibt keine vorherige Version, zu der zurückgekehrt werden kann."))
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
