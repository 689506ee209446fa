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


def top_code(occupation_index: OccupationIndex, query: str) -> str:
    return occupation_index.search(query, limit=3)[0].code


def test_loaders_read_all_rows() -> None:
    classes = load_classes()
    titles = load_job_titles()

    assert (len(classes), len(titles)) == (2195, 18838)


def test_slash_in_and_female_form_find_the_same_occupation(
    occupation_index: OccupationIndex,
) -> None:
    neutral = top_code(occupation_index, "Elektroniker/in")

    female = top_code(occupation_index, "Elektronikerin")

    assert neutral == female == ELEKTRONIKER


@pytest.mark.parametrize("query", ["Elektroniker/-in", "ElektronikerIn", "Elektroniker (m/w/d)"])
def test_other_gender_notations_find_the_occupation(
    occupation_index: OccupationIndex, query: str
) -> None:
    code = top_code(occupation_index, query)

    assert code == ELEKTRONIKER


def test_techn_abbreviation_is_spelled_out(occupation_index: OccupationIndex) -> None:
    code = top_code(occupation_index, "Techn. Zeichner")

    assert code == TECHNISCHE_ZEICHNER


def test_word_order_does_not_matter(occupation_index: OccupationIndex) -> None:
    code = top_code(occupation_index, "Automatisierungstechnik Elektroniker")

    assert code == AUTOMATISIERUNG


def test_plain_title_finds_its_code_with_full_score(occupation_index: OccupationIndex) -> None:
    best = occupation_index.search("Maurer")[0]

    assert (best.code, best.score) == (MAURER, 100.0)


@pytest.mark.parametrize("query", ["Bürokaufmann", "Buerokaufmann", "Burokaufmann", "Bürokauffrau"])
def test_umlaut_spellings_and_female_form_meet(
    occupation_index: OccupationIndex, query: str
) -> None:
    code = top_code(occupation_index, query)

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
def test_typos_are_tolerated(occupation_index: OccupationIndex, query: str) -> None:
    code = top_code(occupation_index, query)

    assert code == AUTOMATISIERUNG


@pytest.mark.parametrize("query", ["", "   ", "(m/w/d)"])
def test_empty_query_finds_nothing(occupation_index: OccupationIndex, query: str) -> None:
    matches = occupation_index.search(query)

    assert matches == []


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_limit_is_respected(occupation_index: OccupationIndex, limit: int) -> None:
    matches = occupation_index.search("Kaufmann", limit=limit)

    assert len(matches) == limit


def test_each_code_appears_once(occupation_index: OccupationIndex) -> None:
    matches = occupation_index.search("Elektroniker", limit=20)

    codes = [m.code for m in matches]
    assert len(codes) == len(set(codes))


def test_results_are_sorted_best_first(occupation_index: OccupationIndex) -> None:
    matches = occupation_index.search("Altenpflegerin", limit=10)

    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(("code", "known"), [("32122", True), ("3212", False), ("99999", False)])
def test_is_known_code_accepts_only_occupation_types(
    occupation_index: OccupationIndex, code: str, known: bool
) -> None:
    result = occupation_index.is_known_code(code)

    assert result is known


def test_title_of_gives_the_class_title(occupation_index: OccupationIndex) -> None:
    title = occupation_index.title_of(MAURER)

    assert title == "Berufe im Maurerhandwerk – fachlich ausgerichtete Tätigkeiten"


def test_skill_level_is_the_fifth_digit(occupation_index: OccupationIndex) -> None:
    level = occupation_index.skill_level("26124")

    assert level == 4


@pytest.mark.parametrize("code", ["2612", "2612x", "26120"])
def test_skill_level_rejects_malformed_codes(occupation_index: OccupationIndex, code: str) -> None:
    with pytest.raises(InvalidOccupationCode):
        occupation_index.skill_level(code)


def test_index_builds_from_rows_with_the_same_fields() -> None:
    classes = [OccupationClass("32122", 5, "Maurerhandwerk - Fachkraft", "Maurer", "")]
    titles = [JobTitle("32122-100", "32122", "Maurer/in")]

    occupation_index = OccupationIndex.from_entries(classes, titles)

    assert occupation_index.search("Maurerin")[0].code == "32122"
