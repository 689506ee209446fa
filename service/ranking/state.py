"""Which ranking mode is configured (the operator's kill switch) and which model is champion."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from models.enums import ModelAlias, RankingMode
from models.registry import RankerAlias, RankerVersion, Setting
from service.ranking.model_store import model_status

RANKING_MODE_KEY = "ranking_mode"


def configured_mode(session: Session) -> RankingMode:
    setting = session.get(Setting, RANKING_MODE_KEY)
    return RankingMode(setting.value) if setting else RankingMode.MODEL


def champion_version(session: Session) -> str | None:
    row = session.exec(
        select(RankerVersion.version)
        .join(RankerAlias, RankerAlias.version_id == RankerVersion.id)  # type: ignore[arg-type]
        .where(RankerAlias.alias == ModelAlias.CHAMPION.value)
    ).first()
    return row


def ranking_status(session: Session) -> dict[str, Any]:
    """Effective mode: ``model`` only when configured so and a champion exists.

    ``gates_passed`` says whether the model that serves passed its gates; ``None`` in rules
    mode, where no model serves.
    """
    mode = configured_mode(session)
    version = champion_version(session)
    if mode == RankingMode.RULES:
        return {
            "mode": "rules",
            "configured_mode": "rules",
            "model_version": None,
            "gates_passed": None,
            "reason": "kill_switch",
        }
    if version is None:
        return {
            "mode": "rules",
            "configured_mode": "model",
            "model_version": None,
            "gates_passed": None,
            "reason": "no_model",
        }
    return _serving_status(session, version)


def _serving_status(session: Session, champion: str) -> dict[str, Any]:
    """What this worker actually serves: the champion, a previous model it keeps after refusing
    a broken artifact, or nothing (then rules)."""

    served = model_status(session)
    loaded = served["loaded_version"]
    if loaded is None:
        return {
            "mode": "rules",
            "configured_mode": "model",
            "model_version": None,
            "gates_passed": None,
            "reason": "model_unavailable",
            "champion_version": champion,
        }
    return {
        "mode": "model",
        "configured_mode": "model",
        "model_version": loaded,
        "gates_passed": served["gates_passed"],
        "reason": None if loaded == champion else "champion_refused",
        "champion_version": champion,
    }
