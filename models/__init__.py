"""SQLModel tables and API schemas; imports nothing of ours outside this package."""

from sqlmodel import SQLModel

from models import integrity
from models.audit import AuditEvent
from models.occupation import Occupation, OccupationTitle
from models.offer import Offer, OfferReview
from models.profile import Profile
from models.provider import Provider
from models.recommendation import Decision, Outcome, Recommendation
from models.registry import RankerAlias, RankerVersion, Setting
from models.user import ApiToken, User, WebSession

integrity.apply(SQLModel.metadata)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Decision",
    "Occupation",
    "OccupationTitle",
    "Offer",
    "OfferReview",
    "Outcome",
    "Profile",
    "Provider",
    "RankerAlias",
    "RankerVersion",
    "Recommendation",
    "Setting",
    "User",
    "WebSession",
]
