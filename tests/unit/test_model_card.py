"""The model card: German throughout, every plot referenced inline and embeddable."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from training.ranking.labels import FEATURE_LABELS, GROUP_LABELS, POLICY_LABELS, gate_label
from training.ranking.ranker import EffectRanker
from training.release.gates import GateThresholds, evaluate_gates
from training.release.model_card import (
    PLOT_LINK,
    _int,
    _num,
    _pp,
    embed_plots,
    key_figures,
    render_model_card,
)
from training.release.retrain import RetrainConfig, run_retrain

PLOTS = ("calibration", "qini", "groups", "feature_importance")


def _estimate(value: float) -> dict[str, float]:
    return {"diff": value, "ci_low": value - 1.0, "ci_high": value + 1.0, "se": 0.5}


def _evaluation() -> dict:
    groups = {
        name: {
            "n": 400,
            "comparison": _estimate(-6.0 if name == "women" else 1.0),
            "dr_gain_vs_no_measure": _estimate(3.0),
            "estimated_gain_pp": 2.5,
            "recommendation_rate": 0.8,
        }
        for name in GROUP_LABELS
    }
    policy = {"value": 40.0, "ci_low": 38.0, "ci_high": 42.0, "no_recommendation_share": 0.1}
    return {
        "reference": "rules",
        "n_eval": 3000,
        "n_offers": 120,
        "policies": {"candidate": policy, "rules": policy, "no_measure": policy},
        "comparison": _estimate(1.0),
        "calibration": {"p_without": 0.02, "p_with": 0.08},
        "groups": groups,
        "no_recommendation_share": {"candidate": 0.1, "reference": 0.1},
        "estimated_gain_pp": 2.5,
        "dr_gain_vs_no_measure": _estimate(3.0),
        "feature_importance": dict.fromkeys(FEATURE_LABELS, 1.0),
    }


def _card() -> str:
    evaluation = _evaluation()
    return render_model_card(
        evaluation=evaluation,
        gates=evaluate_gates(evaluation, GateThresholds()),
        metrics={"split_cutoff": "2025-06-01T00:00:00", "share_treated_train": 0.4},
        window=(datetime(2023, 1, 1), datetime(2025, 5, 31)),
        n_train=12000,
        n_test=3000,
    )


def test_card_references_every_plot_with_a_german_description():
    card = _card()

    assert sorted(PLOT_LINK.findall(card)) == sorted(PLOTS)
    alts = re.findall(r"!\[([^\]]+)\]\(plots/", card)
    assert "Kalibrierung" in alts
    assert not [a for a in alts if "_" in a]


def test_embedded_card_has_data_uris_instead_of_links():
    card = embed_plots(_card(), dict.fromkeys(PLOTS, "iVBORw0KGgo="))

    assert not PLOT_LINK.search(card)
    assert card.count("](data:image/png;base64,iVBORw0KGgo=)") == len(PLOTS)


def test_card_shows_no_raw_names_and_no_english():
    card = _card()

    raw = [n for n in [*FEATURE_LABELS, "group_women", "p_without", "not_women"] if n in card]
    assert raw == []
    assert " / " not in card
    assert "focus group" not in card.lower()
    assert "Fokusgruppe Frauen" in card
    assert "12.000 Trainings-" in card
    assert "01.06.2025" in card


def test_key_figures_are_german_and_formatted():
    figures = dict(key_figures({"n_eval": 3000, "calibration": {"p_with": 0.0412}, "x_y": 2}))

    assert figures == {
        "Ausgewertete Personen": "3.000",
        "Kalibrierungsfehler mit Maßnahme": "0,041",
    }


SECTIONS = [
    "# Modellkarte: Wirkungsranking für Qualifizierungsangebote",
    "## Zweck und Einsatzgrenzen",
    "## Trainingsdaten",
    "## Gesamtergebnis",
    "## Wahl der Einstellungen und Kalibrierung",
    "## Fokusgruppen",
    "## Freigabe-Gates",
    "## Wichtigste Merkmale",
    "## Bekannte Schwächen",
    "## Hinweise nach EU-KI-Verordnung",
]


def _sections_in_order(card: str) -> list[str]:
    return [line for line in card.splitlines() if line.startswith("#")]


def test_template_card_shows_source_selection_and_suppressed_cells():
    evaluation = _evaluation()
    evaluation["groups"]["women"]["n"] = 3
    chosen = {"prior_shrinkage": True, "risk_aversion": 1.0}
    evaluation["selection"] = {
        "n_validation": 1200,
        "chosen": chosen,
        "candidates": [
            {"params": chosen, "value_pp": 41.2, "se_pp": 0.8, "vs_rules_pp": 1.2},
        ],
        "calibration": {"slope": 0.93},
    }
    card = render_model_card(
        evaluation=evaluation,
        gates=evaluate_gates(evaluation, GateThresholds()),
        metrics={
            "split_cutoff": "2025-06-01T00:00:00",
            "share_treated_train": 0.4,
            "data_source": {
                "label": "Datenbank",
                "n_episodes": 15000,
                "n_synthetic": 200,
                "first": "2023-01-01T00:00:00",
                "last": "2025-05-31T00:00:00",
            },
        },
        window=(datetime(2023, 1, 1), datetime(2025, 5, 31)),
        n_train=12000,
        n_test=3000,
    )

    assert _sections_in_order(card) == SECTIONS
    assert (
        "- Herkunft: Datenbank – 15000 Episoden, 01.01.2023 bis 31.05.2025, "
        "davon 200 synthetisch (Demo)\n- Zeitraum: 01.01.2023 bis 31.05.2025 (Test ab 01.06.2025)"
    ) in card
    assert "| Frauen | <5 | – | – | – | – |" in card
    assert "Gewählt: **mit Regel-Prior, Risikoabschlag 1,0 × Standardfehler**." in card
    assert "| mit Regel-Prior, Risikoabschlag 1,0 × Standardfehler (gewählt) | 41,2 |" in card
    assert card.endswith("Gruppenvergleiche als Bias-Prüfung (Art. 10).\n")


@pytest.mark.slow
def test_card_of_a_small_fitted_ranker_has_every_section_and_figure(small_world):
    result = run_retrain(
        small_world.episodes,
        small_world.offers,
        config=RetrainConfig(max_eval_rows=800),
        ranker_factory=lambda: EffectRanker(
            max_rows_per_arm=2000, max_nuisance_rows=3000, outcome_iterations=50
        ),
    )
    card, evaluation = result.model_card, result.evaluation

    assert _sections_in_order(card) == SECTIONS
    assert (
        f"- Umfang: {_int(result.n_train)} Trainings- und {_int(result.n_test)} Testepisoden"
        in (card)
    )
    assert (
        f"{_int(evaluation['n_eval'])} Personen gegen {_int(evaluation['n_offers'])} Angebote"
        in (card)
    )
    for name, policy in evaluation["policies"].items():
        assert f"| {POLICY_LABELS.get(name, name)} | {_num(policy['value'])} % |" in card
    for name in evaluation["groups"]:
        assert f"| {GROUP_LABELS.get(name, name)} |" in card
    for gate in result.gates.results:
        assert f"{gate_label(gate.name)}: {gate.message}" in card
    verdict = "bestanden" if result.gates.passed else "NICHT bestanden"
    assert f"**Ergebnis: {verdict}**" in card
    assert f"Differenz zur Referenz: {_pp(evaluation['comparison']['diff'])} pp" in card
    assert sorted(PLOT_LINK.findall(card)) == sorted(PLOTS)
    assert re.search(r"\{\{|\{%", card) is None
