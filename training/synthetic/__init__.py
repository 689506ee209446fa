"""The synthetic Krefeld-like world: jobseekers, offers, confounded history and its ground truth.

``world`` builds the history (``generate_world``), ``people`` draws the profiles, ``fields`` holds
the occupation fields, ``catalog`` the offer catalogue and ``truth`` the true outcome model.
docs/synthetic-ground-truth.md documents every term. Evaluation reads the truth; no feature of
the ranker may.
"""

from __future__ import annotations

from training.synthetic.catalog import generate_offers
from training.synthetic.people import draw_profiles, profiles_frame
from training.synthetic.world import (
    HISTORY_DAYS,
    HISTORY_START,
    SyntheticTruth,
    SyntheticWorld,
    generate_world,
    true_effect_matrix,
)

__all__ = [
    "HISTORY_DAYS",
    "HISTORY_START",
    "SyntheticTruth",
    "SyntheticWorld",
    "draw_profiles",
    "generate_offers",
    "generate_world",
    "profiles_frame",
    "true_effect_matrix",
]
