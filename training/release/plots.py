"""Model-card plots rendered server-side (matplotlib, Agg backend) as base64 PNG strings."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from training.ranking.labels import (
    CALIBRATION_LABELS,
    FEATURE_LABELS,
    GROUP_LABELS,
    PLOT_LABELS,
    POLICY_LABELS,
    label,
)
from training.text import gettext


def _png(
    draw: Callable[[Axes, dict[str, Any]], None],
    evaluation: dict[str, Any],
    *,
    width: float = 6.0,
    height: float = 4.0,
) -> str:
    fig, ax = plt.subplots(figsize=(width, height), dpi=90)
    try:
        draw(ax, evaluation)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _calibration(ax: Axes, evaluation: dict[str, Any]) -> None:
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label=gettext("ideal kalibriert"))
    for model, detail in evaluation["calibration_detail"].items():
        for key, style in (("curve_p_without", "o-"), ("curve_p_with", "s--")):
            curve = detail[key]
            if curve:
                ax.plot(
                    [c["predicted"] for c in curve],
                    [c["observed"] for c in curve],
                    style,
                    label=f"{label(POLICY_LABELS, model)}: "
                    f"{label(CALIBRATION_LABELS, key.removeprefix('curve_'))}",
                )
    ax.set_xlabel(gettext("vorhergesagte Beschäftigungswahrscheinlichkeit"))
    ax.set_ylabel("beobachtete Quote")
    ax.set_title(f"{PLOT_LABELS['calibration']} (Testdaten)")
    ax.legend(fontsize=7)


def _qini(ax: Axes, evaluation: dict[str, Any]) -> None:
    for model, points in evaluation["qini"].items():
        ax.plot(
            [100 * q for q, _ in points],
            [g for _, g in points],
            label=label(POLICY_LABELS, model),
        )
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel(gettext("Anteil Personen mit Empfehlung (nach geschätztem Nutzen sortiert), %"))
    ax.set_ylabel(gettext("kumulierter Zugewinn (DR), pp"))
    ax.set_title(PLOT_LABELS["qini"])
    ax.legend(fontsize=8)


def _groups(ax: Axes, evaluation: dict[str, Any]) -> None:
    names = list(evaluation["groups"])
    gains = [evaluation["groups"][n]["dr_gain_vs_no_measure"]["diff"] for n in names]
    diffs = [evaluation["groups"][n]["comparison"]["diff"] for n in names]
    ypos = range(len(names))
    ax.barh(
        [y + 0.2 for y in ypos],
        gains,
        height=0.4,
        label=gettext("Zugewinn ggü. keiner Maßnahme"),
    )
    ax.barh(
        [y - 0.2 for y in ypos],
        diffs,
        height=0.4,
        label=gettext(
            "Differenz zu %(label)s", label=label(POLICY_LABELS, evaluation["reference"])
        ),
    )
    ax.set_yticks(list(ypos), [GROUP_LABELS.get(n, n) for n in names], fontsize=8)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_xlabel(gettext("Prozentpunkte (doppelt robust geschätzt)"))
    ax.set_title(PLOT_LABELS["groups"])
    ax.legend(fontsize=7)


def _importance(ax: Axes, evaluation: dict[str, Any]) -> None:
    items = list(evaluation["feature_importance"].items())[::-1]
    ax.barh([label(FEATURE_LABELS, k) for k, _ in items], [v for _, v in items])
    ax.set_xlabel(gettext("mittlere Änderung des besten Effekts bei Permutation, pp"))
    ax.set_title(f"{PLOT_LABELS['feature_importance']} (Permutation)")


def render_plots(evaluation: dict[str, Any]) -> dict[str, str]:
    """``{name: base64 PNG}`` for calibration, qini, groups and feature_importance."""
    return {
        "calibration": _png(_calibration, evaluation),
        "qini": _png(_qini, evaluation),
        "groups": _png(_groups, evaluation, height=4.5),
        "feature_importance": _png(_importance, evaluation),
    }
