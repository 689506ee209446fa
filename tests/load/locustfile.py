"""A counsellor-and-partner mix against a running service (127.0.0.1 only).

Tokens come from ``LOAD_TOKENS`` (a JSON file written by ``drive.py``): each simulated
counsellor uses its own token and its own caseload, as in the office.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from pathlib import Path

from locust import HttpUser, between, task

TOKENS = json.loads(Path(os.environ.get("LOAD_TOKENS", "/tmp/qm-load/tokens.json")).read_text())
_counsellors = iter(TOKENS["counsellors"] * 100)


def _profile_payload():
    return {
        "client_number": f"KR-L{uuid.uuid4().hex[:10]}",
        "age_band": random.choice(["20-24", "25-29", "30-34", "40-44", "50-54"]),
        "gender": random.choice(["f", "m", "d"]),
        "district": random.choice(["Mitte", "Süd", "West", "Nord", "Ost"]),
        "citizenship": random.choice(["german", "eu", "third_country"]),
        "migration_background": random.random() < 0.4,
        "german_level": random.choice(["A1", "A2", "B1", "B2", "C1"]),
        "school_certificate": "intermediate",
        "vocational_qualification": "none",
        "unemployment_months": random.randint(0, 48),
        "benefit_regime": random.choice(["SGB_II", "SGB_III"]),
        "hours_available": random.choice([20, 25, 30, 39]),
        "target_occupations": ["82102"],
    }


class Counsellor(HttpUser):
    wait_time = between(0.5, 2.0)
    weight = 4

    def on_start(self):
        entry = next(_counsellors)
        self.client.headers["Authorization"] = f"Bearer {entry['token']}"
        self.profile_ids = entry["profile_ids"]

    def _profile(self):
        return random.choice(self.profile_ids)

    @task(5)
    def recommend(self):
        self.client.post(
            f"/api/v1/profiles/{self._profile()}/recommendations?k=5",
            name="/api/v1/profiles/{id}/recommendations",
        )

    @task(6)
    def read_profile(self):
        self.client.get(f"/api/v1/profiles/{self._profile()}", name="/api/v1/profiles/{id}")

    @task(2)
    def list_caseload(self):
        self.client.get("/api/v1/profiles?limit=50")

    @task(2)
    def update_profile(self):
        pid = self._profile()
        current = self.client.get(f"/api/v1/profiles/{pid}", name="/api/v1/profiles/{id}")
        if current.status_code != 200:
            return
        version = current.json()["version"]
        with self.client.patch(
            f"/api/v1/profiles/{pid}",
            json={"version": version, "hours_available": random.choice([20, 25, 30])},
            name="/api/v1/profiles/{id} PATCH",
            catch_response=True,
        ) as response:
            if response.status_code == 409:  # another simulated user got there first
                response.success()

    @task(1)
    def create_profile(self):
        response = self.client.post("/api/v1/profiles", json=_profile_payload())
        if response.status_code == 201:
            self.profile_ids.append(response.json()["id"])

    @task(2)
    def browse_offers(self):
        self.client.get("/api/v1/offers?status=approved&limit=20")


class Partner(HttpUser):
    wait_time = between(1.0, 3.0)
    weight = 1

    def on_start(self):
        entry = random.choice(TOKENS["partners"])
        self.client.headers["Authorization"] = f"Bearer {entry['token']}"

    @task(4)
    def list_offers(self):
        self.client.get("/api/v1/offers?limit=20")

    @task(1)
    def import_offers(self):
        ref = uuid.uuid4().hex[:12]
        csv = TOKENS["import_csv"].replace("{ref}", ref)
        self.client.post(
            "/api/v1/offers/import",
            files={"file": ("angebote.csv", csv.encode(), "text/csv")},
            name="/api/v1/offers/import",
        )
