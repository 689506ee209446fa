"""Measure type and target occupation of course-database runs (the ordered rule table)."""

from __future__ import annotations

import pytest

from models.enums import MeasureType as M
from service.offers.wbs_classify import (
    FALLBACK,
    classify,
    occupation_query,
    target_occupations,
)


@pytest.mark.parametrize(
    ("title", "certificate", "expected", "rule"),
    [
        ("Umschulung zum Kaufmann für Büromanagement (m/w/d)", "", M.UMSCHULUNG, "umschulung"),
        (
            "Fachkraft für Lagerlogistik",
            "Prüfung Abschlussprüfung vor der IHK",
            M.UMSCHULUNG,
            "abschlusspruefung",
        ),
        ("TQ 2 Maschinen- und Anlagenführer", "", M.TEILQUALIFIZIERUNG, "teilqualifizierung"),
        (
            "Teilqualifizierung Pflegehelfer/in",
            "Zertifikat",
            M.TEILQUALIFIZIERUNG,
            "teilqualifizierung",
        ),
        ("Berufssprachkurs B2", "", M.BERUFSSPRACHKURS, "berufssprachkurs"),
        (
            "Deutsch B1 Spezialkurs",
            "Zertifikat nach DeuFöV",
            M.BERUFSSPRACHKURS,
            "berufssprachkurs",
        ),
        ("Integrationskurs mit Alphabetisierung", "", M.INTEGRATIONSKURS, "integrationskurs"),
        ("AVGS: Bewerbungscoaching", "Teilnahmebescheinigung", M.AKTIVIERUNG_COACHING, "avgs"),
        (
            "Einstiegsqualifizierung Handel",
            "",
            M.EINSTIEGSQUALIFIZIERUNG,
            "einstiegsqualifizierung",
        ),
        ("Wiedereinstieg nach der Familienphase", "", M.WIEDEREINSTIEG, "wiedereinstieg"),
        ("Gabelstaplerschein kompakt", "", M.ANPASSUNGSQUALIFIZIERUNG, "anpassung"),
    ],
)
def test_rules_in_title_or_certificate_are_confident(title, certificate, expected, rule):
    result = classify(title, certificate, "")

    assert (result.measure_type, result.rule, result.confident) == (expected, rule, True)


def test_specific_instrument_wins_over_generic_words():
    # "Zertifikat" and "Lehrgang" are generic; the Teilqualifizierung rule comes first.
    result = classify("Lehrgang Teilqualifizierung Lager", "Zertifikat", "")

    assert result.measure_type == M.TEILQUALIFIZIERUNG


def test_hint_only_in_the_content_gives_the_fallback_and_a_suggestion():
    result = classify("Excel am Arbeitsplatz", "Teilnahmebescheinigung", "Aktivierung im Kurs.")

    assert (result.measure_type, result.confident) == (FALLBACK, False)
    assert result.suggestion == M.AKTIVIERUNG_COACHING
    assert result.flag()["confidence"] == "low"


def test_no_rule_gives_the_fallback_without_suggestion():
    result = classify("Office am Arbeitsplatz", "Teilnahmebescheinigung", "Word und Outlook.")

    assert (result.measure_type, result.rule, result.suggestion) == (FALLBACK, None, None)


def test_confident_flag_records_the_rule():
    flag = classify("Umschulung Koch/Köchin", "", "").flag()

    assert flag | {"message": ""} == {
        "code": "wbs_classification",
        "message": "",
        "rule": "umschulung",
        "field": "title",
        "confidence": "high",
        "measure_type": "UMSCHULUNG",
        "suggestion": None,
    }


def test_instrument_words_are_removed_before_the_occupation_search():
    assert occupation_query("Umschulung zum Kaufmann für Büromanagement (m/w/d)") == (
        "Kaufmann für Büromanagement"
    )
    assert occupation_query("Pflegehelfer/in in der Altenpflege") == "Pflegehelfer/in Altenpflege"


def test_occupation_found_from_title(occupation_index):
    codes, score = target_occupations(
        occupation_index, "TQ 1 Fachkraft für Lagerlogistik", "Zertifikat"
    )

    assert codes == ["51312"]
    assert score >= 88


def test_no_occupation_below_the_threshold(occupation_index):
    codes, _score = target_occupations(occupation_index, "Bewerbungstraining kompakt", "")

    assert codes == []
