"""Recommendation requests, their immutable snapshots, counsellor decisions and outcomes.

Each request stores what is needed to explain and replay it (EU AI Act Art. 12): the profile
record the ranker saw, the ranked offers as scored, the mode and the model version and hash.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, is_dataclass
from datetime import date
from typing import Any

import structlog
from flask_babel import gettext as _
from pydantic import BaseModel, TypeAdapter
from sqlmodel import Session, col, select

from models.enums import (
    RankingMode,
)
from models.recommendation import Recommendation
from models.user import User
from service.caseload.profiles import get_owned, get_owned_row, mark_active
from service.core import audit
from service.core.audit import Actor
from service.core.clock import local_today
from service.core.config import get_settings
from service.core.metrics import RECOMMENDATION_LATENCY
from service.ranking.model_store import get_active_model
from service.ranking.state import ranking_status
from service.recommendations.catalog import ProviderContact, current_catalog
from training.data.records import profile_record
from training.data.schema import OfferRecord, ProfileRecord
from training.ranking.recommend import recommend
from training.ranking.shortlist import ShortlistPolicy

log = structlog.get_logger(__name__)


SNAPSHOT_POLICY_KEY = "shortlist_policy"


def shortlist_policy() -> ShortlistPolicy:
    """The shortlist rules with the configured start window."""
    return ShortlistPolicy(start_window_days=get_settings().recommendation_start_window_days)


def _active_model(session: Session) -> Any:
    return get_active_model(session)


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return _jsonable(asdict(value))
    if isinstance(value, BaseModel):
        return _jsonable(value.model_dump())
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
    as_of = as_of or local_today()
    result = recommend(
        model.ranker if model is not None else None,
        record,
        cached.catalog,
        k=k,
        as_of=as_of,
        mode=mode.value,
        policy=policy,
    )
    contacts = {offer_id: cached.providers[offer_id] for offer_id in _offer_ids(result.items)}
    items = _public_items(result.items, contacts)
    rec = Recommendation(
        request_id=str(uuid.uuid4()),
        profile_id=profile_id,
        counsellor_id=user.id,
        mode=mode,
        model_version=model.version if model is not None else None,
        model_sha256=model.sha256 if model is not None else None,
        k=k,
        # The request date and the shortlist rules travel with the snapshot: a replay must see
        # the same "today" and build the same list.
        input_snapshot=_jsonable(record)
        | {AS_OF_KEY: as_of.isoformat(), SNAPSHOT_POLICY_KEY: _jsonable(policy)},
        offer_snapshot=[
            _jsonable(cached.offers[item["offer_id"]]) | {"provider": contacts[item["offer_id"]]}
            for item in items
        ],
        items=items,
        message=result.message,
    )
    session.add(rec)
    mark_active(session, profile)
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
        by=Actor.of(user),
    )
    session.flush()
    _observe_latency(time.perf_counter() - started, mode)
    return rec


AS_OF_KEY = "as_of"


def _offer_ids(items: Any) -> list[int]:
    return [int(item.offer_id) for item in items]


def _public_items(items: Any, contacts: dict[int, dict[str, str]]) -> list[dict[str, Any]]:
    """Items as stored and served: the ranker's item plus the provider's contact."""
    empty = dict.fromkeys(ProviderContact.model_fields, "")
    return [
        _jsonable(item) | {"provider": contacts.get(int(item.offer_id), empty)} for item in items
    ]


def _observe_latency(seconds: float, mode: RankingMode) -> None:
    RECOMMENDATION_LATENCY.labels(mode=mode.value).observe(seconds)


def get_recommendation(session: Session, request_id: str, *, user: User) -> Recommendation:
    rec = get_owned_row(
        session, Recommendation, request_id, user=user, missing=_("Empfehlung nicht gefunden.")
    )
    audit.record(session, "recommendation.read", "recommendation", request_id, by=Actor.of(user))
    session.flush()
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


#: The snapshots are the records' JSON form (``_jsonable``); reading one validates it back.
_PROFILE_SNAPSHOT = TypeAdapter(ProfileRecord)
_OFFER_SNAPSHOTS = TypeAdapter(list[OfferRecord])


def replay(session: Session, rec: Recommendation) -> list[dict[str, Any]]:
    """Score the stored snapshot again with the stored model version (audits, Art. 86)."""
    from service.ranking.registry import get_version
    from training.release.artifact import ranker_from_bytes

    profile = _PROFILE_SNAPSHOT.validate_python(rec.input_snapshot)
    offers = _OFFER_SNAPSHOTS.validate_python(rec.offer_snapshot)
    ranker = None
    if rec.mode == RankingMode.MODEL and rec.model_version is not None:
        version = get_version(session, rec.model_version)
        ranker = ranker_from_bytes(version.artifact, expected_sha256=rec.model_sha256)
    if not offers:
        return []
    stored_as_of = rec.input_snapshot.get(AS_OF_KEY)
    as_of = date.fromisoformat(stored_as_of) if stored_as_of else local_today(rec.created_at)
    result = recommend(
        ranker,
        profile,
        offers,
        k=len(offers),
        as_of=as_of,
        mode=rec.mode,
        policy=ShortlistPolicy(**rec.input_snapshot.get(SNAPSHOT_POLICY_KEY, {})),
    )
    contacts = {int(o["offer_id"]): o["provider"] for o in rec.offer_snapshot if "provider" in o}
    return _public_items(result.items, contacts)
