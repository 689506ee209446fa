"""Behaviour of the KldB occupation search: what counsellors type must find the right code."""

from __future__ import annotations

import pytest

from service.occupations import (
    InvalidOccupationCode,
    JobTitle,
    OccupationClass,
    OccupationIndex,
    load_classes,
    load_job_titles,
)

ELEKTRONIKER = "26302"  # Elektroniker/in
AUTOMATISIERUNG = "26122"  # Elektroniker/in - Automatisierungstechnik
TECHNISCHE_ZEICHNER = "27212"  # Technische/r Zeichner/in
MAURER = "32122"  # Maurer/in
BUEROKAUFLEUTE = "71402"  # Bürokaufmann/-frau


def top_code(index: OccupationIndex, query: str) -> str:
    return index.search(query, limit=3)[0].code


def test_loaders_read_all_rows() -> None:
    classes = load_classes()
    titles = load_job_titles()

    assert (len(classes), len(titles)) == (2195, 18838)


def test_slash_in_and_female_form_find_the_same_occupation(index: OccupationIndex) -> None:
    neutral = top_code(index, "Elektroniker/in")

    female = top_code(index, "Elektronikerin")

    assert neutral == female == ELEKTRONIKER


@pytest.mark.parametrize("query", ["Elektroniker/-in", "ElektronikerIn", "Elektroniker (m/w/d)"])
def test_other_gender_notations_find_the_occupation(index: OccupationIndex, query: str) -> None:
    code = top_code(index, query)

    assert code == ELEKTRONIKER


def test_techn_abbreviation_is_spelled_out(index: OccupationIndex) -> None:
    code = top_code(index, "Techn. Zeichner")

    assert code == TECHNISCHE_ZEICHNER


def test_word_order_does_not_matter(index: OccupationIndex) -> None:
    code = top_code(index, "Automatisierungstechnik Elektroniker")

    assert code == AUTOMATISIERUNG


def test_plain_title_finds_its_code_with_full_score(index: OccupationIndex) -> None:
    best = index.search("Maurer")[0]

    assert (best.code, best.score) == (MAURER, 100.0)


@pytest.mark.parametrize("query", ["Bürokaufmann", "Buerokaufmann", "Burokaufmann", "Bürokauffrau"])
def test_umlaut_spellings_and_female_form_meet(index: OccupationIndex, query: str) -> None:
    code = top_code(index, query)

    assert code == BUEROKAUFLEUTE


@pytest.mark.parametrize(
    "query",
    [
        "Elektroniker Automatisierungstechnk",  # dropped letter
        "Elektroniker Autoamtisierungstechnik",  # swapped letters
        "Elektronikker Automatisierungstechnik",  # doubled letter
        "Elektronuker Automatisierungstechbik",  # two keyboard slips
    ],
)
def test_typos_are_tolerated(index: OccupationIndex, query: str) -> None:
    code = top_code(index, query)

    assert code == AUTOMATISIERUNG


@pytest.mark.parametrize("query", ["", "   ", "(m/w/d)"])
def test_empty_query_finds_nothing(index: OccupationIndex, query: str) -> None:
    matches = index.search(query)

    assert matches == []


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_limit_is_respected(index: OccupationIndex, limit: int) -> None:
    matches = index.search("Kaufmann", limit=limit)

    assert len(matches) == limit


def test_each_code_appears_once(index: OccupationIndex) -> None:
    matches = index.search("Elektroniker", limit=20)

    codes = [m.code for m in matches]
    assert len(codes) == len(set(codes))


def test_results_are_sorted_best_first(index: OccupationIndex) -> None:
    matches = index.search("Altenpflegerin", limit=10)

    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(("code", "known"), [("32122", True), ("3212", False), ("99999", False)])
def test_is_known_code_accepts_only_occupation_types(
    index: OccupationIndex, code: str, known: bool
) -> None:
    result = index.is_known_code(code)

    assert result is known


def test_title_of_gives_the_class_title(index: OccupationIndex) -> None:
    title = index.title_of(MAURER)

    assert title == "Berufe im Maurerhandwerk – fachlich ausgerichtete Tätigkeiten"


def test_skill_level_is_the_fifth_digit(index: OccupationIndex) -> None:
    level = index.skill_level("26124")

    assert level == 4


@pytest.mark.parametrize("code", ["2612", "2612x", "26120"])
def test_skill_level_rejects_malformed_codes(index: OccupationIndex, code: str) -> None:
    with pytest.raises(InvalidOccupationCode):
        index.skill_level(code)


def test_index_builds_from_rows_with_the_same_fields() -> None:
    classes = [OccupationClass("32122", 5, "Maurerhandwerk - Fachkraft", "Maurer", "")]
    titles = [JobTitle("32122-100", "32122", "Maurer/in")]

    index = OccupationIndex.from_entries(classes, titles)

    assert index.search("Maurerin")[0].code == "32122"
