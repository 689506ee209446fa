"""The model card: German throughout, every plot referenced inline and embeddable."""

from __future__ import annotations

import re
from datetime import datetime

from training.ranking.labels import FEATURE_LABELS, GROUP_LABELS
from training.release.gates import GateThresholds, evaluate_gates
from training.release.model_card import PLOT_LINK, embed_plots, key_figures, render_model_card

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
