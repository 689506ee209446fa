"""The directory gunicorn workers share for their Prometheus samples, one per running instance.

A fixed default directory, emptied at every start, let a second start (even ``gunicorn
--check-config``) wipe a running instance's counters. Now, unless ``PROMETHEUS_MULTIPROC_DIR``
is set, each master gets a fresh directory of its own (removed again when it exits); an
explicitly set directory is locked by the master that uses it and emptied only when no other
instance holds the lock.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import tempfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import IO

from flask_babel import gettext as _

ENV = "PROMETHEUS_MULTIPROC_DIR"
LOCK_NAME = ".qualimatch-instance.lock"  # not *.db, so the collector ignores it
_held: list[IO[bytes]] = []  # open lock files; the lock lives as long as the master


class MetricsDirInUse(SystemExit):
    """Another running instance owns the directory: starting would mix or wipe its samples."""


def prepare(environ: MutableMapping[str, str] = os.environ, *, check_only: bool = False) -> Path:
    """Choose, lock and empty the directory; sets ``environ[ENV]`` before prometheus loads."""
    explicit = environ.get(ENV)
    if not explicit:
        directory = Path(tempfile.mkdtemp(prefix="qualimatch-metrics-"))
        _remove_at_exit(directory)
        environ[ENV] = str(directory)
        return directory
    directory = Path(explicit)
    directory.mkdir(parents=True, exist_ok=True)
    lock = (directory / LOCK_NAME).open("ab")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        if check_only:
            return directory  # a configuration check touches nothing
        raise MetricsDirInUse(
            _(
                "%(env)s=%(directory)s wird von einer laufenden Instanz benutzt; bitte ein "
                "eigenes Verzeichnis je Instanz setzen.",
                env=ENV,
                directory=directory,
            )
        ) from None
    if check_only:
        lock.close()
        return directory
    _held.append(lock)
    for stale in directory.glob("*.db"):  # samples of an earlier run's workers
        stale.unlink()
    return directory


def _remove_at_exit(directory: Path) -> None:
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:  # forked workers inherit atexit handlers; only the master
            shutil.rmtree(directory, ignore_errors=True)

    atexit.register(remove)


def release() -> None:
    """Give up the directories this process locked (tests; the master simply exits)."""
    while _held:
        _held.pop().close()
