"""Partner organisations (Träger): managed by the coordination office, audited like offers."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from models.base import utcnow
from models.enums import District, ProviderKind
from models.provider import Provider, ProviderCreate, ProviderPublic, ProviderUpdate
from service.core import audit
from service.core.audit import Actor
from service.core.domain_errors import Conflict, NotFound
from service.core.versioning import save_versioned


def to_public(provider: Provider) -> dict[str, Any]:
    return ProviderPublic.model_validate(provider, from_attributes=True).model_dump(mode="json")


def create_provider(session: Session, data: ProviderCreate, *, by: Actor) -> Provider:
    provider = Provider(**data.model_dump())
    session.add(provider)
    session.flush()
    audit.record(session, "provider.create", "provider", provider.id, by=by)
    session.flush()
    return provider


def get_provider(session: Session, provider_id: int) -> Provider:
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(_("Träger nicht gefunden."))
    return provider


def list_providers(
    session: Session,
    *,
    limit: int,
    offset: int,
    district: District | None = None,
    kind: ProviderKind | None = None,
    q: str | None = None,
) -> tuple[list[Provider], int]:
    query = select(Provider)
    if district:
        query = query.where(Provider.district == district)
    if kind:
        query = query.where(Provider.kind == kind)
    if q:
        query = query.where(func.lower(Provider.name).contains(q.strip().lower()))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = list(session.exec(query.order_by(col(Provider.id)).limit(limit).offset(offset)))
    return rows, total


def update_provider(
    session: Session, provider_id: int, data: ProviderUpdate, *, by: Actor
) -> Provider:
    provider = get_provider(session, provider_id)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    changes = {k: v for k, v in changes.items() if v is not None}
    if data.version != provider.version:
        raise stale(provider.version)
    provider.updated_at = utcnow()
    save_versioned(session, provider, changes, stale, action="provider.update", by=by)
    return provider


def stale(current: int) -> Conflict:
    return Conflict(
        _("Der Träger wurde inzwischen geändert. Bitte neu laden."),
        code="version_conflict",
        extra={"current_version": current},
    )
