"""The encoded arrays and feature blocks stay byte-identical for a fixed world.

The digests were computed before the column specification replaced the hand-written encoders;
a change here means trained artifacts would see different inputs than they were fitted on.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pytest

from training.data.encoding import OfferArrays, ProfileArrays
from training.data.features import (
    effect_design,
    offer_block,
    outcome_features,
    pair_block,
    profile_block,
    raw_features,
)
from training.data.records import offer_records, profile_records
from training.synthetic import SyntheticWorld, generate_world


def digest(values: Any) -> str:
    array = np.ascontiguousarray(values)
    header = f"{array.dtype.str}{array.shape}".encode()
    return hashlib.sha256(header + array.tobytes()).hexdigest()[:16]


#: The arrays as they were named before (pinned key) and the attribute holding them now.
PROFILE_ARRAYS = {
    "age": "age_band",
    "gender": "gender",
    "district": "district",
    "citizenship": "citizenship",
    "migration_background": "migration_background",
    "german": "german_level",
    "school": "school_certificate",
    "vocational": "vocational_qualification",
    "foreign_qualification": "foreign_qualification",
    "recognition": "recognition_status",
    "unemployment_months": "unemployment_months",
    "sgb2": "sgb2",
    "care_duties": "care_duties",
    "single_parent": "single_parent",
    "hours_available": "hours_available",
    "driving_licence": "driving_licence",
    "max_commute_minutes": "max_commute_minutes",
    "health_restriction": "health_restriction",
    "last_occupation": "last_occupation",
    "targets": "target_occupations",
}
OFFER_ARRAYS = {
    "offer_id": "offer_id",
    "measure_type": "measure_type",
    "district": "district",
    "format": "format",
    "hours_per_week": "hours_per_week",
    "part_time_possible": "part_time_possible",
    "childcare": "childcare",
    "min_german": "min_german_level",
    "duration_weeks": "duration_weeks",
    "funding": "funding",
    "targets": "target_occupations",
    "latest_start": "latest_start",
    "seats_free": "seats_free",
    "azav_certified": "azav_certified",
    "provider_id": "provider_id",
    "target_groups": "target_groups",
}


def arrays_digest(arrays: ProfileArrays | OfferArrays, names: dict[str, str]) -> dict[str, str]:
    return {key: digest(getattr(arrays, name)) for key, name in names.items()}


def frame_digest(frame: Any) -> str:
    rows = frame.to_dict(orient="records")
    text = json.dumps(rows, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def world() -> SyntheticWorld:
    return generate_world(n_people=300, n_offers=80, n_episodes=400, seed=5)


#: Computed with the encoders as they were before ``models.columns`` (commit 5edb85a).
PINNED: dict[str, Any] = {
    "profiles_frame": "1e8b65c3b335d9ff",
    "offers_frame": "8b85ced0cd295b7f",
    "episodes_frame": "dbdf6881e55b1e3e",
    "profile_arrays": {
        "age": "3db1016152b8decf",
        "gender": "79f3e4ca8c5d64f2",
        "district": "89d846376843f600",
        "citizenship": "3de73fa9cc876a39",
        "migration_background": "c2c8b1b4678ca181",
        "german": "a43d9ba34d8432b1",
        "school": "9c08bd9eeefc9b10",
        "vocational": "55dd59dd366e647b",
        "foreign_qualification": "f4170c9ac6f2a166",
        "recognition": "e12aa7c6d44974e9",
        "unemployment_months": "b04d6bdaccce2220",
        "sgb2": "eb981e18bc6302f2",
        "care_duties": "ee411263a80cc23c",
        "single_parent": "d517e3af0de79c51",
        "hours_available": "467397896d7d0af8",
        "driving_licence": "c3033f34776f319b",
        "max_commute_minutes": "f94e2b301324d9f6",
        "health_restriction": "4b8dfe96b61eabcd",
        "last_occupation": "7d1b166cf87ea6de",
        "targets": "ee58b024ea0a373e",
    },
    "offer_arrays": {
        "offer_id": "64eebdf2f37fc8b1",
        "measure_type": "e32c1b75eebd8d8d",
        "district": "22ba970fb2782796",
        "format": "11f7db69b3a8d6eb",
        "hours_per_week": "81e67657eb9e1db8",
        "part_time_possible": "f008c080fdbb4d5a",
        "childcare": "f295e2d28645ef1b",
        "min_german": "557f01466559b274",
        "duration_weeks": "4949513832fb31ad",
        "funding": "fd1b5992cee5beca",
        "targets": "2db6938ac9381abc",
        "latest_start": "5b53a98ff6db86ed",
        "seats_free": "28f26cb3c7002046",
        "azav_certified": "e1af231579f875ad",
        "provider_id": "dcb252dc6e3956ee",
        "target_groups": "046406696279309f",
    },
    "profile_block": "492d8c98798205af",
    "offer_block": "8340a3fc7ae71156",
    "pair_block": "d111e72dac7808df",
    "effect_design": "4c4e2ab1dc0dbe79",
    "raw_features": "bfcd1468613d846b",
    "outcome_features": "67137dfc15ced2cc",
}


def observed(world: SyntheticWorld) -> dict[str, Any]:
    p = ProfileArrays.from_frame(world.profiles)
    o = OfferArrays.from_frame(world.offers)
    pos = np.arange(len(p)) % len(o)
    pos[::7] = -1
    aligned = o.take(np.maximum(pos, 0))
    return {
        "profiles_frame": frame_digest(world.profiles),
        "offers_frame": frame_digest(world.offers),
        "episodes_frame": frame_digest(world.episodes),
        "profile_arrays": arrays_digest(p, PROFILE_ARRAYS),
        "offer_arrays": arrays_digest(o, OFFER_ARRAYS),
        "profile_block": digest(profile_block(p)),
        "offer_block": digest(offer_block(o)),
        "pair_block": digest(pair_block(p, aligned)),
        "effect_design": digest(effect_design(p, aligned)),
        "raw_features": digest(raw_features(p, aligned)),
        "outcome_features": digest(outcome_features(p, o, pos)),
    }


def test_encodings_and_features_are_unchanged(world: SyntheticWorld) -> None:
    assert observed(world) == PINNED


def test_records_encode_like_frames(world: SyntheticWorld) -> None:
    """The arrays built from records are the pinned ones built from frames."""
    profiles = ProfileArrays.from_records(profile_records(world.profiles))
    offers = OfferArrays.from_records(offer_records(world.offers))

    assert arrays_digest(profiles, PROFILE_ARRAYS) == PINNED["profile_arrays"]
    assert arrays_digest(offers, OFFER_ARRAYS) == PINNED["offer_arrays"]
