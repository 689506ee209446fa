"""A shortlist, not a sort order: variety, the target field, collapsed runs, early starts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.enums import MeasureType
from tests.factories import make_offer, make_profile
from tests.unit.test_eligibility import AS_OF
from training.data.features import OfferCatalog
from training.data.schema import OfferRecord
from training.ranking.explain import occupation_reason
from training.ranking.recommend import recommend
from training.ranking.shortlist import ShortlistPolicy, build_shortlist, title_stem

SOON = (AS_OF + timedelta(days=30),)
TYPES = (
    MeasureType.UMSCHULUNG,
    MeasureType.TEILQUALIFIZIERUNG,
    MeasureType.BERUFSSPRACHKURS,
    MeasureType.AKTIVIERUNG_COACHING,
)


def _offer(offer_id: int, measure_type: MeasureType, **changes: object) -> OfferRecord:
    values: dict[str, object] = {
        "offer_id": offer_id,
        "title": f"Kurs {chr(64 + offer_id % 26)}{offer_id // 26}",
        "measure_type": measure_type,
        "provider_id": offer_id,
        "start_dates": SOON,
        "seats_free": 5,
        "min_german_level": make_offer().min_german_level,
        "target_occupations": ("71402",),
    } | changes
    return replace(make_offer(), **values)  # type: ignore[arg-type]


def _rules(offers: list[OfferRecord], k: int = 5, **profile: object) -> list[OfferRecord]:
    result = recommend(None, make_profile(**profile), offers, k=k, as_of=AS_OF, mode="rules")
    by_id = {o.offer_id: o for o in offers}
    return [by_id[item.offer_id] for item in result.items]


def test_at_most_two_of_one_measure_type_in_the_top_five():
    offers = [_offer(i, MeasureType.UMSCHULUNG) for i in range(1, 9)]
    offers += [_offer(20 + i, t) for i, t in enumerate(TYPES[1:])]

    top = _rules(offers)

    counts = {t: sum(o.measure_type == t for o in top) for t in TYPES}
    assert len(top) == 5
    assert max(counts.values()) <= 2


def test_one_type_fills_the_list_when_no_other_type_is_eligible():
    offers = [_offer(i, MeasureType.UMSCHULUNG) for i in range(1, 9)]

    top = _rules(offers)

    assert len(top) == 5


def _picks(offers: list[OfferRecord], ranked: list[int], **kwargs: object) -> list[int]:
    catalog = OfferCatalog.from_records(offers)
    in_field = np.array([o.target_occupations == ("51312",) for o in offers])
    candidates = kwargs.pop("candidates", [i for i in ranked if in_field[i]])
    picks = build_shortlist(
        np.array(ranked, dtype=np.intp),
        catalog,
        k=5,
        as_of=AS_OF,
        in_target_field=in_field,
        target_candidates=np.array(candidates, dtype=np.intp),
        **kwargs,  # type: ignore[arg-type]
    )
    return [offers[p.position].offer_id for p in picks]


def test_an_offer_in_the_target_field_reaches_the_top_three():
    offers = [_offer(i, t) for i, t in enumerate(TYPES, start=1)]
    offers.append(_offer(9, MeasureType.GRUNDBILDUNG, target_occupations=("51312",)))

    top = _picks(offers, ranked=[0, 1, 2, 3, 4])

    assert top.index(9) == 2
    assert sorted(top) == [1, 2, 3, 4, 9]


def test_a_harmless_target_field_offer_outside_the_ranking_is_moved_up():
    offers = [_offer(i, t) for i, t in enumerate(TYPES, start=1)]
    offers.append(_offer(9, MeasureType.GRUNDBILDUNG, target_occupations=("51312",)))

    top = _picks(offers, ranked=[0, 1, 2, 3], candidates=[4])

    assert top[:3] == [1, 2, 9]


def test_the_target_rule_keeps_an_order_that_already_satisfies_it():
    offers = [_offer(i, t) for i, t in enumerate(TYPES, start=1)]
    offers.append(_offer(9, MeasureType.GRUNDBILDUNG, target_occupations=("51312",)))

    assert _picks(offers, ranked=[4, 0, 1, 2, 3]) == [9, 1, 2, 3, 4]


def test_no_target_rule_without_target_occupations():
    offers = [_offer(i, t) for i, t in enumerate(TYPES, start=1)]

    assert len(_rules(offers, target_occupations=())) == 4


def test_runs_of_one_course_collapse_into_one_item_with_their_dates():
    later = (AS_OF + timedelta(days=90),)
    runs = [
        _offer(i, MeasureType.UMSCHULUNG, title=f"Trockenbau Grundlagen (Nr. {i})", provider_id=7)
        for i in (1, 2, 3)
    ]
    runs[1] = replace(runs[1], start_dates=later)
    other = _offer(4, MeasureType.BERUFSSPRACHKURS)

    result = recommend(None, make_profile(), [*runs, other], k=5, as_of=AS_OF, mode="rules")

    ids = [item.offer_id for item in result.items]
    assert len(ids) == 2
    (course,) = [item for item in result.items if item.offer_id in (1, 2, 3)]
    assert {run.offer_id for run in course.other_runs} | {course.offer_id} == {1, 2, 3}
    assert later[0] in {run.next_start for run in course.other_runs} | {SOON[0]}


def test_same_title_at_another_provider_is_a_course_of_its_own():
    offers = [
        _offer(i, MeasureType.UMSCHULUNG, title="Trockenbau Grundlagen", provider_id=i)
        for i in (1, 2)
    ]

    assert len(_rules(offers)) == 2


def test_a_later_start_comes_after_offers_starting_within_the_window_and_says_when():
    late_start = AS_OF + timedelta(days=300)
    offers = [
        _offer(1, MeasureType.UMSCHULUNG, start_dates=(late_start,)),
        _offer(2, MeasureType.AKTIVIERUNG_COACHING),
    ]
    profile = make_profile()

    result = recommend(None, profile, offers, k=5, as_of=AS_OF, mode="rules")
    wide = recommend(
        None,
        profile,
        offers,
        k=5,
        as_of=AS_OF,
        mode="rules",
        policy=ShortlistPolicy(start_window_days=400),
    )

    assert [i.offer_id for i in result.items] == [2, 1]
    assert any(late_start.strftime("%d.%m.%Y") in w for w in result.items[1].warnings)
    assert [i.offer_id for i in wide.items] == [1, 2]  # by score when both start in the window


def test_title_stem_ignores_run_numbers_and_dates():
    assert title_stem("Trockenbau Grundlagen (Nr. 3)") == title_stem("Trockenbau Grundlagen")
    assert title_stem("Deutsch B2 ab 01.03.2027") == title_stem("Deutsch B2 ab 1.9.27")
    assert title_stem("Pflege Modul 1, Kurs 4") == title_stem("Pflege Modul 1")
    assert title_stem("Pflege Modul 1") != title_stem("Pflege Modul 2")


def test_occupation_reason_names_the_target_that_matched():
    profile = make_profile(target_occupations=("82102", "51312", "52122"))
    offer = _offer(1, MeasureType.UMSCHULUNG, target_occupations=("52121",))  # related

    reason = occupation_reason(profile, offer, fit=1.0)

    assert reason is not None
    assert "Berufskraftfahrer" in reason
    assert "Altenpflege" not in reason


@pytest.mark.slow  # generated catalogues
@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(TYPES), min_size=1, max_size=14),
    st.integers(min_value=1, max_value=8),
)
def test_variety_holds_for_any_catalogue(types: list[MeasureType], k: int):
    offers = [_offer(i, t) for i, t in enumerate(types, start=1)]

    top = _rules(offers, k=k)

    assert len(top) == min(k, len(offers))
    head = top[:5]
    for t in set(types):
        if sum(o.measure_type == t for o in head) > 2:
            # only when every other type is at its cap or has no offer left
            for u in set(types) - {t}:
                shown = sum(o.measure_type == u for o in head)
                assert shown >= min(2, types.count(u))
    assert len({o.offer_id for o in top}) == len(top)
