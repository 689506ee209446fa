"""Demo history through the real tables: past recommendations, decisions and dated outcomes
for the demo caseload, drawn from the synthetic world and flagged ``synthetic``.

One past case per person, so that retraining's person split keeps most people; dates are moved
so that the latest case lies about eight months back, and an employment status is only filled
in once its reference day (6 or 12 months after the end, or after the decision) has passed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import insert
from sqlmodel import Session

from models.enums import DecisionAction, DecisionReason, OutcomeStatus, RankingMode
from models.recommendation import Decision, Outcome, Recommendation
from service.caseload.outcome_checks import add_months
from training.data.schema import PROFILE_COLUMNS
from training.synthetic import SyntheticWorld

LATEST_CASE_DAYS_AGO = 240
SHARE_OVERRIDE = 0.3
SHARE_DROPPED = 0.15
NO_MEASURE_REASONS = (
    DecisionReason.JOB_OFFER,
    DecisionReason.NOT_READY,
    DecisionReason.PERSON_DECLINED,
)
HISTORY_REASON = "Demo-Historie (synthetisch)"


@dataclass(frozen=True)
class Caseload:
    """Where the synthetic ids live in the database."""

    profile_ids: dict[int, int]  # person_id → profile.id
    owner_ids: dict[int, int]  # person_id → counsellor id
    offer_ids: dict[int, int]  # synthetic offer_id → offer.id


@dataclass
class _Rows:
    recommendations: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]


def seed_history(
    session: Session, world: SyntheticWorld, caseload: Caseload, *, today: date, seed: int
) -> int:
    """Insert one past case per demo person; returns the number of cases."""
    rng = np.random.default_rng(seed + 3)
    cases = _one_case_per_person(world.episodes, caseload, seed)
    if cases.empty:
        return 0
    latest = pd.Timestamp(cases["start_date"].max()).date()
    shift = (today - timedelta(days=LATEST_CASE_DAYS_AGO)) - latest
    offers = world.offers.set_index("offer_id")
    rows = _Rows([], [], [])
    records: list[dict[str, Any]] = cases.to_dict(orient="records")  # type: ignore[assignment]
    for case in records:
        _add_case(rows, case, caseload, offers, shift=shift, today=today, rng=rng)
    session.execute(insert(Recommendation), rows.recommendations)
    session.execute(insert(Decision), rows.decisions)
    session.execute(insert(Outcome), rows.outcomes)
    return len(rows.recommendations)


def _one_case_per_person(episodes: pd.DataFrame, caseload: Caseload, seed: int) -> pd.DataFrame:
    known = episodes[episodes["person_id"].isin(list(caseload.profile_ids))]
    known = known[known["offer_id"].isna() | known["offer_id"].isin(list(caseload.offer_ids))]
    return known.groupby("person_id").sample(n=1, random_state=seed).reset_index(drop=True)


def _snapshot(case: dict[str, Any]) -> dict[str, Any]:
    snapshot: dict[str, Any] = {}
    for name in PROFILE_COLUMNS:
        value = case[name]
        if name == "target_occupations":
            value = list(value)
        elif name == "last_occupation":
            value = value if isinstance(value, str) else None
        elif hasattr(value, "item"):
            value = value.item()
        snapshot[name] = value
    return snapshot


def _item(rank: int, offer_id: int, offers: pd.DataFrame, synthetic_id: int) -> dict[str, Any]:
    return {
        "rank": rank,
        "offer_id": offer_id,
        "title": str(offers.at[synthetic_id, "title"]),
        "measure_type": str(offers.at[synthetic_id, "measure_type"]),
        "score": round(1.0 / rank, 3),
        "p_without": None,
        "p_with": None,
        "effect_pp": None,
        "effect_interval_pp": None,
        "reasons": [HISTORY_REASON],
        "warnings": [],
    }


def _add_case(
    rows: _Rows,
    case: dict[str, Any],
    caseload: Caseload,
    offers: pd.DataFrame,
    *,
    shift: timedelta,
    today: date,
    rng: np.random.Generator,
) -> None:
    person = int(case["person_id"])
    request_id = str(uuid.UUID(bytes=rng.bytes(16), version=4))
    asked_on = pd.Timestamp(case["start_date"]).date() + shift
    asked_at = datetime.combine(asked_on, time(10, 0), tzinfo=UTC)
    decided_at = asked_at + timedelta(days=1)
    taken = None if pd.isna(case["offer_id"]) else int(case["offer_id"])
    others = [int(o) for o in rng.choice(offers.index.to_numpy(), size=3, replace=False)]
    others = [o for o in others if o != taken][:2]
    override = taken is not None and rng.random() < SHARE_OVERRIDE
    ranked = others if taken is None or override else [taken, *others]
    common = {
        "profile_id": caseload.profile_ids[person],
        "synthetic": True,
    }
    rows.recommendations.append(
        {
            **common,
            "request_id": request_id,
            "counsellor_id": caseload.owner_ids[person],
            "mode": RankingMode.RULES,
            "k": len(ranked),
            "input_snapshot": _snapshot(case),
            "offer_snapshot": [],
            "items": [
                _item(rank, caseload.offer_ids[o], offers, o)
                for rank, o in enumerate(ranked, start=1)
            ],
            "created_at": asked_at,
        }
    )
    rows.decisions.append(
        {
            **common,
            "request_id": request_id,
            "counsellor_id": caseload.owner_ids[person],
            **_decision(taken, override, caseload, rng),
            "created_at": decided_at,
        }
    )
    facts = _facts(case, taken, offers, decided_at.date(), today=today, rng=rng)
    rows.outcomes.append(
        {
            **common,
            "request_id": request_id,
            "offer_id": caseload.offer_ids[taken] if taken is not None else None,
            **facts,
            "version": 1,
            "created_at": datetime.combine(
                facts["employed_6m_on"] or today, time(12, 0), tzinfo=UTC
            ),
        }
    )


def _decision(
    taken: int | None, override: bool, caseload: Caseload, rng: np.random.Generator
) -> dict[str, Any]:
    if taken is None:
        reason = NO_MEASURE_REASONS[int(rng.integers(0, len(NO_MEASURE_REASONS)))]
        return {"action": DecisionAction.NO_MEASURE, "offer_id": None, "reason_code": reason}
    return {
        "action": DecisionAction.OVERRIDE if override else DecisionAction.ACCEPTED,
        "offer_id": caseload.offer_ids[taken],
        "reason_code": DecisionReason.BETTER_ALTERNATIVE if override else DecisionReason.FITS_GOALS,
        "recommended_rank": None if override else 1,
    }


def _facts(
    case: dict[str, Any],
    taken: int | None,
    offers: pd.DataFrame,
    decided_on: date,
    *,
    today: date,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Start, end and the employment statuses whose reference day has passed."""
    if taken is None:
        status, started, ended, base = OutcomeStatus.NOT_STARTED, None, None, decided_on
    else:
        started = decided_on + timedelta(days=int(rng.integers(7, 42)))
        weeks = int(offers["duration_weeks"].loc[taken])
        dropped = rng.random() < SHARE_DROPPED
        if dropped:
            weeks = max(1, int(weeks * rng.uniform(0.1, 0.7)))
        status = OutcomeStatus.DROPPED if dropped else OutcomeStatus.COMPLETED
        ended = started + timedelta(weeks=weeks)
        base = ended
        if ended > today:
            status, ended = OutcomeStatus.STARTED, None
    facts: dict[str, Any] = {"status": status, "started_on": started, "ended_on": ended}
    for name, months in (("employed_6m", 6), ("employed_12m", 12)):
        reference = add_months(base, months) if status != OutcomeStatus.STARTED else None
        known = reference is not None and reference <= today
        facts[name] = bool(case[name]) if known else None
        facts[f"{name}_on"] = reference if known else None
    return facts
