"""The model registry in the database: immutable versions, aliases, promotion and rollback.

Every alias move and every kill-switch change is audited in the same transaction; the caller
commits. On PostgreSQL alias moves take a transaction-scoped advisory lock so two admins
promoting at once cannot interleave their read-modify-write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import event, text
from sqlmodel import Session, col, select

from models.base import utcnow
from models.enums import RankingMode
from models.registry import RankerAlias, RankerVersion, RankerVersionPublic, Setting
from service.core import audit
from service.core.audit import CLI, Actor
from service.ranking.state import RANKING_MODE_KEY, configured_mode
from training.release.registry import (
    ALIASES,
    CANDIDATE,
    VersionNotFoundError,
    check_promotion,
    gates_passed,
    next_version,
    promoted,
    rolled_back,
    sha256_hex,
)

log = structlog.get_logger(__name__)

ALIAS_LOCK_KEY = 0x716D_616C  # "qmal": serialises alias moves on PostgreSQL
REASON_MAX_LENGTH = 1000


def current_aliases(session: Session) -> dict[str, str]:
    """``{alias: version}`` for the aliases that are set."""
    rows = session.exec(
        select(RankerAlias.alias, RankerVersion.version).join(
            RankerVersion,
            RankerVersion.id == RankerAlias.version_id,  # type: ignore[arg-type]
        )
    ).all()
    return {alias: version for alias, version in rows}


def get_version(session: Session, version: str) -> RankerVersion:
    row = session.exec(select(RankerVersion).where(RankerVersion.version == version)).first()
    if row is None:
        raise VersionNotFoundError(version)
    return row


def to_public(row: RankerVersion, aliases: dict[str, str]) -> RankerVersionPublic:
    names = sorted(a for a, v in aliases.items() if v == row.version)
    return RankerVersionPublic.model_validate(row, update={"aliases": names})


def _audit_version(
    session: Session, action: str, version: str, detail: dict[str, Any], *, by: Actor
) -> None:
    """Audit ``model.<action>`` on ``version`` in the caller's transaction."""
    audit.record(session, f"model.{action}", "ranker_version", version, detail=detail, by=by)


def list_versions(session: Session) -> list[RankerVersionPublic]:
    """All versions, newest first, without artifact bytes, card or plots."""
    table = RankerVersion.__table__  # type: ignore[attr-defined]
    columns = [c for c in table.columns if c.name not in ("artifact", "model_card", "plots")]
    rows = session.exec(select(*columns).order_by(col(RankerVersion.id).desc())).all()
    aliases = current_aliases(session)
    return [to_public(RankerVersion.model_construct(**dict(r._mapping)), aliases) for r in rows]


def register_version(
    session: Session,
    *,
    artifact: bytes,
    library_versions: dict[str, str],
    metrics: dict[str, Any],
    gates: dict[str, Any],
    model_card: str = "",
    plots: dict[str, str] | None = None,
    n_train: int = 0,
    n_test: int = 0,
    training_window: tuple[datetime | None, datetime | None] = (None, None),
    version: str | None = None,
    as_candidate: bool = True,
    by: Actor = CLI,
) -> RankerVersion:
    """Store a new immutable version (sha256 computed here, from the bytes actually stored)."""
    existing = session.exec(select(RankerVersion.version)).all()
    name = version or next_version(existing, utcnow().date())
    row = RankerVersion(
        version=name,
        artifact=artifact,
        sha256=sha256_hex(artifact),
        library_versions=library_versions,
        training_window_start=training_window[0],
        training_window_end=training_window[1],
        n_train=n_train,
        n_test=n_test,
        metrics=metrics,
        gates=gates,
        model_card=model_card,
        plots=plots or {},
    )
    session.add(row)
    session.flush()
    _audit_version(
        session,
        "register",
        name,
        {"sha256": row.sha256, "gates_passed": bool(gates.get("passed", False))},
        by=by,
    )
    if as_candidate:
        _move_aliases(session, lambda aliases: aliases | {CANDIDATE: name}, by=by)
    log.info("model_registered", version=name, sha256=row.sha256, n_train=n_train)
    return row


def promote(
    session: Session,
    version: str,
    *,
    by: Actor = CLI,
    reason: str | None = None,
    override_gates: bool = False,
) -> dict[str, str]:
    """Make ``version`` champion; the old champion becomes previous.

    A version that failed a gate is refused unless ``override_gates`` is set and a written
    ``reason`` is given; the override, the failed gates and the reason are audited.
    """
    row = get_version(session, version)
    reason = _clean(reason)
    overridden = check_promotion(version, row.gates, override_gates=override_gates, reason=reason)
    before, after = _move_aliases(session, lambda aliases: promoted(aliases, version), by=by)
    _audit_version(
        session,
        "promote",
        version,
        {
            "from": before.get("champion"),
            "to": version,
            "reason": reason,
            "gates_passed": gates_passed(row.gates),
            "override_gates": bool(overridden),
            "failed_gates": [f["name"] for f in overridden],
        },
        by=by,
    )
    log.info(
        "model_promoted",
        version=version,
        previous=before.get("champion"),
        override_gates=bool(overridden),
    )
    return after


def rollback(session: Session, *, by: Actor = CLI, reason: str | None = None) -> dict[str, str]:
    """Previous becomes champion again (and the current champion previous)."""
    before, after = _move_aliases(session, rolled_back, by=by)
    _audit_version(
        session,
        "rollback",
        after["champion"],
        {"from": before.get("champion"), "to": after["champion"], "reason": _clean(reason)},
        by=by,
    )
    log.info("model_rolled_back", version=after["champion"], replaced=before.get("champion"))
    return after


def set_ranking_mode(
    session: Session,
    mode: RankingMode,
    *,
    by: Actor = CLI,
    reason: str | None = None,
) -> RankingMode:
    """The kill switch: ``rules`` stops all model use at once, ``model`` re-enables it."""
    mode = RankingMode(mode)
    before = configured_mode(session)
    setting = session.get(Setting, RANKING_MODE_KEY)
    if setting is None:
        setting = Setting(key=RANKING_MODE_KEY, value=mode.value)
    setting.value = mode.value
    setting.updated_at = utcnow()
    setting.updated_by_id = by.id
    session.add(setting)
    audit.record(
        session,
        "settings.ranking_mode",
        "setting",
        RANKING_MODE_KEY,
        detail={"from": before.value, "to": mode.value, "reason": _clean(reason)},
        by=by,
    )
    log.info("ranking_mode_set", mode=mode.value, previous=before.value)
    return mode


def _clean(reason: str | None) -> str | None:
    return (reason or "").strip()[:REASON_MAX_LENGTH] or None


def _locked_aliases(session: Session) -> dict[str, str]:
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=ALIAS_LOCK_KEY))  # type: ignore[call-overload]
    return current_aliases(session)


def _move_aliases(
    session: Session, move: Callable[[dict[str, str]], dict[str, str]], *, by: Actor
) -> tuple[dict[str, str], dict[str, str]]:
    """Store ``move`` of the locked aliases; the aliases before and after."""
    before = _locked_aliases(session)
    after = move(before)
    _write_aliases(session, after, actor_id=by.id)
    return before, after


def _write_aliases(session: Session, aliases: dict[str, str], *, actor_id: int | None) -> None:
    ids: dict[str, int] = dict(
        session.exec(  # type: ignore[arg-type]
            select(RankerVersion.version, RankerVersion.id).where(
                col(RankerVersion.version).in_(list(aliases.values()))
            )
        ).all()
    )
    for alias in ALIASES:
        row = session.get(RankerAlias, alias)
        if alias not in aliases:
            if row is not None:
                session.delete(row)
            continue
        version_id = ids[aliases[alias]]
        if row is None:
            row = RankerAlias(alias=alias, version_id=version_id, updated_by_id=actor_id)
        elif row.version_id == version_id:
            continue
        row.version_id = version_id
        row.updated_at = utcnow()
        row.updated_by_id = actor_id
        session.add(row)
    session.flush()
    # Tell the web workers only once the new aliases are visible to them.
    event.listen(session, "after_commit", _publish_after_commit, once=True)


def _publish_after_commit(_session: Session) -> None:
    from service.ranking.model_store import publish_change

    publish_change()
