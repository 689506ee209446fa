"""All-or-nothing writes: an error response never leaves a change behind, on any write route.

Each case is a request that succeeds and writes. Making the view fail *after* its service call
(the answer is being put together, the service has already "committed") must leave every
table exactly as it was; the control test shows each case really writes.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from models.enums import Role
from service.core.db import get_engine
from service.core.domain_errors import Invalid
from tests.api.import_helpers import HEADER
from tests.api.offer_helpers import approved_id, created_id, offer_payload, submit
from tests.api.test_import import _row
from tests.factories import Factory, profile_payload

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()


@dataclass
class Call:
    method: str
    path: str
    actor: Any
    json: Any = None
    data: Any = None


def _snapshot(app: Any) -> dict[str, list[tuple[Any, ...]]]:
    with Session(get_engine(app)) as s:
        return {
            table.name: sorted(map(tuple, s.execute(select(table)).all()), key=repr)
            for table in SQLModel.metadata.sorted_tables
            if table.name not in ("occupation", "occupation_title")
        }


def _profile(client: Any, counsellor: Any) -> int:
    return int(Factory(client.application).profile(counsellor)["id"])


def _recommendation(client: Any, app: Any, factory: Any, counsellor: Any) -> tuple[int, str]:
    factory.offer(title="Pflegehelfer Modul 1")
    profile_id = _profile(client, counsellor)
    return profile_id, str(factory.recommendation(counsellor, profile_id)["request_id"])


def _versions(factory: Factory, *names: str) -> None:
    for name in names:
        factory.model_version(
            name,
            champion=True,
            library_versions={"scikit-learn": "x"},
            metrics={"policy_value_pp": 30.0},
            model_card="# Modellkarte\n",
            plots={"calibration": PNG},
        )


def _profile_create(client, app, factory):
    return Call("POST", "/api/v1/profiles", factory.actor(Role.COUNSELLOR), profile_payload())


def _profile_patch(client, app, factory):
    counsellor = factory.actor(Role.COUNSELLOR)
    path = f"/api/v1/profiles/{_profile(client, counsellor)}"
    return Call("PATCH", path, counsellor, {"version": 1, "hours_available": 10})


def _profile_delete(client, app, factory):
    counsellor = factory.actor(Role.COUNSELLOR)
    return Call("DELETE", f"/api/v1/profiles/{_profile(client, counsellor)}", counsellor)


def _recommend(client, app, factory):
    counsellor = factory.actor(Role.COUNSELLOR)
    factory.offer(title="Pflegehelfer Modul 1")
    path = f"/api/v1/profiles/{_profile(client, counsellor)}/recommendations"
    return Call("POST", path, counsellor)


def _decision(client, app, factory):
    counsellor = factory.actor(Role.COUNSELLOR)
    _, request_id = _recommendation(client, app, factory, counsellor)
    body = {"action": "no_measure", "reason_code": "job_offer"}
    return Call("POST", f"/api/v1/recommendations/{request_id}/decision", counsellor, body)


def _outcome(client, app, factory):
    counsellor = factory.actor(Role.COUNSELLOR)
    profile_id, request_id = _recommendation(client, app, factory, counsellor)
    body = {"request_id": request_id, "status": "not_started"}
    return Call("POST", f"/api/v1/profiles/{profile_id}/outcomes", counsellor, body)


def _decision_correction(client, app, factory):
    call = _decision(client, app, factory)
    decision = _send(client, call).get_json()
    body = {"action": "no_measure", "reason_code": "other", "correction_reason": "mis_click"}
    return Call("POST", f"/api/v1/decisions/{decision['id']}/corrections", call.actor, body)


def _outcome_correction(client, app, factory):
    call = _outcome(client, app, factory)
    outcome = _send(client, call).get_json()
    return Call("PATCH", f"/api/v1/outcomes/{outcome['id']}", call.actor, {"status": "not_started"})


def _submit_drafts(client, app, factory):
    partner = factory.actor(Role.PARTNER)
    created_id(client, partner)
    return Call("POST", "/api/v1/offers/submit-drafts", partner)


def _provider_create(client, app, factory):
    body = {"name": "Neuer Träger", "kind": "welfare", "district": "Mitte"}
    return Call("POST", "/api/v1/providers", factory.actor(Role.COORDINATOR), body)


def _provider_patch(client, app, factory):
    provider = factory.provider()
    body = {"version": 1, "name": "Umbenannt"}
    return Call("PATCH", f"/api/v1/providers/{provider.id}", factory.actor(Role.COORDINATOR), body)


def _offer_create(client, app, factory):
    return Call("POST", "/api/v1/offers", factory.actor(Role.PARTNER), offer_payload())


def _offer_patch(client, app, factory):
    partner = factory.actor(Role.PARTNER)
    offer_id = created_id(client, partner)
    return Call("PATCH", f"/api/v1/offers/{offer_id}", partner, {"version": 1, "seats_free": 2})


def _offer_submit(client, app, factory):
    partner = factory.actor(Role.PARTNER)
    return Call("POST", f"/api/v1/offers/{created_id(client, partner)}/submit", partner)


def _offer_review(client, app, factory):
    partner = factory.actor(Role.PARTNER)
    offer_id = created_id(client, partner)
    submit(client, partner, offer_id)
    body = {"decision": "approve"}
    coordinator = factory.actor(Role.COORDINATOR)
    return Call("POST", f"/api/v1/offers/{offer_id}/review", coordinator, body)


def _offer_withdraw(client, app, factory):
    partner = factory.actor(Role.PARTNER)
    offer_id = approved_id(client, partner, factory.actor(Role.COORDINATOR))
    return Call("POST", f"/api/v1/offers/{offer_id}/withdraw", partner)


def _offer_import(client, app, factory):
    import io

    csv = (HEADER + "\r\n" + _row("A-1") + "\r\n").encode()
    data = {"file": (io.BytesIO(csv), "angebote.csv")}
    return Call("POST", "/api/v1/offers/import", factory.actor(Role.PARTNER), data=data)


def _promote(client, app, factory):
    _versions(factory, "2026-01-01.1")
    factory.model_version(
        "2026-01-02.1", artifact=b"artifact-2", model_card="# Modellkarte\n", plots={}
    )
    return Call("POST", "/api/v1/models/2026-01-02.1/promote", factory.actor(Role.ADMIN))


def _rollback(client, app, factory):
    _versions(factory, "2026-01-01.1", "2026-01-02.1")
    return Call("POST", "/api/v1/models/rollback", factory.actor(Role.ADMIN))


def _ranking_mode(client, app, factory):
    return Call("PUT", "/api/v1/settings/ranking", factory.actor(Role.ADMIN), {"mode": "rules"})


#: Every write operation of the API; the module whose answer builder is made to fail.
CASES: dict[str, tuple[Callable[..., Call], str, str]] = {
    "POST /profiles": (_profile_create, "service.api.profiles", "created"),
    "PATCH /profiles/{id}": (_profile_patch, "service.api.profiles", "jsonify"),
    "DELETE /profiles/{id}": (_profile_delete, "service.api.profiles", "Response"),
    "POST /profiles/{id}/recommendations": (_recommend, "service.api.recommendations", "created"),
    "POST /recommendations/{id}/decision": (_decision, "service.api.recommendations", "created"),
    "POST /profiles/{id}/outcomes": (_outcome, "service.api.recommendations", "created"),
    "POST /decisions/{id}/corrections": (
        _decision_correction,
        "service.api.corrections",
        "created",
    ),
    "PATCH /outcomes/{id}": (_outcome_correction, "service.api.corrections", "jsonify"),
    "POST /offers/submit-drafts": (_submit_drafts, "service.api.offers", "jsonify"),
    "POST /providers": (_provider_create, "service.api.providers", "created"),
    "PATCH /providers/{id}": (_provider_patch, "service.api.providers", "jsonify"),
    "POST /offers": (_offer_create, "service.api.offers", "jsonify"),
    "PATCH /offers/{id}": (_offer_patch, "service.api.offers", "jsonify"),
    "POST /offers/{id}/submit": (_offer_submit, "service.api.offers", "jsonify"),
    "POST /offers/{id}/review": (_offer_review, "service.api.offers", "jsonify"),
    "POST /offers/{id}/withdraw": (_offer_withdraw, "service.api.offers", "jsonify"),
    "POST /offers/import": (_offer_import, "service.api.offers", "jsonify"),
    "POST /models/{version}/promote": (_promote, "service.api.registry", "jsonify"),
    "POST /models/rollback": (_rollback, "service.api.registry", "jsonify"),
    "PUT /settings/ranking": (_ranking_mode, "service.api.settings", "jsonify"),
}


pytestmark = pytest.mark.usefixtures("plain_artifacts")


def _send(client: Any, call: Call) -> Any:
    kwargs: dict[str, Any] = {"headers": call.actor.headers}
    if call.data is not None:
        kwargs |= {"data": call.data, "content_type": "multipart/form-data"}
    elif call.json is not None:
        kwargs["json"] = call.json
    return client.open(call.path, method=call.method, **kwargs)


def _fail(*_args: Any, **_kwargs: Any) -> Any:
    raise Invalid("Antwort konnte nicht erstellt werden.")


@pytest.mark.parametrize("case", list(CASES))
def test_error_after_the_write_leaves_every_table_unchanged(
    app, client, factory, monkeypatch, case
):
    build, module, attribute = CASES[case]
    call = build(client, app, factory)
    before = _snapshot(app)
    monkeypatch.setattr(f"{module}.{attribute}", _fail)

    response = _send(client, call)

    assert response.status_code == 422
    assert _snapshot(app) == before


@pytest.mark.parametrize("case", list(CASES))
def test_each_case_really_writes(app, client, factory, case):
    call = CASES[case][0](client, app, factory)
    before = _snapshot(app)

    response = _send(client, call)

    assert response.status_code < 300, response.get_data(as_text=True)
    assert _snapshot(app) != before


def test_rejected_null_patch_stores_nothing(app, client, counsellor):
    profile_id = _profile(client, counsellor)
    before = _snapshot(app)

    response = client.patch(
        f"/api/v1/profiles/{profile_id}",
        json={"version": 1, "target_occupations": None},
        headers=counsellor.headers,
    )

    assert response.status_code == 422
    assert _snapshot(app) == before
    stored = client.get(f"/api/v1/profiles/{profile_id}", headers=counsellor.headers).get_json()
    assert stored["version"] == 1
    assert stored["target_occupations"] == ["82102"]


def _shape(route: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", route)


def test_every_write_route_has_a_case(sqlite_only_app):
    spec = sqlite_only_app.api_doc
    writes = {
        _shape(f"{method.upper()} {path.removeprefix('/api/v1')}")
        for path, operations in spec["paths"].items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }
    assert writes == {_shape(case) for case in CASES}
