"""Partner offers: storage and access rules, the review workflow, CSV import, quality flags.

Views and the web UI call the functions re-exported here; each takes the session keyword-only
or as first argument and commits its own unit of work.
"""

from __future__ import annotations

from service.offers.crud import (
    create_offer,
    get_readable,
    list_offers,
    read_offer,
    to_public,
    update_offer,
)
from service.offers.search import OfferFilters
from service.offers.workflow import (
    expire_offers,
    list_reviews,
    review_offer,
    submit_offer,
    withdraw_offer,
)

__all__ = [
    "OfferFilters",
    "create_offer",
    "expire_offers",
    "get_readable",
    "list_offers",
    "list_reviews",
    "read_offer",
    "review_offer",
    "submit_offer",
    "to_public",
    "update_offer",
    "withdraw_offer",
]
