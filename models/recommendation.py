"""What the service recommended, what the counsellor decided, and what happened afterwards.

Every row hangs off a profile and is erased with it (ON DELETE CASCADE).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import JSON, Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from models.base import MAX_INT, created_at_field
from models.enums import DecisionAction, DecisionReason, OutcomeStatus, RankingMode


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
    created_at: datetime = created_at_field()


class Decision(SQLModel, table=True):
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
    created_at: datetime = created_at_field()


class DecisionCreate(SQLModel):
    model_config = ConfigDict(  # type: ignore[assignment]
        json_schema_extra={
            "example": {"action": "no_measure", "offer_id": None, "reason_code": "job_offer"},
            "examples": [{"action": "no_measure", "offer_id": None, "reason_code": "job_offer"}],
        }
    )

    action: DecisionAction
    offer_id: int | None = Field(default=None, ge=1, le=MAX_INT)
    reason_code: DecisionReason


class DecisionPublic(DecisionCreate):
    id: int
    request_id: str
    profile_id: int
    recommended_rank: int | None
    created_at: datetime


class Outcome(SQLModel, table=True):
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
    employed_6m: bool | None = None
    employed_12m: bool | None = None
    recorded_by_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class OutcomeCreate(SQLModel):
    model_config = ConfigDict(  # type: ignore[assignment]
        json_schema_extra={
            "example": {"status": "not_started", "employed_6m": True, "employed_12m": None},
            "examples": [{"status": "not_started", "employed_6m": True, "employed_12m": None}],
        }
    )

    request_id: str | None = Field(default=None, max_length=36)
    offer_id: int | None = Field(default=None, ge=1, le=MAX_INT)
    status: OutcomeStatus
    employed_6m: bool | None = None
    employed_12m: bool | None = None


class OutcomePublic(OutcomeCreate):
    id: int
    profile_id: int
    created_at: datetime
