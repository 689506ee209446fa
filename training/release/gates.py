"""Go/no-go gates a candidate must pass before it may become champion.

The candidate is compared with the *reference*: the champion, or — before the first model — the
rules ranker that serves in its absence. Differences are paired (same held-out people).
Overall policy value is a non-inferiority test: the lower end of the 95% interval of
(candidate − reference) must stay above −tolerance. A focus group fails when it is worse beyond
noise: a loss larger than its tolerance whose 95% interval excludes zero. Defaults are
documented in docs/retraining.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from training.ranking.labels import CALIBRATION_LABELS, GROUP_LABELS, label
from training.text import gettext as _

ENV_PREFIX = "RETRAIN_GATE_"


@dataclass(frozen=True, slots=True)
class GateThresholds:
    #: Lower 95% bound of (candidate − reference) policy value must exceed −this (pp).
    policy_value_tolerance_pp: float = 2.0
    #: Expected calibration error of p_without and of p_with (fraction, 0.05 = 5 pp).
    max_calibration_error: float = 0.05
    #: Per focus group (and complement): tolerated loss in pp versus the reference.
    group_tolerance_pp: float = 2.0
    #: Groups smaller than this in the test data are reported but not gated.
    min_group_size: int = 50
    #: Share of people without any recommended offer may rise at most this many pp.
    max_no_recommendation_increase_pp: float = 10.0
    #: Mean predicted gain of the first recommendations versus its held-out DR estimate:
    #: refused when the data exclude every true gain within this relative error.
    max_effect_calibration_error: float = 0.25

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> GateThresholds:
        """Read ``RETRAIN_GATE_<FIELD>`` variables (e.g. RETRAIN_GATE_GROUP_TOLERANCE_PP)."""
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            raw = values.get(ENV_PREFIX + f.name.upper())
            if raw in (None, ""):
                continue
            try:
                kwargs[f.name] = int(raw) if f.type == "int" else float(raw)
            except ValueError:
                raise ValueError(
                    _(
                        "%(env_prefix)s%(name)s ist keine Zahl.",
                        env_prefix=ENV_PREFIX,
                        name=f.name.upper(),
                    )
                ) from None
        return cls(**kwargs)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class GateResult:
    name: str
    passed: bool
    value: float | None
    threshold: float
    message: str


@dataclass(frozen=True, slots=True)
class GateReport:
    passed: bool
    reference: str
    results: tuple[GateResult, ...]

    @property
    def failures(self) -> tuple[GateResult, ...]:
        return tuple(r for r in self.results if not r.passed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "reference": self.reference,
            "results": [asdict(r) for r in self.results],
        }

    def summary(self) -> str:
        if self.passed:
            return _("Alle Gates bestanden.")
        return "; ".join(r.message for r in self.failures)


def evaluate_gates(evaluation: Mapping[str, Any], thresholds: GateThresholds) -> GateReport:
    """Apply every gate to an evaluation (see ``training.release.retrain.evaluate``; values in pp).

    Expected keys: ``reference`` (name), ``comparison`` ({diff, ci_low, ci_high} candidate −
    reference, pp), ``calibration`` ({p_without, p_with} of the candidate, fractions),
    ``groups`` ({name: {n, comparison}}), ``no_recommendation_share`` ({candidate, reference}),
    ``estimated_gain_pp`` and ``dr_gain_vs_no_measure`` ({diff, ci_low, ci_high}) of the
    candidate's first recommendations.
    """
    results = [
        _policy_value_gate(evaluation["comparison"], thresholds),
        *_calibration_gates(evaluation["calibration"], thresholds),
        _effect_calibration_gate(
            evaluation["estimated_gain_pp"], evaluation["dr_gain_vs_no_measure"], thresholds
        ),
        *_group_gates(evaluation["groups"], thresholds),
        _no_recommendation_gate(evaluation["no_recommendation_share"], thresholds),
    ]
    return GateReport(
        passed=all(r.passed for r in results),
        reference=str(evaluation.get("reference", "champion")),
        results=tuple(results),
    )


def _policy_value_gate(comparison: Mapping[str, float], t: GateThresholds) -> GateResult:
    lower = comparison["ci_low"]
    passed = lower > -t.policy_value_tolerance_pp
    return GateResult(
        "policy_value",
        passed,
        lower,
        -t.policy_value_tolerance_pp,
        _(
            "Politikwert: Kandidat %(pp)s pp gegenüber der Referenz (untere 95%%-Grenze %(pp2)s "
            "pp, verlangt > %(pp3)s pp)",
            pp=_pp(comparison["diff"]),
            pp2=_pp(lower),
            pp3=_pp(-t.policy_value_tolerance_pp),
        ),
    )


def _calibration_gates(calibration: Mapping[str, float], t: GateThresholds) -> list[GateResult]:
    results = []
    for key in ("p_without", "p_with"):
        value = calibration.get(key)
        passed = value is None or math.isnan(value) or value <= t.max_calibration_error
        results.append(
            GateResult(
                f"calibration_{key}",
                passed,
                value,
                t.max_calibration_error,
                _(
                    "Kalibrierungsfehler %(label)s: %(fmt)s (Grenze %(fmt2)s)",
                    label=label(CALIBRATION_LABELS, key),
                    fmt=_fmt(value),
                    fmt2=_fmt(t.max_calibration_error),
                ),
            )
        )
    return results


def _effect_calibration_gate(
    predicted_pp: float, dr: Mapping[str, float], t: GateThresholds
) -> GateResult:
    """Predicted gain p is within ±e of a true gain g when g lies in [p/(1+e), p/(1−e)]; the
    gate fails only when the 95% interval of the DR estimate misses that band entirely."""
    predicted = float(predicted_pp)
    e = t.max_effect_calibration_error
    if predicted <= 0.0 or math.isnan(dr["diff"]):
        passed, ratio = True, None
    else:
        band = (predicted / (1.0 + e), predicted / (1.0 - e) if e < 1.0 else math.inf)
        passed = dr["ci_high"] >= band[0] and dr["ci_low"] <= band[1]
        ratio = predicted / dr["diff"] if dr["diff"] > 0 else None
    return GateResult(
        "effect_calibration",
        passed,
        ratio,
        e,
        _(
            "Angezeigter Nutzen: vorhergesagt %(pp)s pp, Test-DR-Schätzung %(pp2)s pp (95%%-KI "
            "%(pp3)s bis %(pp4)s pp, erlaubt ±%(num)s %%)",
            pp=_pp(predicted),
            pp2=_pp(dr["diff"]),
            pp3=_pp(dr["ci_low"]),
            pp4=_pp(dr["ci_high"]),
            num=_num(100 * e, 0),
        ),
    )


def _group_gates(groups: Mapping[str, Mapping[str, Any]], t: GateThresholds) -> list[GateResult]:
    results = []
    for name, group in groups.items():
        comparison = group["comparison"]
        diff, upper = comparison["diff"], comparison["ci_high"]
        gated = group["n"] >= t.min_group_size and not math.isnan(diff)
        worse = diff < -t.group_tolerance_pp and upper < 0.0
        passed = (not gated) or not worse
        note = (
            ""
            if gated
            else _(
                " (nicht geprüft: %(n)s Personen < %(min_group_size)s)",
                n=group["n"],
                min_group_size=t.min_group_size,
            )
        )
        results.append(
            GateResult(
                f"group_{name}",
                passed,
                diff,
                -t.group_tolerance_pp,
                _(
                    "Fokusgruppe %(label)s: Kandidat %(pp)s pp gegenüber der Referenz (95%%-KI "
                    "bis %(pp2)s pp, Grenze %(pp3)s pp)%(note)s",
                    label=label(GROUP_LABELS, name),
                    pp=_pp(diff),
                    pp2=_pp(upper),
                    pp3=_pp(-t.group_tolerance_pp),
                    note=note,
                ),
            )
        )
    return results


def _no_recommendation_gate(shares: Mapping[str, float], t: GateThresholds) -> GateResult:
    increase = 100.0 * (shares["candidate"] - shares["reference"])
    passed = increase <= t.max_no_recommendation_increase_pp
    return GateResult(
        "no_recommendation_share",
        passed,
        increase,
        t.max_no_recommendation_increase_pp,
        _(
            "Anteil ohne Empfehlung: %(num)s %% statt %(num2)s %% (%(pp)s pp, Grenze %(pp2)s pp)",
            num=_num(100 * shares["candidate"]),
            num2=_num(100 * shares["reference"]),
            pp=_pp(increase, 1),
            pp2=_pp(t.max_no_recommendation_increase_pp, 1),
        ),
    )


def _fmt(value: float | None) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.3f}".replace(".", ",")


def _num(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _pp(value: float, digits: int = 2) -> str:
    """Signed, German decimal comma, a real minus sign: ``−1,25``."""
    if math.isnan(value):
        return "–"
    return f"{value:+.{digits}f}".replace(".", ",").replace("-", "−")
