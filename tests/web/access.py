"""Who may open which web page: DESIGN.md §1 roles, one entry per endpoint of the web UI.

Like ``tests/api/access.py`` for the API: a web endpoint that is not listed here fails the
access test, so every new page needs a decision in this table.
"""

from __future__ import annotations

from models.enums import Role

PUBLIC: frozenset[Role] = frozenset()
ALL = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
COUNSELLOR = frozenset({Role.COUNSELLOR})
COORDINATOR = frozenset({Role.COORDINATOR})
PARTNER = frozenset({Role.PARTNER})
REGISTRY_READERS = frozenset({Role.COORDINATOR, Role.ADMIN})

#: Sign-in, sign-out, assets and metrics: reachable without a web session.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.index",
        "auth.login",
        "auth.logout",
        "auth.second_factor",
        "auth.enrol",
        "web.static",
        "static",
        "metrics",
    }
)

WEB_ACCESS: dict[str, frozenset[Role]] = {
    # the signed-in person's own account
    "account.password": ALL,
    "account.tokens": ALL,
    "account.collect": ALL,
    "account.revoke": ALL,
    # administration
    "admin.users": ADMIN,
    "admin.user": ADMIN,
    "admin.revoke_token": ADMIN,
    "admin.models": ADMIN,
    "admin.promote": ADMIN,
    "admin.rollback": ADMIN,
    "admin.ranking": ADMIN,
    "admin_accounts.deactivate": ADMIN,
    "admin_accounts.reactivate": ADMIN,
    "admin_accounts.reset_password": ADMIN,
    "admin_accounts.reset_second_factor": ADMIN,
    "admin_accounts.change_role": ADMIN,
    "admin_accounts.unlock": ADMIN,
    # counselling
    "counsellor.caseload": COUNSELLOR,
    "counsellor.occupation_search": ALL,
    "counsellor.profile": COUNSELLOR,
    "counsellor.new_profile": COUNSELLOR,
    "counsellor.edit_profile": COUNSELLOR,
    "counsellor.delete_profile": COUNSELLOR,
    "recommend.page": COUNSELLOR,
    "recommend.printable": COUNSELLOR,
    "recommend.decide": COUNSELLOR,
    "recommend.outcome": COUNSELLOR,
    "recommend.request_recommendation": COUNSELLOR,
    "recommend.correct": COUNSELLOR,
    "handout.page": COUNSELLOR,
    "handout.pdf": COUNSELLOR,
    "catalogue.search": COUNSELLOR,
    # coordination
    "coordinator.review_queue": COORDINATOR,
    "coordinator.review": COORDINATOR,
    "coordinator.providers": COORDINATOR,
    "coordinator.models": REGISTRY_READERS,
    "coordinator.model_card": REGISTRY_READERS,
    "coordinator.model_plot": REGISTRY_READERS,
    "coordinator.model_card_markdown": REGISTRY_READERS,
    "coordinator.import_wbs": COORDINATOR,
    "dashboards.coverage": COORDINATOR,
    "dashboards.coverage_csv": COORDINATOR,
    "dashboards.fairness": COORDINATOR,
    # partners
    "partner.offers": PARTNER,
    "partner.offer": PARTNER,
    "partner.new_offer": PARTNER,
    "partner.edit_offer": PARTNER,
    "partner.submit_offer": PARTNER,
    "partner.submit_drafts": PARTNER,
    "partner.import_offers": PARTNER,
    "partner.import_template": frozenset({Role.PARTNER, Role.COORDINATOR}),
}
