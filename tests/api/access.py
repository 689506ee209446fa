"""Who may call which API operation: DESIGN.md §1 (roles) and §4 (routes), in one table.

``admin`` may use everything but profile contents (§1), so it joins the coordinator and
partner operations. Deliberate additions to §4 are marked. A route that is not listed here
fails the role-matrix test, so every new route needs a decision in this table.
"""

from __future__ import annotations

from models.enums import Role

PUBLIC: frozenset[Role] = frozenset()
ALL = frozenset(Role)
COUNSELLOR = frozenset({Role.COUNSELLOR})
COORDINATION = frozenset({Role.COORDINATOR, Role.ADMIN})
OFFER_EDITORS = frozenset({Role.PARTNER, Role.COORDINATOR, Role.ADMIN})
# Addition to §4: counsellors read offers (they discuss recommended offers with clients).
OFFER_READERS = OFFER_EDITORS | {Role.COUNSELLOR}
ADMIN = frozenset({Role.ADMIN})

ACCESS: dict[tuple[str, str], frozenset[Role]] = {
    ("GET", "/api/v1/health"): PUBLIC,
    ("GET", "/api/v1/occupations/search"): ALL,
    # caseload
    ("GET", "/api/v1/profiles"): COUNSELLOR,
    ("POST", "/api/v1/profiles"): COUNSELLOR,
    ("GET", "/api/v1/profiles/{profile_id}"): COUNSELLOR,
    ("PATCH", "/api/v1/profiles/{profile_id}"): COUNSELLOR,
    ("DELETE", "/api/v1/profiles/{profile_id}"): COUNSELLOR,
    ("POST", "/api/v1/profiles/{profile_id}/recommendations"): COUNSELLOR,
    ("GET", "/api/v1/profiles/{profile_id}/recommendations"): COUNSELLOR,
    ("GET", "/api/v1/recommendations/{request_id}"): COUNSELLOR,
    ("POST", "/api/v1/recommendations/{request_id}/decision"): COUNSELLOR,
    ("POST", "/api/v1/profiles/{profile_id}/outcomes"): COUNSELLOR,
    # Additions to §4: the decision trail and corrections of decisions and outcomes.
    ("GET", "/api/v1/recommendations/{request_id}/decisions"): COUNSELLOR,
    ("POST", "/api/v1/decisions/{decision_id}/corrections"): COUNSELLOR,
    ("PATCH", "/api/v1/outcomes/{outcome_id}"): COUNSELLOR,
    # providers and offers
    ("GET", "/api/v1/providers"): COORDINATION,
    ("POST", "/api/v1/providers"): COORDINATION,
    ("GET", "/api/v1/providers/{provider_id}"): COORDINATION,
    ("PATCH", "/api/v1/providers/{provider_id}"): COORDINATION,
    ("GET", "/api/v1/offers"): OFFER_READERS,
    ("POST", "/api/v1/offers"): OFFER_EDITORS,
    ("GET", "/api/v1/offers/{offer_id}"): OFFER_READERS,
    ("PATCH", "/api/v1/offers/{offer_id}"): OFFER_EDITORS,
    ("POST", "/api/v1/offers/{offer_id}/submit"): OFFER_EDITORS,
    ("POST", "/api/v1/offers/{offer_id}/review"): COORDINATION,
    ("POST", "/api/v1/offers/{offer_id}/withdraw"): OFFER_EDITORS,
    ("GET", "/api/v1/offers/{offer_id}/reviews"): OFFER_EDITORS,
    ("POST", "/api/v1/offers/import"): OFFER_EDITORS,
    # Addition to §4: submit all drafts of a provider in one action.
    ("POST", "/api/v1/offers/submit-drafts"): OFFER_EDITORS,
    ("GET", "/api/v1/offers/import/template"): OFFER_READERS,
    # aggregates
    ("GET", "/api/v1/stats/coverage"): COORDINATION,
    ("GET", "/api/v1/stats/coverage.csv"): COORDINATION,
    ("GET", "/api/v1/stats/fairness"): COORDINATION,
    # model registry and the kill switch
    ("GET", "/api/v1/models"): COORDINATION,
    ("GET", "/api/v1/models/{version}"): COORDINATION,
    ("GET", "/api/v1/models/{version}/plots/{name}.png"): COORDINATION,
    ("POST", "/api/v1/models/{version}/promote"): ADMIN,
    ("POST", "/api/v1/models/rollback"): ADMIN,
    ("GET", "/api/v1/settings/ranking"): ADMIN,
    ("PUT", "/api/v1/settings/ranking"): ADMIN,
}


def allowed_roles(method: str, path: str) -> frozenset[Role]:
    """Raises KeyError for a route nobody has decided about yet."""
    return ACCESS[(method.upper(), path)]


# Operations whose JSON body narrows the roles above (the role matrix sends JSON bodies): the
# import takes a partner's CSV as multipart, a course-database export as JSON only from the
# coordination office.
JSON_BODY_ACCESS: dict[tuple[str, str], frozenset[Role]] = {
    ("POST", "/api/v1/offers/import"): COORDINATION,
}
