"""Data lifecycle: recommendation logs after their retention period, profiles after inactivity.

Recommendation logs are kept for ``RECOMMENDATION_RETENTION_DAYS`` (at least six months, EU AI
Act Art. 12); a profile nobody has touched for ``PROFILE_INACTIVE_DAYS`` is erased with all that
was derived from it (GDPR storage limitation). Every run leaves an audit event with counts only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from models.base import utcnow
from models.profile import Profile
from models.recommendation import Decision, Outcome, Recommendation
from service.core import audit
from service.core.audit import CLI, Actor
from service.core.config import Settings


@dataclass(frozen=True)
class RetentionReport:
    recommendations: int
    decisions: int
    profiles: int
    profile_recommendations: int
    profile_decisions: int
    profile_outcomes: int
    dry_run: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_retention(
    session: Session,
    *,
    settings: Settings,
    now: datetime | None = None,
    dry_run: bool = False,
    by: Actor = CLI,
) -> RetentionReport:
    """Delete what has outlived its purpose (or only count it, with ``dry_run``)."""
    now = now or utcnow()
    log_cutoff = now - timedelta(days=settings.recommendation_retention_days)
    profile_cutoff = now - timedelta(days=settings.profile_inactive_days)

    inactive = _inactive_profile_ids(session, profile_cutoff)
    in_profiles: dict[str, int] = {
        "profile_recommendations": _count(session, Recommendation.profile_id, inactive),
        "profile_decisions": _count(session, Decision.profile_id, inactive),
        "profile_outcomes": _count(session, Outcome.profile_id, inactive),
    }
    old_logs = select(Recommendation.request_id).where(
        col(Recommendation.created_at) < log_cutoff,
        col(Recommendation.profile_id).not_in(inactive),
    )
    old_ids = list(session.exec(old_logs).all())
    old_decisions = _count(session, Decision.request_id, old_ids)

    if not dry_run:
        _delete_recommendations(session, old_ids)
        _delete_profiles(session, inactive)
    report = RetentionReport(
        recommendations=len(old_ids),
        decisions=old_decisions,
        profiles=len(inactive),
        dry_run=dry_run,
        **in_profiles,
    )
    audit.record(session, "retention.run", "retention", None, detail=report.as_dict(), by=by)
    session.flush()
    return report


def _inactive_profile_ids(session: Session, cutoff: datetime) -> list[int]:
    """Profiles whose last activity, change, recommendation, decision and outcome all predate
    ``cutoff``."""
    last_touch = func.coalesce(col(Profile.updated_at), col(Profile.created_at))
    candidates = select(col(Profile.id)).where(
        last_touch < cutoff, col(Profile.last_activity_at) < cutoff
    )
    recent = [
        _recent(Recommendation.profile_id, Recommendation.created_at, cutoff),
        _recent(Decision.profile_id, Decision.created_at, cutoff),
        _recent(Outcome.profile_id, Outcome.created_at, cutoff),
    ]
    for subquery in recent:
        candidates = candidates.where(col(Profile.id).not_in(subquery))
    return [int(pid) for pid in session.exec(candidates).all() if pid is not None]


def _recent(profile_column: Any, created_column: Any, cutoff: datetime) -> Any:
    return select(col(profile_column)).where(col(created_column) >= cutoff)


def _count(session: Session, column: Any, values: list[Any]) -> int:
    if not values:
        return 0
    statement = select(func.count()).select_from(column.table).where(col(column).in_(values))
    return int(session.exec(statement).one())


def _delete_recommendations(session: Session, request_ids: list[str]) -> None:
    if not request_ids:
        return
    session.exec(delete(Decision).where(col(Decision.request_id).in_(request_ids)))
    session.exec(delete(Recommendation).where(col(Recommendation.request_id).in_(request_ids)))


def _delete_profiles(session: Session, profile_ids: list[int]) -> None:
    """Derived rows go explicitly first, so no backend's cascade setting can leave them behind."""
    if not profile_ids:
        return
    for model in (Decision, Outcome, Recommendation):
        session.exec(delete(model).where(col(model.profile_id).in_(profile_ids)))
    session.exec(delete(Profile).where(col(Profile.id).in_(profile_ids)))


def erase_profile(session: Session, profile: Profile, *, by: Actor = CLI) -> dict[str, int]:
    """Erase one profile with everything derived from it; returns counts for the operator."""
    assert profile.id is not None
    ids = [profile.id]
    counts = {
        "recommendations": _count(session, Recommendation.profile_id, ids),
        "decisions": _count(session, Decision.profile_id, ids),
        "outcomes": _count(session, Outcome.profile_id, ids),
    }
    _delete_profiles(session, ids)
    audit.record(session, "profile.erase", "profile", profile.id, detail=counts, by=by)
    session.flush()
    return counts
