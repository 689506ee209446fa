"""Several DR corrections fitted on one stage 1: each the same model as fitted on its own."""

from __future__ import annotations

import numpy as np
import pytest

from training.ranking.ranker import EffectRanker
from training.synthetic import SyntheticWorld

SMALL = {"max_rows_per_arm": 2000, "max_nuisance_rows": 3000, "outcome_iterations": 30}


@pytest.fixture(scope="module")
def shared(small_world: SyntheticWorld) -> EffectRanker:
    return EffectRanker(corrections=(0.0,), **SMALL).fit(small_world.episodes, small_world.offers)


def test_a_shared_fit_equals_the_fit_of_each_correction_alone(
    shared: EffectRanker, small_world: SyntheticWorld
) -> None:
    alone = EffectRanker(dr_correction=0.0, **SMALL).fit(small_world.episodes, small_world.offers)
    switched = shared.for_correction(0.0)
    profiles = small_world.profiles.head(20)

    np.testing.assert_array_equal(switched.coef_, alone.coef_)
    np.testing.assert_array_equal(switched.cov_, alone.cov_)
    np.testing.assert_array_equal(switched.prior_, alone.prior_)
    got, want = (
        switched.predict(profiles, small_world.offers),
        alone.predict(profiles, small_world.offers),
    )
    np.testing.assert_array_equal(got.score, want.score)
    np.testing.assert_array_equal(got.effect_high, want.effect_high)


def test_switching_leaves_the_fitted_ranker_as_it_was(
    shared: EffectRanker, small_world: SyntheticWorld
) -> None:
    default = EffectRanker(**SMALL).fit(small_world.episodes, small_world.offers)
    before = shared.coef_.copy()
    switched = shared.for_correction(0.0)

    assert shared.for_correction(shared.dr_correction) is shared
    assert switched.dr_correction == 0.0
    assert shared.dr_correction == 0.5
    assert not np.array_equal(switched.coef_, shared.coef_)  # the correction matters
    np.testing.assert_array_equal(shared.coef_, before)
    np.testing.assert_array_equal(shared.coef_, default.coef_)
    back = switched.for_correction(0.5)
    np.testing.assert_array_equal(back.coef_, shared.coef_)
    np.testing.assert_array_equal(back.prior_, shared.prior_)


def test_a_correction_that_was_not_fitted_is_refused(shared: EffectRanker) -> None:
    with pytest.raises(KeyError):
        shared.for_correction(1.0)
