"""Fixtures shared by the API tests."""

from __future__ import annotations

import pytest

from tests.api.loop_helpers import Case, new_case


@pytest.fixture
def case(app, client, factory, counsellor) -> Case:
    """An approved offer, a B1 profile of ``counsellor`` and its recommendation of that offer."""
    return new_case(app, client, factory, counsellor)
