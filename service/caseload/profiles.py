"""Caseload operations on pseudonymised profiles; every read and write is audited."""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from models.base import utcnow
from models.enums import UnemploymentBand
from models.profile import (
    Profile,
    ProfileCreate,
    ProfilePublic,
    ProfileUpdate,
    profile_focus_groups,
)
from models.user import User
from service.core import audit
from service.core.audit import Actor
from service.core.domain_errors import Conflict, Invalid, NotFound
from service.core.security import pseudonym
from service.core.versioning import save_versioned
from service.occupations import unknown_codes


def to_public(profile: Profile) -> dict[str, Any]:
    """The API view: stored fields plus the derived unemployment band and focus groups."""
    data = {
        name: getattr(profile, name)
        for name in ProfilePublic.model_fields
        if hasattr(profile, name)
    }
    data["unemployment_band"] = UnemploymentBand.from_months(profile.unemployment_months)
    data["focus_groups"] = sorted(g.value for g in profile_focus_groups(profile))
    return ProfilePublic.model_validate(data).model_dump(mode="json")


def _check_codes(session: Session, last: str | None, targets: list[str] | None) -> None:
    details = []
    if last is not None and unknown_codes(session, [last]):
        details.append(
            {
                "field": "last_occupation",
                "code": "unknown_kldb",
                "message": _("Unbekannter KldB-Code (5-stellig erwartet)."),
            }
        )
    for i, code in enumerate(targets or []):
        if unknown_codes(session, [code]):
            details.append(
                {
                    "field": f"target_occupations.{i}",
                    "code": "unknown_kldb",
                    "message": _("Unbekannter KldB-Code (5-stellig erwartet)."),
                }
            )
    if details:
        raise Invalid(details=details)


def create_profile(
    session: Session, data: ProfileCreate, *, owner: User, pseudonym_key: str
) -> Profile:
    _check_codes(session, data.last_occupation, data.target_occupations)
    key = pseudonym(data.client_number, key=pseudonym_key)
    existing = session.exec(
        select(Profile).where(Profile.pseudonym == key, Profile.owner_id == owner.id)
    ).first()
    if existing is not None:
        raise _duplicate(existing)
    profile = Profile(
        **data.model_dump(exclude={"client_number"}), pseudonym=key, owner_id=_id(owner)
    )
    session.add(profile)
    try:
        session.flush()
    except IntegrityError:  # a concurrent request created the same person
        session.rollback()
        raise Conflict(
            _("Für diese Kundennummer existiert bereits ein Profil."), code="duplicate_profile"
        ) from None
    audit.record(session, "profile.create", "profile", profile.id, by=Actor.of(owner))
    session.flush()
    return profile


def _id(user: User) -> int:
    assert user.id is not None, "persisted users have an id"
    return user.id


def _duplicate(existing: Profile) -> Conflict:
    """Only ever about the caller's own caseload: other caseloads are not looked at at all."""
    return Conflict(
        _("Für diese Kundennummer existiert bereits ein Profil."),
        code="duplicate_profile",
        extra={"profile_id": existing.id},
    )


def get_owned(session: Session, profile_id: int, *, owner: User) -> Profile:
    """Another counsellor's profile is reported as missing, so ids reveal nothing."""
    profile = session.get(Profile, profile_id)
    if profile is None or profile.owner_id != owner.id:
        raise NotFound(_("Profil nicht gefunden."))
    return profile


Row = TypeVar("Row", bound=Any)


def get_owned_row(
    session: Session, model: type[Row], ident: Any, *, user: User, missing: str
) -> Row:
    """A row that belongs to one of ``user``'s profiles; another caseload's is missing too."""
    row = session.get(model, ident)
    if row is None:
        raise NotFound(missing)
    get_owned(session, row.profile_id, owner=user)  # 404 for another caseload
    return row


def read_profile(session: Session, profile_id: int, *, owner: User) -> Profile:
    profile = get_owned(session, profile_id, owner=owner)
    audit.record(session, "profile.read", "profile", profile.id, by=Actor.of(owner))
    session.flush()
    return profile


def list_profiles(
    session: Session,
    *,
    owner: User,
    limit: int,
    offset: int,
    district: str | None = None,
    client_number: str | None = None,
    pseudonym_key: str = "",
) -> tuple[list[Profile], int]:
    query = select(Profile).where(Profile.owner_id == owner.id)
    if district:
        query = query.where(Profile.district == district)
    if client_number:
        query = query.where(Profile.pseudonym == pseudonym(client_number, key=pseudonym_key))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = list(session.exec(query.order_by(col(Profile.id)).limit(limit).offset(offset)))
    ids = [p.id for p in rows]
    audit.record(session, "profile.list", "profile", None, by=Actor.of(owner), detail={"ids": ids})
    session.flush()
    return rows, total


def update_profile(
    session: Session, profile_id: int, data: ProfileUpdate, *, owner: User
) -> Profile:
    profile = get_owned(session, profile_id, owner=owner)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    _check_codes(session, changes.get("last_occupation"), changes.get("target_occupations"))
    if data.version != profile.version:
        raise _stale(profile.version)
    profile.updated_at = profile.last_activity_at = utcnow()
    # The versioned flush: of two counsellors saving at once, only the first wins.
    save_versioned(session, profile, changes, _stale, action="profile.update", by=Actor.of(owner))
    return profile


def mark_active(session: Session, profile: Profile) -> None:
    """Note work on the profile (retention counts from it) without a new version: a form that
    was opened before a recommendation or an outcome was recorded can still be saved."""
    session.execute(
        update(Profile)
        .where(col(Profile.id) == profile.id)
        .values(last_activity_at=utcnow())
        .execution_options(synchronize_session="evaluate")
    )


def _stale(current: int) -> Conflict:
    return Conflict(
        _("Das Profil wurde inzwischen geändert. Bitte neu laden."),
        code="version_conflict",
        extra={"current_version": current},
    )


def delete_profile(session: Session, profile_id: int, *, owner: User) -> None:
    """Erase the profile and, by cascade, its recommendations, decisions and outcomes."""
    profile = get_owned(session, profile_id, owner=owner)
    session.delete(profile)
    audit.record(session, "profile.delete", "profile", profile_id, by=Actor.of(owner))
    session.flush()
