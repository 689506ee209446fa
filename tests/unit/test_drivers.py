"""Main drivers of an estimated gain: the named characteristics really move the estimate."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pytest

from models.enums import BenefitRegime, GermanLevel
from training.data.encoding import OfferArrays, ProfileArrays
from training.data.features import OfferCatalog, design_groups, effect_design
from training.data.occupation_fit import occupation_fit
from training.data.records import offer_records, profile_records
from training.data.schema import OfferRecord, ProfileRecord
from training.ranking import labels
from training.ranking.drivers import (
    MIN_CONTRIBUTION,
    OCCUPATION_FIT,
    RULES_SUITABILITY,
    contributions,
    main_drivers,
)
from training.ranking.explain import MAX_REASONS
from training.ranking.labels import DRIVER_LABELS, driver_label
from training.ranking.ranker import EffectRanker
from training.ranking.recommend import recommend
from training.ranking.rules import suitability
from training.release.artifact import ranker_from_bytes, ranker_to_bytes
from training.synthetic import SyntheticWorld

AS_OF = date(2025, 1, 1)
DRIVER_PREFIX = "Geschätzter Nutzen vor allem wegen: "
EFFECT_PREFIX = "Geschätzter Zugewinn"


@pytest.fixture(scope="module")
def profiles(small_world: SyntheticWorld) -> list[ProfileRecord]:
    return profile_records(small_world.profiles.head(40))


@pytest.fixture(scope="module")
def offers(small_world: SyntheticWorld) -> list[OfferRecord]:
    return offer_records(small_world.offers)


def _variant(ranker: EffectRanker, **attributes: Any) -> EffectRanker:
    other = copy.copy(ranker)
    for name, value in attributes.items():
        setattr(other, name, value)
    return other


@pytest.fixture(scope="module")
def raw(small_ranker: EffectRanker) -> EffectRanker:
    """The regression alone (no shrinkage): the estimate is d·β."""
    return _variant(small_ranker, prior_shrinkage=False, prior_only=False)


def _drivers(ranker: EffectRanker, profile: ProfileRecord, offers: list[OfferRecord]):
    p, o = ProfileArrays.from_record(profile), OfferArrays.from_records(offers)
    return main_drivers(
        ranker, p, o, fit=occupation_fit(p.target_occupations, o.target_occupations)
    )


def _contributions(ranker: EffectRanker, profile: ProfileRecord, offers: list[OfferRecord]):
    p, o = ProfileArrays.from_record(profile), OfferArrays.from_records(offers)
    found = contributions(
        ranker, p, o, fit=occupation_fit(p.target_occupations, o.target_occupations)
    )
    assert found is not None
    return found


def _effect(ranker: EffectRanker, profile: ProfileRecord, catalog: OfferCatalog):
    """The served estimate per offer, and where it is not clipped to a probability in [0, 1]."""
    pred = ranker.predict_one(ProfileArrays.from_record(profile), catalog)
    return pred.effect[0], (pred.p_with[0] > 0) & (pred.p_with[0] < 1)


def test_every_design_column_belongs_to_labelled_groups(profiles, offers) -> None:
    keys, groups = design_groups()
    p, o = ProfileArrays.from_record(profiles[0]), OfferArrays.from_records(offers[:1])

    assert groups.shape == (effect_design(p, o).shape[1], len(keys))
    assert groups[0].sum() == 0  # the intercept
    assert np.allclose(groups[1:].sum(1), 1.0)
    assert all(driver_label(key) != key for key in (*keys, RULES_SUITABILITY))
    assert not any(", " in name for name in DRIVER_LABELS.values())  # they are listed with ", "


def test_a_group_named_after_a_titled_profile_column_takes_its_title(monkeypatch) -> None:
    column = replace(labels.PROFILE["driving_licence"], name="forklift", title="Staplerschein")
    monkeypatch.setitem(labels.PROFILE, "forklift", column)

    assert driver_label("forklift") == "Staplerschein"
    assert driver_label("driving_licence") == DRIVER_LABELS["driving_licence"]
    assert driver_label("no_such_group") == "no_such_group"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"driving_licence": True}, {"driving_licence"}),
        ({"unemployment_months": 30}, {"unemployment"}),
        ({"german_level": GermanLevel.A1}, {"german"}),
        ({"care_duties": True}, {"care", "care_compatibility"}),
        ({"benefit_regime": BenefitRegime.SGB_II}, {"sgb2"}),
    ],
)
def test_a_characteristic_moves_only_the_columns_of_its_groups(
    profiles, offers, change: dict[str, Any], expected: set[str]
) -> None:
    keys, groups = design_groups()
    base = profiles[0].replace(
        driving_licence=False,
        unemployment_months=3,
        german_level=GermanLevel.C1,
        care_duties=False,
        single_parent=False,
        benefit_regime=BenefitRegime.SGB_III,
    )
    o = OfferArrays.from_records(offers)
    designs = [
        effect_design(ProfileArrays.from_records([r] * len(offers)), o)
        for r in (base, base.replace(**change))
    ]

    moved = np.flatnonzero(np.any(designs[0] != designs[1], axis=0))
    assert moved.size
    for column in moved:
        assert {keys[g] for g in np.flatnonzero(groups[column])} & expected, column


def test_contributions_add_up_to_the_estimate_minus_the_training_mean(
    raw: EffectRanker, profiles, offers
) -> None:
    catalog = OfferCatalog.from_records(offers)
    o = OfferArrays.from_records(offers)
    for profile in profiles[:5]:
        found = _contributions(raw, profile, offers)
        baseline = (raw.design_mean_[o.measure_type] * raw.coef_[o.measure_type]).sum(1)
        estimate, inside = _effect(raw, profile, catalog)

        assert inside.sum() > len(offers) / 2
        assert np.allclose(found.value.sum(1)[inside], (estimate - baseline)[inside], atol=1e-9)
        assert np.all(found.value[:, -1] == 0.0)  # no prior, no rules share


@pytest.mark.parametrize(
    ("group", "one", "other"),
    [
        ("unemployment", {"unemployment_months": 30}, {"unemployment_months": 2}),
        ("driving_licence", {"driving_licence": True}, {"driving_licence": False}),
    ],
)
def test_a_named_characteristic_changes_the_estimate(
    raw: EffectRanker, profiles, offers, group: str, one: dict, other: dict
) -> None:
    """Two profiles that differ only in one characteristic: where it is named as a driver for
    one and does not raise the other's estimate, the first estimate is higher, by exactly the
    difference of the two contributions."""
    catalog = OfferCatalog.from_records(offers)
    column = design_groups()[0].index(group)
    cases = 0
    for profile in profiles:
        # No care duties, not SGB II: no interaction ties unemployment to another group.
        plain = profile.replace(care_duties=False, benefit_regime=BenefitRegime.SGB_III)
        for first, second in ((one, other), (other, one)):
            a, b = plain.replace(**first), plain.replace(**second)
            (e_a, in_a), (e_b, in_b) = _effect(raw, a, catalog), _effect(raw, b, catalog)
            gap, inside = e_a - e_b, in_a & in_b
            c_a = _contributions(raw, a, offers).value[:, column]
            c_b = _contributions(raw, b, offers).value[:, column]
            assert np.allclose(gap[inside], (c_a - c_b)[inside], atol=1e-9)
            for j, drivers in enumerate(_drivers(raw, a, offers)):
                if inside[j] and group in drivers and c_b[j] < MIN_CONTRIBUTION:
                    cases += 1
                    assert gap[j] > 0
    assert cases > 0


def test_an_estimate_resting_on_the_prior_names_the_rules_first(
    small_ranker: EffectRanker, profiles, offers
) -> None:
    prior = np.array([0.0, 0.02])
    tiny = np.full_like(small_ranker.signal_variance_, 1e-9)  # the prior takes (almost) everything
    resting = _variant(small_ranker, prior_shrinkage=True, prior_=prior, signal_variance_=tiny)
    huge = np.full_like(small_ranker.signal_variance_, 1e3)  # the regression keeps (almost) all
    estimating = _variant(small_ranker, prior_shrinkage=True, prior_=prior, signal_variance_=huge)
    raw = _variant(small_ranker, prior_shrinkage=False)
    measure = OfferArrays.from_records(offers).measure_type
    suited = seen = 0
    for profile in profiles[:10]:
        suits = suitability(ProfileArrays.from_record(profile), measure) > 0
        for j, drivers in enumerate(_drivers(resting, profile, offers)):
            # The regression's share is negligible: the rules' suitability alone, if it applies.
            assert drivers == ((RULES_SUITABILITY,) if suits[j] else ())
            suited += int(suits[j])
        for mine, plain in zip(
            _drivers(estimating, profile, offers), _drivers(raw, profile, offers), strict=True
        ):
            assert RULES_SUITABILITY not in mine
            assert mine == plain
            seen += int(bool(plain))
    assert suited
    assert seen


def test_the_prior_alone_names_only_suitability_and_occupation_fit(
    small_ranker: EffectRanker, profiles, offers
) -> None:
    alone = _variant(
        small_ranker, prior_shrinkage=True, prior_only=True, prior_=np.array([0.0, 0.02])
    )
    o = OfferArrays.from_records(offers)
    fits = 0
    for profile in profiles[:20]:
        p = ProfileArrays.from_record(profile)
        suits = suitability(p, o.measure_type) > 0
        fit = occupation_fit(p.target_occupations, o.target_occupations) > 0
        for j, drivers in enumerate(_drivers(alone, profile, offers)):
            assert set(drivers) == {RULES_SUITABILITY, OCCUPATION_FIT} - {
                RULES_SUITABILITY if not suits[j] else "",
                OCCUPATION_FIT if not fit[j] else "",
            }
            fits += int(fit[j])
    assert fits


def test_no_positive_driver_gives_no_driver_reason(raw: EffectRanker, profiles, offers) -> None:
    flat = np.zeros_like(raw.coef_)
    flat[:, 0] = 0.05  # every offer +5 pp, whoever takes it: nothing raises one estimate
    constant = _variant(raw, coef_=flat, cov_=np.zeros_like(raw.cov_))
    catalog = OfferCatalog.from_records(offers)

    result = recommend(constant, profiles[0], catalog, k=5, as_of=AS_OF)

    assert result.items
    for item in result.items:
        assert any(r.startswith(EFFECT_PREFIX) for r in item.reasons)
        assert not any(r.startswith(DRIVER_PREFIX) for r in item.reasons)


def test_the_driver_reason_follows_the_effect_within_the_limit(
    small_ranker: EffectRanker, profiles, offers
) -> None:
    catalog = OfferCatalog.from_records(offers)
    labels = set(DRIVER_LABELS.values())
    named = 0
    for profile in profiles[:15]:
        for item in recommend(small_ranker, profile, catalog, k=5, as_of=AS_OF).items:
            assert len(item.reasons) <= MAX_REASONS
            at = [i for i, r in enumerate(item.reasons) if r.startswith(DRIVER_PREFIX)]
            if at:
                effect = next(i for i, r in enumerate(item.reasons) if r.startswith(EFFECT_PREFIX))
                assert at == [effect + 1]
                names = item.reasons[at[0]].removeprefix(DRIVER_PREFIX).split(", ")
                assert 1 <= len(names) <= 3
                assert set(names) <= labels
                named += 1
    assert named


def test_a_model_without_design_means_still_serves_without_a_driver_reason(
    small_ranker: EffectRanker, profiles, offers
) -> None:
    older = copy.copy(small_ranker)
    del older.design_mean_
    restored = ranker_from_bytes(ranker_to_bytes(older))  # an artifact from before the means
    catalog = OfferCatalog.from_records(offers)

    before = recommend(small_ranker, profiles[1], catalog, k=5, as_of=AS_OF)
    after = recommend(restored, profiles[1], catalog, k=5, as_of=AS_OF)

    assert [(i.offer_id, i.score) for i in after.items] == [
        (i.offer_id, i.score) for i in before.items
    ]
    for old, new in zip(before.items, after.items, strict=True):
        stripped = tuple(r for r in old.reasons if not r.startswith(DRIVER_PREFIX))
        assert len(stripped) < len(old.reasons)  # the full model names drivers here
        assert not any(r.startswith(DRIVER_PREFIX) for r in new.reasons)
        assert new.reasons[: len(stripped)] == stripped


def test_the_same_snapshot_gives_the_same_driver_reason(
    small_ranker: EffectRanker, profiles, offers
) -> None:
    restored = ranker_from_bytes(ranker_to_bytes(small_ranker))
    profile = profiles[4]

    first = recommend(small_ranker, profile, OfferCatalog.from_records(offers), k=5, as_of=AS_OF)
    again = recommend(small_ranker, profile, list(offers), k=5, as_of=AS_OF)
    replayed = recommend(restored, profile, list(offers), k=len(offers), as_of=AS_OF)

    assert any(r.startswith(DRIVER_PREFIX) for item in first.items for r in item.reasons)
    assert first == again
    by_offer = {item.offer_id: item.reasons for item in replayed.items}
    for item in first.items:
        assert by_offer[item.offer_id] == item.reasons
    # An item's drivers do not depend on which other items are computed with it.
    batch = _drivers(small_ranker, profile, offers)
    assert [_drivers(small_ranker, profile, [offer])[0] for offer in offers[:30]] == batch[:30]
