"""Behaviour of the effect ranker, the rules fallback, recommendations and artifacts."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from training.data.encoding import OfferArrays
from training.data.features import OfferCatalog
from training.data.records import offer_records, profile_records
from training.data.schema import OfferRecord, ProfileRecord
from training.ranking.eligibility import check_eligibility
from training.ranking.ranker import EffectRanker
from training.ranking.recommend import NO_HELP_MESSAGE, recommend
from training.release.artifact import (
    DIGEST_LENGTH,
    LEGACY_MODULES,
    MAGIC,
    ArtifactIntegrityError,
    ranker_from_bytes,
    ranker_to_bytes,
)
from training.synthetic import SyntheticWorld

AS_OF = date(2025, 1, 1)


def _records(small_world: SyntheticWorld) -> tuple[list[ProfileRecord], list[OfferRecord]]:
    return profile_records(small_world.profiles.head(40)), offer_records(small_world.offers)


@pytest.fixture(scope="module")
def records(small_world: SyntheticWorld) -> tuple[list[ProfileRecord], list[OfferRecord]]:
    return _records(small_world)


@pytest.fixture(scope="module")
def catalog(records: tuple[list[ProfileRecord], list[OfferRecord]]) -> OfferCatalog:
    return OfferCatalog.from_records(records[1])


def test_predictions_have_one_value_per_pair(
    small_ranker: EffectRanker, small_world: SyntheticWorld
) -> None:
    pred = small_ranker.predict(small_world.profiles.head(5), small_world.offers)

    assert pred.effect.shape == (5, len(small_world.offers))
    assert np.all(pred.effect_low <= pred.effect)
    assert np.all(pred.effect <= pred.effect_high)
    assert np.allclose(pred.p_with - pred.p_without, pred.effect)


def test_batched_prediction_equals_one_profile_at_a_time(
    small_ranker: EffectRanker, small_world: SyntheticWorld
) -> None:
    from training.data.encoding import ProfileArrays
    from training.ranking.ranker import PREDICT_CHUNK

    profiles = ProfileArrays.from_frame(small_world.profiles.head(PREDICT_CHUNK + 7))  # two blocks
    catalog = OfferCatalog.from_frame(small_world.offers)

    batched = small_ranker.predict(profiles, catalog)

    for i in (0, 1, PREDICT_CHUNK - 1, PREDICT_CHUNK, PREDICT_CHUNK + 6):
        single = small_ranker.predict_one(profiles.take(np.array([i])), catalog)
        for name in ("p_without", "p_with", "effect", "effect_low", "effect_high", "score"):
            assert np.allclose(getattr(batched, name)[i], getattr(single, name)[0], atol=1e-9), name


@settings(deadline=None, max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(min_value=0, max_value=39), mode=st.sampled_from(["model", "rules"]))
def test_ineligible_offer_never_recommended(
    small_ranker: EffectRanker, records, catalog: OfferCatalog, index: int, mode: str
) -> None:
    profile = records[0][index]
    by_id = {o.offer_id: o for o in records[1]}

    result = recommend(small_ranker, profile, catalog, k=10, as_of=AS_OF, mode=mode)  # type: ignore[arg-type]

    for item in result.items:
        assert check_eligibility(profile, by_id[item.offer_id], as_of=AS_OF).eligible


def test_same_input_gives_same_output(small_ranker: EffectRanker, records, catalog) -> None:
    profile = records[0][3]

    first = recommend(small_ranker, profile, catalog, k=5, as_of=AS_OF)
    second = recommend(small_ranker, profile, records[1], k=5, as_of=AS_OF)

    assert first == second


def test_rules_mode_works_without_a_model(records, catalog) -> None:
    result = recommend(None, records[0][0], catalog, k=5, as_of=AS_OF, mode="model")

    assert result.mode.value == "rules"
    assert result.items
    assert all(item.reasons for item in result.items)
    assert [i.rank for i in result.items] == list(range(1, len(result.items) + 1))


def test_items_are_ranked_by_uncertainty_adjusted_effect(
    small_ranker: EffectRanker, records, catalog
) -> None:
    cautious = recommend(small_ranker, records[0][1], catalog, k=10, as_of=AS_OF)
    ranks = [item.rank for item in cautious.items]

    assert ranks == list(range(1, len(cautious.items) + 1))
    assert all(item.effect_pp is not None and item.effect_pp > 0 for item in cautious.items)


def test_no_offer_helps_returns_empty_list_with_message(
    small_ranker: EffectRanker, records, catalog
) -> None:
    hopeless = ranker_from_bytes(ranker_to_bytes(small_ranker))
    hopeless.coef_ = small_ranker.coef_.copy()
    hopeless.coef_[:, 0] = -1.0  # every offer lowers the chance by 100 pp …
    hopeless.prior_ = np.array([-1.0, 0.0])  # … and so says the prior the estimates shrink to

    result = recommend(hopeless, records[0][2], catalog, k=5, as_of=AS_OF)

    assert result.items == ()
    assert result.message == NO_HELP_MESSAGE


def test_skops_round_trip_gives_identical_predictions(
    small_ranker: EffectRanker, small_world: SyntheticWorld
) -> None:
    restored = ranker_from_bytes(ranker_to_bytes(small_ranker))
    catalog = OfferCatalog.from_arrays(OfferArrays.from_frame(small_world.offers))

    before = small_ranker.predict(small_world.profiles.head(3), catalog)
    after = restored.predict(small_world.profiles.head(3), catalog)

    assert np.array_equal(before.effect, after.effect)
    assert np.array_equal(before.effect_high, after.effect_high)


def test_artifact_of_an_earlier_release_loads_under_the_current_module_name(
    small_ranker: EffectRanker, small_world: SyntheticWorld
) -> None:
    # Releases before the packages by domain stored the class under its earlier module name.
    old_name, new_name = next(iter(LEGACY_MODULES.items()))
    payload = ranker_to_bytes(small_ranker)[len(MAGIC) + DIGEST_LENGTH :]
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema = members["schema.json"].decode()
    assert f'"{new_name}"' in schema
    members["schema.json"] = schema.replace(f'"{new_name}"', f'"{old_name}"').encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    old = buffer.getvalue()
    legacy = MAGIC + hashlib.sha256(old).hexdigest().encode() + old

    restored = ranker_from_bytes(legacy)

    catalog = OfferCatalog.from_arrays(OfferArrays.from_frame(small_world.offers))
    before = small_ranker.predict(small_world.profiles.head(3), catalog)
    assert np.array_equal(
        before.effect, restored.predict(small_world.profiles.head(3), catalog).effect
    )


def test_tampered_bytes_raise(small_ranker: EffectRanker) -> None:
    data = bytearray(ranker_to_bytes(small_ranker))
    data[-10] ^= 0xFF

    with pytest.raises(ArtifactIntegrityError):
        ranker_from_bytes(bytes(data))


def test_records_encode_like_frames(small_world: SyntheticWorld) -> None:
    from training.data.encoding import ProfileArrays

    frame = small_world.profiles.head(200)
    direct = ProfileArrays.from_records(profile_records(frame))
    reference = ProfileArrays.from_frame(frame)

    assert direct.columns.keys() == reference.columns.keys()
    for name, b in reference.columns.items():
        a = direct.columns[name]
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b), name


def test_recommend_matches_full_catalogue_prediction(
    small_ranker: EffectRanker, records, catalog
) -> None:
    from training.data.encoding import ProfileArrays

    profile = records[0][5]
    result = recommend(small_ranker, profile, catalog, k=5, as_of=AS_OF)
    full = small_ranker.predict_one(ProfileArrays.from_record(profile), catalog)
    position = {int(o): i for i, o in enumerate(catalog.arrays.offer_id)}

    for item in result.items:
        j = position[item.offer_id]
        assert item.effect_pp == round(100 * float(full.effect[0, j]), 1)
