"""What the service recommended, what the counsellor decided, and what happened afterwards.

Every row hangs off a profile and is erased with it (ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, false, text
from sqlmodel import Field, SQLModel

from models.base import MAX_INT, created_at_field, timestamp_field, with_example
from models.enums import (
    DecisionAction,
    DecisionCorrectionReason,
    DecisionReason,
    OutcomeStatus,
    RankingMode,
)

#: Actions that close a recommendation; at most one current one per recommendation.
FINAL_ACTIONS = ("accepted", "override", "no_measure")
_CURRENT_FINAL = text("action IN ('accepted', 'override', 'no_measure') AND superseded_at IS NULL")


def _synthetic_flag() -> Any:
    """Rows seeded from the synthetic world (demo history), never real counsellor work."""
    return Field(default=False, nullable=False, sa_column_kwargs={"server_default": false()})


def _profile_fk() -> Any:
    return Field(
        sa_column=Column(
            Integer, ForeignKey("profile.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )


class Recommendation(SQLModel, table=True):
    """An immutable snapshot of one recommendation request (EU AI Act Art. 12 event log)."""

    request_id: str = Field(primary_key=True, sa_type=String(36))
    profile_id: int = _profile_fk()
    counsellor_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    mode: RankingMode = Field(sa_type=String(8))
    model_version: str | None = Field(default=None, sa_type=String(32))
    model_sha256: str | None = Field(default=None, sa_type=String(64))
    k: int = 5
    input_snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    offer_snapshot: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    items: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    message: str | None = Field(default=None, sa_type=String(500))
    synthetic: bool = _synthetic_flag()
    created_at: datetime = created_at_field()


class Decision(SQLModel, table=True):
    """A counsellor's decision. A correction is a new row pointing at the one it replaces
    (``corrects_id``); the replaced row keeps its values and gets ``superseded_at``."""

    __table_args__ = (
        # Exactly one current final decision per recommendation, even under concurrency.
        Index(
            "uq_decision_current_final",
            "request_id",
            unique=True,
            sqlite_where=_CURRENT_FINAL,
            postgresql_where=_CURRENT_FINAL,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_id: str = Field(
        sa_column=Column(
            String(36),
            ForeignKey("recommendation.request_id", ondelete="CASCADE"),
            index=True,
            nullable=False,
        )
    )
    profile_id: int = _profile_fk()
    counsellor_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    action: DecisionAction = Field(sa_type=String(16))
    offer_id: int | None = Field(default=None, foreign_key="offer.id", ondelete="SET NULL")
    reason_code: DecisionReason = Field(sa_type=String(32))
    recommended_rank: int | None = None
    # A chain is only ever deleted as a whole (with its recommendation or profile).
    corrects_id: int | None = Field(default=None, foreign_key="decision.id")
    correction_reason: DecisionCorrectionReason | None = Field(default=None, sa_type=String(32))
    superseded_at: datetime | None = timestamp_field()
    synthetic: bool = _synthetic_flag()
    created_at: datetime = created_at_field()


_DECISION_EXAMPLE: dict[str, Any] = {
    "action": "no_measure",
    "offer_id": None,
    "reason_code": "job_offer",
}


class DecisionCreate(SQLModel):
    model_config = with_example(_DECISION_EXAMPLE)  # type: ignore[assignment]

    action: DecisionAction
    offer_id: int | None = Field(default=None, ge=1, le=MAX_INT)
    reason_code: DecisionReason


class DecisionCorrection(DecisionCreate):
    model_config = with_example(_DECISION_EXAMPLE | {"correction_reason": "mis_click"})

    correction_reason: DecisionCorrectionReason


class DecisionPublic(DecisionCreate):
    id: int
    request_id: str
    profile_id: int
    recommended_rank: int | None
    corrects_id: int | None = None
    correction_reason: DecisionCorrectionReason | None = None
    superseded_at: datetime | None = None
    created_at: datetime


class OutcomeDates(SQLModel):
    """The optional dated facts an outcome row stores and a correction may change."""

    started_on: date | None = None
    ended_on: date | None = None
    employed_6m: bool | None = None
    employed_6m_on: date | None = None
    employed_12m: bool | None = None
    employed_12m_on: date | None = None


class Outcome(OutcomeDates, table=True):
    """What happened, as dated facts. A correction is a new version row (``corrects_id``,
    ``version`` + 1); the corrected row keeps its values and gets ``superseded_at``. Retraining
    reads only current rows (``superseded_at IS NULL``)."""

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = _profile_fk()
    request_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(36), ForeignKey("recommendation.request_id", ondelete="SET NULL"), index=True
        ),
    )
    offer_id: int | None = Field(default=None, foreign_key="offer.id", ondelete="SET NULL")
    status: OutcomeStatus = Field(sa_type=String(16))
    version: int = Field(default=1, nullable=False, sa_column_kwargs={"server_default": "1"})
    corrects_id: int | None = Field(default=None, foreign_key="outcome.id")
    superseded_at: datetime | None = timestamp_field()
    synthetic: bool = _synthetic_flag()
    recorded_by_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


_OUTCOME_EXAMPLE: dict[str, Any] = {
    "status": "completed",
    "started_on": "2025-03-03",
    "ended_on": "2025-07-25",
    "employed_6m": True,
    "employed_12m": None,
}


class OutcomeFacts(SQLModel):
    """The dated facts of an outcome; plausibility is checked by the service (422)."""

    status: OutcomeStatus
    started_on: date | None = Field(default=None, description="Beginn der Maßnahme")
    ended_on: date | None = Field(
        default=None, description="Ende der Maßnahme (Abschluss oder Abbruch)"
    )
    employed_6m: bool | None = None
    employed_6m_on: date | None = Field(
        default=None,
        description="Stichtag des Beschäftigungsstands nach 6 Monaten (Standard: 6 Monate nach "
        "Maßnahmeende bzw. nach der Entscheidung ohne Maßnahme)",
    )
    employed_12m: bool | None = None
    employed_12m_on: date | None = Field(
        default=None, description="Stichtag des Beschäftigungsstands nach 12 Monaten"
    )


class OutcomeCreate(OutcomeFacts):
    model_config = with_example(_OUTCOME_EXAMPLE)  # type: ignore[assignment]

    request_id: str | None = Field(default=None, max_length=36)
    offer_id: int | None = Field(default=None, ge=1, le=MAX_INT)


class OutcomeCorrection(OutcomeDates):
    """Fields to change; everything left out is taken over from the corrected version."""

    model_config = with_example({"employed_6m": False}, extra="forbid")  # type: ignore[assignment]

    offer_id: int | None = Field(default=None, ge=1, le=MAX_INT)
    status: OutcomeStatus | None = None


class OutcomePublic(OutcomeCreate):
    id: int
    profile_id: int
    version: int
    corrects_id: int | None
    superseded_at: datetime | None
    synthetic: bool
    created_at: datetime
