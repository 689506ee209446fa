"""Who may see and change which offer.

- coordinator, admin: every offer.
- partner: the offers of the provider the account is bound to (``users.provider_id``).
- counsellor: approved offers only, read-only.

An offer the caller may not see is reported as *missing* (404), for reads and writes alike, so
ids reveal nothing about other providers' drafts. Explicitly naming another provider (creating
or importing with a foreign ``provider_id``) is refused with 403.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, select

from models.enums import OfferStatus, Role
from models.offer import Offer
from models.provider import Provider
from models.user import User
from service.core.domain_errors import Forbidden, Invalid, NotFound

MANAGERS = frozenset({Role.COORDINATOR, Role.ADMIN})


def is_manager(user: User) -> bool:
    return user.role in MANAGERS


def scoped(query: Any, user: User) -> Any:
    """Restrict an offer query to what ``user`` may see."""
    if is_manager(user):
        return query
    if user.role == Role.PARTNER:
        return query.where(Offer.provider_id == partner_provider(user))
    if user.role == Role.COUNSELLOR:
        return query.where(Offer.status == OfferStatus.APPROVED)
    raise Forbidden()


def can_see(offer: Offer, user: User) -> bool:
    if is_manager(user):
        return True
    if user.role == Role.PARTNER:
        return offer.provider_id == user.provider_id
    return user.role == Role.COUNSELLOR and offer.status == OfferStatus.APPROVED


def can_edit(offer: Offer, user: User) -> bool:
    return is_manager(user) or (
        user.role == Role.PARTNER and offer.provider_id == partner_provider(user)
    )


def partner_provider(user: User) -> int:
    if user.provider_id is None:
        raise Forbidden(_("Dieses Partner-Konto ist keinem Träger zugeordnet."))
    return user.provider_id


def visible_offer(session: Session, offer_id: int, user: User) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None or not can_see(offer, user):
        raise NotFound(_("Angebot nicht gefunden."))
    return offer


def editable_offer(session: Session, offer_id: int, user: User) -> Offer:
    offer = visible_offer(session, offer_id, user)
    if not can_edit(offer, user):
        raise Forbidden(_("Nur der anbietende Träger oder die Koordinierungsstelle."))
    return offer


def target_provider(session: Session, user: User, requested: int | None) -> int:
    """The provider a new or imported offer belongs to."""
    if user.role == Role.PARTNER:
        own = partner_provider(user)
        if requested is not None and requested != own:
            raise Forbidden(_("Partner können nur Angebote des eigenen Trägers anlegen."))
        return own
    if not is_manager(user):
        raise Forbidden()
    if requested is None:
        raise Invalid(
            details=[{"field": "provider_id", "code": "missing", "message": _("Träger angeben.")}]
        )
    if session.exec(select(Provider.id).where(Provider.id == requested)).first() is None:
        raise Invalid(
            details=[
                {
                    "field": "provider_id",
                    "code": "unknown_provider",
                    "message": _("Diesen Träger gibt es nicht."),
                }
            ]
        )
    return requested
