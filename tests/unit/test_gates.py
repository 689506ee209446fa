"""Promotion gates: which candidate may replace the champion."""

from __future__ import annotations

import pytest

from training.release.gates import GateThresholds, evaluate_gates

GROUPS = ("youth", "long_term_unemployed", "women", "migrants")


def _cmp(diff: float, half_width: float = 1.0) -> dict[str, float]:
    return {
        "diff": diff,
        "se": half_width / 1.96,
        "ci_low": diff - half_width,
        "ci_high": diff + half_width,
    }


def _evaluation(
    *,
    overall: float = 1.0,
    group_diffs: dict[str, float] | None = None,
    calibration: float = 0.02,
    no_rec: tuple[float, float] = (0.1, 0.1),
    effect: tuple[float, float] = (8.0, 8.0),
) -> dict:
    group_diffs = group_diffs or {}
    groups = {}
    for key in GROUPS:
        for name in (key, f"not_{key}"):
            groups[name] = {"n": 400, "comparison": _cmp(group_diffs.get(name, overall), 2.0)}
    return {
        "reference": "champion",
        "comparison": _cmp(overall),
        "calibration": {"p_without": calibration, "p_with": calibration},
        "groups": groups,
        "no_recommendation_share": {"candidate": no_rec[0], "reference": no_rec[1]},
        "estimated_gain_pp": effect[0],
        "dr_gain_vs_no_measure": _cmp(effect[1], 2.0),
    }


def test_better_candidate_passes():
    report = evaluate_gates(_evaluation(overall=1.5), GateThresholds())

    assert report.passed
    assert report.failures == ()


def test_candidate_better_overall_but_worse_for_one_group_is_refused():
    evaluation = _evaluation(overall=2.0, group_diffs={"women": -6.0})

    report = evaluate_gates(evaluation, GateThresholds())

    assert not report.passed
    assert [r.name for r in report.failures] == ["group_women"]
    assert report.failures[0].value == pytest.approx(-6.0)
    assert "Fokusgruppe Frauen" in report.summary()


def test_small_noisy_group_loss_is_not_a_failure():
    evaluation = _evaluation(group_diffs={"youth": -3.0})
    evaluation["groups"]["youth"]["comparison"] = _cmp(-3.0, 5.0)  # interval includes zero

    assert evaluate_gates(evaluation, GateThresholds()).passed


def test_group_below_minimum_size_is_reported_but_not_gated():
    evaluation = _evaluation(group_diffs={"youth": -10.0})
    evaluation["groups"]["youth"]["n"] = 10

    report = evaluate_gates(evaluation, GateThresholds())

    assert report.passed
    assert "nicht geprüft" in next(r for r in report.results if r.name == "group_youth").message


def test_policy_value_must_be_non_inferior():
    report = evaluate_gates(
        _evaluation(overall=-1.5), GateThresholds(policy_value_tolerance_pp=2.0)
    )

    assert [r.name for r in report.failures] == ["policy_value"]
    assert report.failures[0].value == pytest.approx(-2.5)


def test_calibration_error_above_bound_fails():
    report = evaluate_gates(_evaluation(calibration=0.09), GateThresholds())

    assert {r.name for r in report.failures} == {"calibration_p_without", "calibration_p_with"}


def test_jump_in_people_without_recommendation_fails():
    report = evaluate_gates(_evaluation(no_rec=(0.35, 0.10)), GateThresholds())

    assert [r.name for r in report.failures] == ["no_recommendation_share"]
    assert report.failures[0].value == pytest.approx(25.0)


def test_thresholds_from_environment():
    thresholds = GateThresholds.from_mapping(
        {"RETRAIN_GATE_GROUP_TOLERANCE_PP": "0.5", "RETRAIN_GATE_MIN_GROUP_SIZE": "10"}
    )

    assert thresholds.group_tolerance_pp == 0.5
    assert thresholds.min_group_size == 10


def test_bad_threshold_value_is_rejected():
    with pytest.raises(ValueError, match="RETRAIN_GATE_MAX_CALIBRATION_ERROR"):
        GateThresholds.from_mapping({"RETRAIN_GATE_MAX_CALIBRATION_ERROR": "abc"})


ENGLISH = ("policy value", "calibration error", "focus group", "share without", "gates passed")


@pytest.mark.parametrize(
    "evaluation",
    [
        _evaluation(overall=-3.0, group_diffs={"women": -6.0}, calibration=0.09, no_rec=(0.5, 0.1)),
        _evaluation(overall=1.5),
    ],
    ids=["all_fail", "all_pass"],
)
def test_gate_texts_are_german_only(evaluation):
    report = evaluate_gates(evaluation, GateThresholds())

    texts = [r.message for r in report.results] + [report.summary()]
    assert not [t for t in texts if " / " in t or any(e in t.lower() for e in ENGLISH)]
    assert not [t for t in texts if "_" in t]  # no raw keys such as p_without or not_women


def test_displayed_effects_three_times_the_held_out_gain_are_refused():
    report = evaluate_gates(_evaluation(effect=(15.0, 5.0)), GateThresholds())

    assert [r.name for r in report.failures] == ["effect_calibration"]
    assert report.failures[0].value == pytest.approx(3.0)
    assert "Angezeigter Nutzen" in report.summary()


def test_displayed_effects_within_the_noise_of_the_held_out_gain_pass():
    # 10 pp predicted, 7 pp estimated: outside ±25 %, but the interval (5–9 pp) reaches 8 pp.
    assert evaluate_gates(_evaluation(effect=(10.0, 7.0)), GateThresholds()).passed


def test_understated_effects_are_refused_as_well():
    report = evaluate_gates(_evaluation(effect=(4.0, 9.0)), GateThresholds())

    assert [r.name for r in report.failures] == ["effect_calibration"]


def test_no_displayed_gain_is_not_gated():
    assert evaluate_gates(_evaluation(effect=(0.0, 3.0)), GateThresholds()).passed
