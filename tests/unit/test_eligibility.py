"""Hard eligibility rules: each failure comes with a German reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.enums import District, Funding, GermanLevel, OfferFormat
from tests.factories import make_offer, make_profile
from training.data.schema import OfferRecord, ProfileRecord
from training.ranking.eligibility import (
    Rule,
    check_eligibility,
    check_eligibility_many,
    rule_failures,
)

AS_OF = date(2025, 3, 1)


def test_matching_pair_is_eligible() -> None:
    result = check_eligibility(make_profile(), make_offer(), as_of=AS_OF)

    assert result.eligible
    assert result.reasons == ()


def test_german_below_minimum_is_refused_with_reason() -> None:
    result = check_eligibility(make_profile(german_level=GermanLevel.A2), make_offer(), as_of=AS_OF)

    assert not result.eligible
    assert result.reasons == ("Deutschkenntnisse reichen noch nicht (A2, verlangt B1)",)


def test_too_few_hours_without_part_time_is_refused() -> None:
    result = check_eligibility(make_profile(hours_available=20), make_offer(), as_of=AS_OF)

    assert not result.eligible
    assert "Zeitlicher Umfang" in result.reasons[0]


def test_part_time_offer_accepts_fewer_hours() -> None:
    result = check_eligibility(
        make_profile(hours_available=20), make_offer(part_time_possible=True), as_of=AS_OF
    )

    assert result.eligible


def test_single_parent_needs_childcare_for_full_time() -> None:
    profile = make_profile(single_parent=True, care_duties=True)

    refused = check_eligibility(profile, make_offer(), as_of=AS_OF)
    accepted = check_eligibility(profile, make_offer(childcare=True), as_of=AS_OF)

    assert any("Kinderbetreuung" in r for r in refused.reasons)
    assert accepted.eligible


def test_voucher_needs_azav_certification() -> None:
    result = check_eligibility(make_profile(), make_offer(azav_certified=False), as_of=AS_OF)

    assert result.reasons == (
        "Bildungsgutschein/AVGS nur bei AZAV-zertifizierten Angeboten einlösbar",
    )


def test_no_future_start_date_is_refused() -> None:
    result = check_eligibility(
        make_profile(), make_offer(start_dates=(date(2024, 1, 1),)), as_of=AS_OF
    )

    assert result.reasons == ("Kein Starttermin nach dem 01.03.2025",)


def test_no_free_seats_is_refused() -> None:
    result = check_eligibility(make_profile(), make_offer(seats_free=0), as_of=AS_OF)

    assert result.reasons == ("Keine freien Plätze",)


def test_long_commute_is_refused_but_online_has_none() -> None:
    profile = make_profile(district=District.HUELS, max_commute_minutes=20)
    far = make_offer(district=District.UERDINGEN)

    assert "Anfahrt zu weit" in check_eligibility(profile, far, as_of=AS_OF).reasons[0]
    assert check_eligibility(profile, replace(far, format=OfferFormat.ONLINE), as_of=AS_OF).eligible


@pytest.mark.slow  # many generated profiles and offers
@settings(deadline=None, max_examples=40)
@given(
    st.sampled_from(list(GermanLevel)),
    st.sampled_from(list(GermanLevel)),
    st.sampled_from(list(GermanLevel)),
)
def test_more_german_never_makes_an_offer_less_eligible(
    level: GermanLevel, higher: GermanLevel, minimum: GermanLevel
) -> None:
    if higher.rank < level.rank:
        level, higher = higher, level
    offer = make_offer(min_german_level=minimum)

    before = check_eligibility(make_profile(german_level=level), offer, as_of=AS_OF)
    after = check_eligibility(make_profile(german_level=higher), offer, as_of=AS_OF)

    assert after.eligible or not before.eligible
    assert len(after.reasons) <= len(before.reasons)


def test_per_request_eligibility_matches_the_rules() -> None:
    from training.data.encoding import ProfileArrays
    from training.data.features import OfferCatalog
    from training.data.records import offer_records, profile_records
    from training.ranking.recommend import eligible_offers
    from training.synthetic import generate_world

    world = generate_world(n_people=300, n_offers=400, n_episodes=10, seed=5)
    catalog = OfferCatalog.from_records(offer_records(world.offers))
    for as_of in (date(2025, 1, 1), date(2026, 1, 1)):
        for profile in profile_records(world.profiles):
            p = ProfileArrays.from_record(profile)
            expected = np.flatnonzero(rule_failures(p, catalog.arrays, as_of=as_of) == 0)
            assert np.array_equal(eligible_offers(p, catalog, as_of=as_of), expected)


def test_rolling_entry_is_never_too_late():
    offer = make_offer(start_dates=(), rolling_entry=True)

    assert check_eligibility(make_profile(), offer, as_of=AS_OF).eligible


def test_next_start_skips_past_dates_and_is_none_for_rolling_entry():
    offer = make_offer(start_dates=(AS_OF - timedelta(days=1), AS_OF + timedelta(days=9)))

    assert offer.next_start(AS_OF) == AS_OF + timedelta(days=9)
    assert replace(offer, rolling_entry=True).next_start(AS_OF) is None


def _randomised_pairs(
    seed: int, n_profiles: int = 40, n_offers: int = 70
) -> tuple[list[ProfileRecord], list[OfferRecord]]:
    """Synthetic profiles and offers with the rule inputs redrawn so that every rule fails often."""
    from training.data.records import offer_records, profile_records
    from training.synthetic import generate_world

    world = generate_world(n_people=n_profiles, n_offers=n_offers, n_episodes=10, seed=seed)
    rng = np.random.default_rng(seed)
    levels, districts, formats = list(GermanLevel), list(District), list(OfferFormat)
    profiles = [
        r.replace(
            german_level=levels[rng.integers(len(levels))],
            district=districts[rng.integers(len(districts))],
            care_duties=bool(rng.random() < 0.4),
            single_parent=bool(rng.random() < 0.2),
            hours_available=int(rng.choice([15, 20, 30, 40])),
            driving_licence=bool(rng.random() < 0.5),
            max_commute_minutes=int(rng.choice([-1, 10, 15, 20, 30, 60])),
        )
        for r in profile_records(world.profiles)
    ]
    fundings = [
        (Funding.BILDUNGSGUTSCHEIN,),
        (Funding.AVGS,),
        (Funding.BILDUNGSGUTSCHEIN, Funding.FREE),
        (Funding.OTHER,),
        (),
    ]
    offers = [
        replace(
            r,
            min_german_level=levels[rng.integers(len(levels))],
            district=districts[rng.integers(len(districts))],
            format=formats[rng.integers(len(formats))],
            hours_per_week=int(rng.choice([15, 20, 29, 30, 38])),
            part_time_possible=bool(rng.random() < 0.4),
            childcare=bool(rng.random() < 0.3),
            funding=fundings[rng.integers(len(fundings))],
            start_dates=(AS_OF + timedelta(days=int(rng.integers(-60, 60))),),
            rolling_entry=bool(rng.random() < 0.1),
            seats_free=int(rng.choice([0, 1, 5])),
            azav_certified=bool(rng.random() < 0.6),
        )
        for r in offer_records(world.offers)
    ]
    return profiles, offers


@pytest.mark.slow  # many generated profiles and offers
def test_eligible_iff_no_rule_gives_a_reason() -> None:
    from training.data.encoding import ProfileArrays
    from training.data.features import OfferCatalog
    from training.ranking.recommend import eligible_offers

    profiles, offers = _randomised_pairs(3, n_profiles=25, n_offers=40)
    catalog = OfferCatalog.from_records(offers)
    failed: set[Rule] = set()
    for profile in profiles:
        served = eligible_offers(ProfileArrays.from_record(profile), catalog, as_of=AS_OF)
        checks = [check_eligibility(profile, offer, as_of=AS_OF) for offer in offers]
        without_reason = [j for j, check in enumerate(checks) if not check.reasons]
        assert served.tolist() == without_reason
        assert all(check.eligible == (not check.reasons) for check in checks)
        bits = check_eligibility_many(profile, catalog.arrays, as_of=AS_OF)
        for check, mask in zip(checks, bits, strict=True):
            assert len(check.reasons) == bin(int(mask)).count("1")
            failed |= {rule for rule in Rule if mask & rule}
    assert failed == set(Rule)  # every rule was exercised
