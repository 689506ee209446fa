"""The coordinator's upload of a course-database export, with the per-row report."""

from __future__ import annotations

import io

from models.enums import Role
from tests.api.wbs_helpers import WBS_DIR
from tests.web.conftest import csrf_token, sign_in

PAGE = "/koordination/import-weiterbildungssuche"


def _upload(client, name):
    data = (WBS_DIR / name).read_bytes()
    return client.post(
        PAGE,
        data={"file": (io.BytesIO(data), name), "csrf_token": csrf_token(client, PAGE)},
        content_type="multipart/form-data",
    )


def test_upload_shows_the_report_and_fills_the_queue(coordinator_client):
    page = _upload(coordinator_client, "krefeld_pages2-3.json").get_data(as_text=True)

    assert "3 neu angelegt und eingereicht" in page
    assert "außerhalb Krefelds (40210 Düsseldorf)" in page
    assert "Maßnahmeart nicht sicher erkennbar" in page
    queue = coordinator_client.get("/koordination/").get_data(as_text=True)
    assert "Excel am Arbeitsplatz" in queue
    assert "Maßnahmeart prüfen" in queue


def test_upload_of_a_broken_file_is_reported_beside_the_field(coordinator_client):
    response = _upload(coordinator_client, "broken.json")

    assert response.status_code == 422
    assert "kein gültiges JSON" in response.get_data(as_text=True)


def test_partners_cannot_open_the_upload(client, make_user, factory):
    provider = factory.provider()
    sign_in(client, make_user(Role.PARTNER, provider_id=provider.id))

    assert client.get(PAGE).status_code == 403
