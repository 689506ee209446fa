"""Retention and erasure: what is deleted, what is kept, and that it is audited with counts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from models.audit import AuditEvent
from models.base import utcnow
from models.enums import DecisionAction, DecisionReason, OutcomeStatus, RankingMode
from models.profile import EXAMPLE_PROFILE, Profile
from models.recommendation import Decision, Outcome, Recommendation
from service import get_settings
from service.caseload.retention import run_retention
from service.core.db import get_engine
from service.core.security import pseudonym

EXAMPLE = {k: v for k, v in EXAMPLE_PROFILE.items() if k != "client_number"}


def _profile(session, owner, *, age_days=0, client_number=None):
    created = utcnow() - timedelta(days=age_days)
    key = get_settings_key(session)
    profile = Profile(
        **EXAMPLE,
        pseudonym=pseudonym(client_number or uuid.uuid4().hex, key=key),
        owner_id=owner.id,
        created_at=created,
        last_activity_at=created,
    )
    session.add(profile)
    session.flush()
    return profile


def get_settings_key(session):
    return session.info["pseudonym_key"]


def _recommendation(session, profile, *, age_days, with_children=True):
    created = utcnow() - timedelta(days=age_days)
    rec = Recommendation(
        request_id=str(uuid.uuid4()),
        profile_id=profile.id,
        mode=RankingMode.RULES,
        created_at=created,
    )
    session.add(rec)
    session.flush()
    if with_children:
        session.add(
            Decision(
                request_id=rec.request_id,
                profile_id=profile.id,
                action=DecisionAction.NO_MEASURE,
                reason_code=DecisionReason.FITS_GOALS,
                created_at=created,
            )
        )
        session.add(
            Outcome(
                profile_id=profile.id,
                request_id=rec.request_id,
                status=OutcomeStatus.NOT_STARTED,
                created_at=created,
            )
        )
    session.flush()
    return rec


@pytest.fixture
def db(app):
    with Session(get_engine(app), expire_on_commit=False) as session:
        session.info["pseudonym_key"] = get_settings(app).pseudonym_key
        yield session


def _count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_old_recommendation_logs_go_recent_ones_stay(app, db, counsellor):
    profile = _profile(db, counsellor.user)
    old = _recommendation(db, profile, age_days=200)
    recent = _recommendation(db, profile, age_days=100)
    db.commit()

    report = run_retention(db, settings=get_settings(app))

    assert (report.recommendations, report.decisions, report.profiles) == (1, 1, 0)
    assert db.get(Recommendation, old.request_id) is None
    assert db.get(Recommendation, recent.request_id) is not None
    assert _count(db, Decision) == 1
    assert _count(db, Outcome) == 2  # outcomes are training data: kept, link cleared


def test_dry_run_counts_but_keeps(app, db, counsellor):
    profile = _profile(db, counsellor.user, age_days=1000)
    _recommendation(db, profile, age_days=900)
    db.commit()

    report = run_retention(db, settings=get_settings(app), dry_run=True)

    assert report.profiles == 1
    assert report.profile_recommendations == 1
    assert _count(db, Profile) == 1
    assert _count(db, Recommendation) == 1


def test_inactive_profile_is_erased_with_everything_derived(app, db, counsellor):
    stale = _profile(db, counsellor.user, age_days=800)
    _recommendation(db, stale, age_days=790)
    active = _profile(db, counsellor.user, age_days=800)
    _recommendation(db, active, age_days=5)
    db.commit()

    report = run_retention(db, settings=get_settings(app))

    assert report.profiles == 1
    assert (report.profile_recommendations, report.profile_decisions) == (1, 1)
    assert db.get(Profile, stale.id) is None
    assert db.get(Profile, active.id) is not None
    remaining = db.exec(select(Outcome.profile_id)).all()
    assert stale.id not in remaining


def test_run_is_audited_with_counts_only(app, db, counsellor):
    _profile(db, counsellor.user, age_days=800)
    db.commit()

    run_retention(db, settings=get_settings(app))

    event = db.exec(select(AuditEvent).where(AuditEvent.action == "retention.run")).one()
    assert event.detail["profiles"] == 1
    assert all(isinstance(v, int | bool) for v in event.detail.values())


def test_cli_retention_run(app, db, counsellor):
    _recommendation(db, _profile(db, counsellor.user), age_days=400)
    db.commit()

    with app.app_context():
        result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "1 (Entscheidungen: 1) würden gelöscht" in result.stderr


def test_cli_erase_by_client_number(app, db, counsellor):
    profile = _profile(db, counsellor.user, client_number="KR-123456")
    _recommendation(db, profile, age_days=1)
    db.commit()

    with app.app_context():
        result = app.test_cli_runner().invoke(
            args=["profiles", "erase", "--client-number", " kr-123456 "]
        )

    assert result.exit_code == 0, result.output
    db.expire_all()
    assert _count(db, Profile) == 0
    assert _count(db, Recommendation) == 0
    assert _count(db, Outcome) == 0
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "profile.erase")).one()
    assert event.detail == {"recommendations": 1, "decisions": 1, "outcomes": 1}
    assert "KR-123456" not in str(event.detail)


def test_cli_erase_unknown_client_number_fails(app):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["profiles", "erase", "--client-number", "X1"])
    assert result.exit_code == 1
