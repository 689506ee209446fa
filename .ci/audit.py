"""Audit the pinned dependencies in the project venv against PyPI's vulnerability data.

Usage: ``audit.py PIP_AUDIT VENV_PYTHON``. Fails on any known vulnerability. When the
vulnerability service cannot be reached, or cannot vouch for most of the pins (an index mirror
without advisory data), it fails under ``CI=true`` and only warns on a developer machine:
an audit that audited nothing must not look like a clean one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

MIN_AUDITED_SHARE = 0.5


def main(pip_audit: str, venv_python: str) -> int:
    strict = os.environ.get("CI") == "true"
    frozen = subprocess.run(  # noqa: S603 - our own venv's pip
        [venv_python, "-m", "pip", "freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(frozen)
    result = subprocess.run(  # noqa: S603 - the pinned pip-audit
        [pip_audit, "-r", handle.name, "--no-deps", "--disable-pip", "-f", "json"],
        capture_output=True,
        text=True,
    )
    os.unlink(handle.name)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return _unavailable(f"pip-audit lieferte keinen Bericht:\n{result.stderr[-2000:]}", strict)
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"VERWUNDBAR: {dep['name']} {dep.get('version')}: {ids}", file=sys.stderr)
    if vulnerable:
        return 1
    audited = [d for d in dependencies if "skip_reason" not in d]
    print(
        f"pip-audit: {len(audited)} von {len(dependencies)} Paketen geprüft, keine bekannten "
        "Schwachstellen.",
        file=sys.stderr,
    )
    if not dependencies or len(audited) / len(dependencies) < MIN_AUDITED_SHARE:
        return _unavailable(
            f"Nur {len(audited)} von {len(dependencies)} Paketen konnten geprüft werden "
            "(Schwachstellendienst ohne Daten zu diesen Versionen?).",
            strict,
        )
    return 0


def _unavailable(message: str, strict: bool) -> int:
    prefix = "FEHLER" if strict else "WARNUNG"
    print(f"{prefix}: Abhängigkeitsprüfung unvollständig. {message}", file=sys.stderr)
    return 1 if strict else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
