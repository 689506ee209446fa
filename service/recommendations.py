"""Recommendation requests, their immutable snapshots, counsellor decisions and outcomes.

Each request stores what is needed to explain and replay it (EU AI Act Art. 12): the profile
record the ranker saw, the ranked offers as scored, the mode and the model version and hash.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, is_dataclass
from datetime import date
from enum import StrEnum
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

import structlog
from sqlmodel import Session, col, select

from models.base import utcnow
from models.enums import (
    AgeBand,
    BenefitRegime,
    Citizenship,
    DecisionAction,
    District,
    Gender,
    GermanLevel,
    OfferStatus,
    RankingMode,
    RecognitionStatus,
    SchoolCertificate,
    VocationalQualification,
)
from models.offer import Offer
from models.profile import Profile
from models.recommendation import (
    Decision,
    DecisionCreate,
    Outcome,
    OutcomeCreate,
    Recommendation,
)
from models.user import User
from service import audit
from service.catalog import current_catalog
from service.config import get_settings
from service.errors import ConflictError, NotFoundError, UnprocessableError
from service.metrics import RECOMMENDATION_LATENCY
from service.model_store import get_active_model
from service.profiles import get_owned
from service.ranking_state import ranking_status
from training.recommend import recommend
from training.schema import OfferRecord, ProfileRecord
from training.shortlist import ShortlistPolicy

log = structlog.get_logger(__name__)
TERMINAL_ACTIONS = frozenset(
    {DecisionAction.ACCEPTED, DecisionAction.OVERRIDE, DecisionAction.NO_MEASURE}
)


def profile_record(profile: Profile) -> ProfileRecord:
    """The ranker's view of a stored profile (enum codes restored from their stored strings)."""
    return ProfileRecord(
        age_band=AgeBand(profile.age_band),
        gender=Gender(profile.gender),
        district=District(profile.district),
        citizenship=Citizenship(profile.citizenship),
        migration_background=profile.migration_background,
        german_level=GermanLevel(profile.german_level),
        school_certificate=SchoolCertificate(profile.school_certificate),
        vocational_qualification=VocationalQualification(profile.vocational_qualification),
        foreign_qualification=profile.foreign_qualification,
        recognition_status=RecognitionStatus(profile.recognition_status),
        unemployment_months=profile.unemployment_months,
        benefit_regime=BenefitRegime(profile.benefit_regime),
        care_duties=profile.care_duties,
        single_parent=profile.single_parent,
        hours_available=profile.hours_available,
        driving_licence=profile.driving_licence,
        max_commute_minutes=profile.max_commute_minutes,
        health_restriction=profile.health_restriction,
        last_occupation=profile.last_occupation,
        target_occupations=tuple(profile.target_occupations),
    )


SNAPSHOT_POLICY_KEY = "shortlist_policy"


def shortlist_policy() -> ShortlistPolicy:
    """The shortlist rules with the configured start window."""
    return ShortlistPolicy(start_window_days=get_settings().recommendation_start_window_days)


def _active_model(session: Session) -> Any:
    return get_active_model(session)


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def create_recommendation(
    session: Session, profile_id: int, *, user: User, k: int, as_of: date | None = None
) -> Recommendation:
    """Rank the eligible offers for one profile of the caller's caseload and log the request."""
    started = time.perf_counter()
    profile = get_owned(session, profile_id, owner=user)
    record = profile_record(profile)
    status = ranking_status(session)
    model = _active_model(session) if status["mode"] == RankingMode.MODEL else None
    mode = RankingMode.MODEL if model is not None else RankingMode.RULES
    cached = current_catalog(session)
    policy = shortlist_policy()
    result = recommend(
        model.ranker if model is not None else None,
        record,
        cached.catalog,
        k=k,
        as_of=as_of or date.today(),
        mode=mode.value,
        policy=policy,
    )
    items = [_jsonable(item) for item in result.items]
    rec = Recommendation(
        request_id=str(uuid.uuid4()),
        profile_id=profile_id,
        counsellor_id=user.id,
        mode=mode,
        model_version=model.version if model is not None else None,
        model_sha256=model.sha256 if model is not None else None,
        k=k,
        # The shortlist rules travel with the inputs, so that a replay builds the same list.
        input_snapshot={**_jsonable(record), SNAPSHOT_POLICY_KEY: _jsonable(policy)},
        offer_snapshot=[_jsonable(cached.offers[item["offer_id"]]) for item in items],
        items=items,
        message=result.message,
    )
    session.add(rec)
    profile.last_activity_at = utcnow()
    session.add(profile)
    audit.record(
        session,
        "recommendation.create",
        "recommendation",
        rec.request_id,
        detail={
            "profile_id": profile_id,
            "mode": mode.value,
            "k": k,
            "model_version": rec.model_version,
            "n_items": len(items),
        },
    )
    session.commit()
    _observe_latency(time.perf_counter() - started, mode)
    return rec


def _observe_latency(seconds: float, mode: RankingMode) -> None:
    RECOMMENDATION_LATENCY.labels(mode=mode.value).observe(seconds)


def get_recommendation(session: Session, request_id: str, *, user: User) -> Recommendation:
    rec = session.get(Recommendation, request_id)
    if rec is None:
        raise NotFoundError("Empfehlung nicht gefunden.")
    get_owned(session, rec.profile_id, owner=user)  # 404 for another caseload
    audit.record(session, "recommendation.read", "recommendation", request_id)
    session.commit()
    return rec


def list_for_profile(session: Session, profile_id: int, *, user: User) -> list[Recommendation]:
    get_owned(session, profile_id, owner=user)
    return list(
        session.exec(
            select(Recommendation)
            .where(Recommendation.profile_id == profile_id)
            .order_by(col(Recommendation.created_at).desc())
        )
    )


def to_public(rec: Recommendation) -> dict[str, Any]:
    return {
        "request_id": rec.request_id,
        "profile_id": rec.profile_id,
        "mode": rec.mode,
        "model_version": rec.model_version,
        "model_sha256": rec.model_sha256,
        "k": rec.k,
        "created_at": rec.created_at.isoformat(),
        "message": rec.message,
        "items": rec.items,
    }


def record_decision(
    session: Session, request_id: str, data: DecisionCreate, *, user: User
) -> Decision:
    rec = session.get(Recommendation, request_id)
    if rec is None:
        raise NotFoundError("Empfehlung nicht gefunden.")
    get_owned(session, rec.profile_id, owner=user)
    earlier = session.exec(select(Decision).where(Decision.request_id == request_id)).all()
    if any(d.action in TERMINAL_ACTIONS for d in earlier):
        raise ConflictError(
            "Zu dieser Empfehlung ist bereits eine Entscheidung erfasst.", code="decision_exists"
        )
    rank = _check_decision(session, rec, data)
    decision = Decision(
        request_id=request_id,
        profile_id=rec.profile_id,
        counsellor_id=user.id,
        action=data.action,
        offer_id=data.offer_id,
        reason_code=data.reason_code,
        recommended_rank=rank,
    )
    session.add(decision)
    session.flush()
    audit.record(
        session,
        "decision.create",
        "decision",
        decision.id,
        detail={
            "request_id": request_id,
            "action": data.action.value,
            "reason_code": data.reason_code.value,
        },
    )
    session.commit()
    return decision


def _check_decision(session: Session, rec: Recommendation, data: DecisionCreate) -> int | None:
    """The rank of the chosen offer in the recommendation, after checking the combination."""
    ranks = {item["offer_id"]: item["rank"] for item in rec.items}
    action = data.action
    if action == DecisionAction.NO_MEASURE:
        if data.offer_id is not None:
            raise _invalid("offer_id", "Bei „keine Maßnahme“ darf kein Angebot angegeben sein.")
        return None
    if data.offer_id is None:
        raise _invalid("offer_id", "Bitte das betroffene Angebot angeben.")
    if action in (DecisionAction.ACCEPTED, DecisionAction.REJECTED):
        if data.offer_id not in ranks:
            raise _invalid("offer_id", "Das Angebot gehört nicht zu dieser Empfehlung.")
        rank: int = ranks[data.offer_id]
        return rank
    offer = session.get(Offer, data.offer_id)  # override: any other approved offer
    if offer is None or offer.status != OfferStatus.APPROVED:
        raise _invalid("offer_id", "Angebot nicht gefunden oder nicht freigegeben.")
    return ranks.get(data.offer_id)


def _invalid(field: str, message: str) -> UnprocessableError:
    return UnprocessableError(details=[{"field": field, "code": "invalid", "message": message}])


def record_outcome(
    session: Session, profile_id: int, data: OutcomeCreate, *, user: User
) -> Outcome:
    profile = get_owned(session, profile_id, owner=user)
    if data.request_id is not None:
        rec = session.get(Recommendation, data.request_id)
        if rec is None or rec.profile_id != profile_id:
            raise _invalid("request_id", "Empfehlung gehört nicht zu diesem Profil.")
    if data.offer_id is not None and session.get(Offer, data.offer_id) is None:
        raise _invalid("offer_id", "Angebot nicht gefunden.")
    outcome = Outcome(**data.model_dump(), profile_id=profile_id, recorded_by_id=user.id)
    session.add(outcome)
    profile.last_activity_at = utcnow()
    session.add(profile)
    session.flush()
    audit.record(
        session, "outcome.create", "outcome", outcome.id, detail={"profile_id": profile_id}
    )
    session.commit()
    return outcome


def _restore(cls: type[Any], data: dict[str, Any]) -> Any:
    """Rebuild a ``ProfileRecord``/``OfferRecord`` from its JSON snapshot."""
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for name, hint in hints.items():
        if name not in data:
            continue
        values[name] = _convert(hint, data[name])
    return cls(**values)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(hint)
    if origin is tuple:
        inner = get_args(hint)[0]
        return tuple(_convert(inner, v) for v in value)
    if origin in (UnionType, Union):
        options = [a for a in get_args(hint) if a is not type(None)]
        return _convert(options[0], value)
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return hint(value)
    if hint is date:
        return date.fromisoformat(value)
    return value


def replay(session: Session, rec: Recommendation) -> list[dict[str, Any]]:
    """Score the stored snapshot again with the stored model version (audits, Art. 86)."""
    from service.registry import get_version
    from training.artifact import ranker_from_bytes

    profile = _restore(ProfileRecord, rec.input_snapshot)
    offers = [_restore(OfferRecord, o) for o in rec.offer_snapshot]
    ranker = None
    if rec.mode == RankingMode.MODEL and rec.model_version is not None:
        version = get_version(session, rec.model_version)
        ranker = ranker_from_bytes(version.artifact, expected_sha256=rec.model_sha256)
    if not offers:
        return []
    result = recommend(
        ranker,
        profile,
        offers,
        k=len(offers),
        as_of=rec.created_at.date(),
        mode=rec.mode,
        policy=ShortlistPolicy(**rec.input_snapshot.get(SNAPSHOT_POLICY_KEY, {})),
    )
    return [_jsonable(item) for item in result.items]
