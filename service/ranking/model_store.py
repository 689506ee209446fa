"""The champion model as each web worker holds it: loaded once, swapped without a restart.

Each process keeps the loaded ranker keyed by its version and asks the database which version
is champion at most every ``MODEL_REFRESH_SECONDS`` (sooner when ``REDIS_URL`` is set and a
promotion bumped the shared epoch). An artifact whose sha256 does not match, or which fails to
deserialise, is refused: the worker keeps serving what it had, and ``model_status`` says why.
A refusal is remembered for the bytes that were refused, not for the version: once the row is
repaired (bytes matching the sha256 again) every worker loads it on its next check.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import structlog
from flask import current_app, has_app_context
from sqlmodel import Session, select

from models.enums import ModelAlias
from models.registry import RankerAlias, RankerVersion
from service.core.config import get_settings
from training.release.artifact import ranker_from_bytes
from training.release.registry import gates_passed, sha256_hex

if TYPE_CHECKING:
    from training.ranking.ranker import EffectRanker

log = structlog.get_logger(__name__)

DEFAULT_REFRESH_SECONDS = 10.0
REDIS_EPOCH_KEY = "qualimatch:model_epoch"
REDIS_POLL_SECONDS = 1.0


class ArtifactRefusedError(Exception):
    """The stored artifact may not be loaded (checksum mismatch or not a trusted ranker)."""


@dataclass(frozen=True, slots=True)
class ActiveModel:
    version: str
    sha256: str
    ranker: EffectRanker
    gates_passed: bool = False


@dataclass(slots=True)
class _StoreState:
    active: ActiveModel | None = None
    checked_at: float = float("-inf")
    champion: str | None = None
    # version -> (registered sha256, sha256 of the refused bytes, why): a repaired row has
    # other bytes, a re-registered one another checksum; either is tried again
    refused: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    redis_epoch: bytes | None = None
    redis_checked_at: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)


def _default_decode(artifact: bytes, sha256: str) -> EffectRanker:

    ranker: EffectRanker = ranker_from_bytes(artifact, expected_sha256=sha256)
    return ranker


#: How artifact bytes become a ranker; replaceable in tests.
decode_artifact: Callable[[bytes, str], Any] = _default_decode

_states: dict[str, _StoreState] = {}
_states_lock = threading.Lock()


def get_active_model(session: Session) -> ActiveModel | None:
    """The champion ranker for this process, or ``None`` (the caller then ranks by rules).

    Cheap on the hot path: a dictionary lookup, plus at most one small query per refresh
    interval. Never raises for a broken artifact.
    """
    state = _state_for(session)
    now = time.monotonic()
    if not _due(state, now):
        return state.active
    with state.lock:
        if _due(state, now):
            _refresh(state, session)
            state.checked_at = time.monotonic()
        return state.active


def model_status(session: Session) -> dict[str, Any]:
    """What this worker serves versus what the registry says, for the health endpoint."""
    active = get_active_model(session)
    state = _state_for(session)
    refused = state.refused.get(state.champion or "")
    return {
        "champion": state.champion,
        "loaded_version": active.version if active else None,
        "gates_passed": active.gates_passed if active else None,
        "refused": refused[2] if refused else None,
    }


def publish_change() -> None:
    """Bump the shared epoch so every worker re-checks the champion on its next request.

    This process re-checks at once in any case: the admin who promoted sees the result.
    """
    with _states_lock:
        for state in _states.values():
            state.checked_at = float("-inf")
    url = _settings_value("redis_url", None)
    if not url:
        return
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=0.5).incr(REDIS_EPOCH_KEY)
    except Exception as exc:  # a missing signal only delays the swap to the refresh interval
        log.warning("model_signal_failed", error_type=type(exc).__name__)


def reset_cache() -> None:
    """Forget every loaded model (tests, and after a database swap in scripts)."""
    with _states_lock:
        _states.clear()


def _state_for(session: Session) -> _StoreState:
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    state = _states.get(key)
    if state is None:
        with _states_lock:
            state = _states.setdefault(key, _StoreState())
    return state


def _due(state: _StoreState, now: float) -> bool:
    refresh = float(_settings_value("model_refresh_seconds", DEFAULT_REFRESH_SECONDS))
    if now - state.checked_at >= refresh:
        return True
    return _redis_epoch_changed(state, now)


def _redis_epoch_changed(state: _StoreState, now: float) -> bool:
    url = _settings_value("redis_url", None)
    if not url or now - state.redis_checked_at < REDIS_POLL_SECONDS:
        return False
    state.redis_checked_at = now
    try:
        import redis

        epoch = redis.Redis.from_url(url, socket_timeout=0.2).get(REDIS_EPOCH_KEY)
    except Exception:  # Redis is optional: fall back to the refresh interval
        return False
    changed = state.redis_epoch is not None and epoch != state.redis_epoch
    state.redis_epoch = epoch  # type: ignore[assignment]
    return changed


def _refresh(state: _StoreState, session: Session) -> None:
    row = session.exec(
        select(RankerVersion.id, RankerVersion.version, RankerVersion.sha256)
        .join(RankerAlias, RankerAlias.version_id == RankerVersion.id)  # type: ignore[arg-type]
        .where(RankerAlias.alias == ModelAlias.CHAMPION.value)
    ).first()
    if row is None:
        if state.active is not None:
            log.info("model_unloaded", version=state.active.version, reason="no_champion")
        state.champion, state.active = None, None
        return
    version_id, version, sha256 = row
    state.champion = version
    if state.active is not None and (state.active.version, state.active.sha256) == (
        version,
        sha256,
    ):
        return
    artifact, gates = session.exec(
        select(RankerVersion.artifact, RankerVersion.gates).where(RankerVersion.id == version_id)
    ).one()
    data = bytes(artifact)
    digest = sha256_hex(data)
    refused = state.refused.get(version)
    if refused is not None and refused[:2] == (sha256, digest):
        return  # the same bytes as last time: no second attempt to deserialise them
    try:
        ranker = _load(data, sha256)
    except Exception as exc:
        state.refused[version] = (sha256, digest, type(exc).__name__)
        log.error(
            "model_artifact_refused",
            version=version,
            error_type=type(exc).__name__,
            keeps_serving=state.active.version if state.active else None,
        )
        return
    state.refused.pop(version, None)
    previous = state.active.version if state.active else None
    state.active = ActiveModel(
        version=version, sha256=sha256, ranker=ranker, gates_passed=gates_passed(gates or {})
    )
    log.info("model_loaded", version=version, previous=previous)


def _load(artifact: bytes, sha256: str) -> Any:
    # Checked here too, so a tampered row is refused whatever the decoder does.
    if sha256_hex(artifact) != sha256:
        raise ArtifactRefusedError("sha256 mismatch")
    return decode_artifact(artifact, sha256)


def _settings_value(name: str, default: Any) -> Any:
    if not has_app_context():
        return default

    return getattr(get_settings(current_app), name, default)
