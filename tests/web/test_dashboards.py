"""Coordinator dashboards say that their figures are perturbed by the cell key method."""

from __future__ import annotations

import pytest

NOTE = "Werte zufällig überlagert (Cell-Key-Verfahren)"


@pytest.mark.parametrize("path", ["/koordination/versorgung", "/koordination/fairness"])
def test_dashboard_explains_the_perturbation(coordinator_client, path):
    response = coordinator_client.get(path)

    assert response.status_code == 200, response.headers.get("Location")
    assert NOTE in response.get_data(as_text=True)
