"""Model pages in the web UI: promotion of a failed model as a reasoned exception, the banner
while it serves, and a model card whose plots all load."""

from __future__ import annotations

import base64
import re

import pytest
from sqlmodel import Session, select

from models.audit import AuditEvent
from models.enums import Role
from service.core.db import get_engine
from service.ranking import registry
from tests.factories import Factory, failed_gates
from tests.web.conftest import csrf_token, sign_in, sign_in_with_code
from training.release.model_card import plot

# The smallest valid PNG (1×1 pixel): the plot route decodes and serves it as it is.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAD"
    "hgGAWjR9awAAAABJRU5ErkJggg=="
)
PLOTS = ("calibration", "qini", "groups", "feature_importance")
CARD = "# Modellkarte\n\n" + "\n\n".join(plot(name) for name in PLOTS) + "\n"
FAILED_GATES = failed_gates("Gruppe women: Kandidat -6.00 pp / focus group worse off")
REASON = "Gruppe fachlich geprüft, Ausnahme bis zum nächsten Training."


pytestmark = pytest.mark.usefixtures("plain_artifacts")


def _register(app, name, *, gates, champion=False, metrics=None):
    Factory(app).model_version(
        name,
        champion=champion,
        metrics=metrics or {},
        gates=gates,
        model_card=CARD,
        plots=dict.fromkeys(PLOTS, PNG),
    )


@pytest.fixture
def failed(app):
    _register(app, "2026-01-01.1", gates={"passed": True}, champion=True)
    _register(app, "2026-01-02.1", gates=FAILED_GATES)
    return "2026-01-02.1"


def _champion(app):
    with Session(get_engine(app)) as s:
        return registry.current_aliases(s)["champion"]


def test_activating_a_failed_model_asks_for_confirmation_naming_the_gates(
    client, make_user, failed
):
    sign_in_with_code(client, make_user, Role.ADMIN)

    page = client.get(f"/admin/modelle/{failed}/aktivieren").get_data(as_text=True)

    assert "nicht bestanden" in page
    assert "Fokusgruppe Frauen" in page
    assert "focus group" not in page
    assert 'name="reason"' in page


def test_failed_model_is_not_activated_without_a_reason(client, app, make_user, failed):
    sign_in_with_code(client, make_user, Role.ADMIN)
    path = f"/admin/modelle/{failed}/aktivieren"

    response = client.post(path, data={"csrf_token": csrf_token(client, path), "reason": " "})

    assert response.status_code == 422
    assert "begründen" in response.get_data(as_text=True)
    assert _champion(app) == "2026-01-01.1"


def test_failed_model_is_activated_with_a_reason_that_is_audited(client, app, make_user, failed):
    sign_in_with_code(client, make_user, Role.ADMIN)
    path = f"/admin/modelle/{failed}/aktivieren"

    response = client.post(path, data={"csrf_token": csrf_token(client, path), "reason": REASON})

    assert response.status_code == 302
    assert _champion(app) == failed
    with Session(get_engine(app)) as s:
        event = s.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "model.promote")
            .where(AuditEvent.object_id == failed)
        ).one()
    assert event.detail["reason"] == REASON
    assert event.detail["override_gates"] is True


def test_every_role_sees_a_banner_while_a_failed_model_serves(client, app, make_user, failed):
    with Session(get_engine(app)) as s:
        registry.promote(s, failed, reason=REASON, override_gates=True)
        s.commit()
    sign_in(client, make_user(Role.COUNSELLOR))

    page = client.get("/beratung/").get_data(as_text=True)

    assert "Ausnahmefreigabe" in page
    assert "nicht bestanden" in page


def test_no_banner_while_a_passing_model_serves(client, app, make_user):
    _register(app, "2026-01-01.1", gates={"passed": True}, champion=True)
    sign_in(client, make_user(Role.COUNSELLOR))

    page = client.get("/beratung/").get_data(as_text=True)

    assert "Ausnahmefreigabe" not in page
    assert "Hinweis zum Ranking" not in page


def test_every_image_of_the_model_card_loads(client, app, make_user):
    _register(app, "2026-01-01.1", gates={"passed": True})
    sign_in_with_code(client, make_user, Role.COORDINATOR)

    page = client.get("/koordination/modelle/2026-01-01.1").get_data(as_text=True)
    sources = re.findall(r'<img[^>]* src="([^"]+)"', page)

    assert len(sources) == len(PLOTS)
    responses = [client.get(src) for src in sources]
    assert [(r.status_code, r.mimetype) for r in responses] == [(200, "image/png")] * len(PLOTS)


def test_model_card_images_have_german_descriptions(client, app, make_user):
    _register(app, "2026-01-01.1", gates={"passed": True})
    sign_in_with_code(client, make_user, Role.COORDINATOR)

    page = client.get("/koordination/modelle/2026-01-01.1").get_data(as_text=True)

    alts = re.findall(r'<img[^>]* alt="([^"]+)"', page)
    assert sorted(alts) == sorted(
        [
            "Kalibrierung",
            "Uplift-/Qini-Kurve",
            "Geschätzter Nutzen je Fokusgruppe",
            "Merkmalswichtigkeit",
        ]
    )


def test_downloaded_markdown_embeds_every_plot(client, app, make_user):
    _register(app, "2026-01-01.1", gates={"passed": True})
    sign_in_with_code(client, make_user, Role.COORDINATOR)

    markdown = client.get("/koordination/modelle/2026-01-01.1/modellkarte.md")

    text = markdown.get_data(as_text=True)
    assert "attachment" in markdown.headers["Content-Disposition"]
    assert "](plots/" not in text
    embedded = re.findall(r"\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", text)
    assert len(embedded) == len(PLOTS)
    assert all(base64.b64decode(e).startswith(b"\x89PNG") for e in embedded)


def test_key_figures_have_german_names_and_formats(client, app, make_user):
    metrics = {"n_eval": 3000, "share_treated_train": 0.42, "source": "db", "policy_x": 1.0}
    _register(app, "2026-01-01.1", gates={"passed": True}, metrics=metrics)
    sign_in_with_code(client, make_user, Role.COORDINATOR)

    page = client.get("/koordination/modelle/2026-01-01.1").get_data(as_text=True)

    assert "<dt>Ausgewertete Personen</dt><dd>3.000</dd>" in page
    assert "<dt>Anteil Teilnahmen im Training</dt><dd>42,0 %</dd>" in page
    assert "<dt>Datenquelle</dt><dd>Datenbank</dd>" in page
    assert not re.search(r"<dt>[a-z_]+</dt>", page)
