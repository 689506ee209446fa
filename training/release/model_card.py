"""The German model card of a ranker version (EU AI Act Art. 13: instructions for use)."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import jinja2

from training.ranking.labels import (
    FEATURE_LABELS,
    GROUP_LABELS,
    PLOT_LABELS,
    POLICY_LABELS,
    SOURCE_LABELS,
    gate_label,
    label,
)
from training.release.card_selection import selection_lines
from training.release.gates import GateReport
from training.text import gettext as _
from training.text import ngettext

#: How the stored card refers to its plots; resolved when the card is shown or downloaded.
PLOT_LINK = re.compile(r"\]\(plots/([a-z0-9_]{1,40})\.png\)")


def resolve_plot_links(card: str, url_for_plot: Callable[[str], str | None]) -> str:
    """Replace each ``plots/NAME.png`` link by ``url_for_plot(NAME)`` (kept when ``None``)."""

    def replace(match: re.Match[str]) -> str:
        url = url_for_plot(match.group(1))
        return match.group(0) if url is None else f"]({url})"

    return PLOT_LINK.sub(replace, card)


def embed_plots(card: str, plots: Mapping[str, str]) -> str:
    """The card with every plot as a ``data:`` URI, so the Markdown file stands alone."""
    return resolve_plot_links(
        card, lambda name: f"data:image/png;base64,{plots[name]}" if name in plots else None
    )


def key_figures(metrics: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``[(German label, formatted value)]`` of the headline figures a version recorded.

    Only figures with a German name are listed; a version without them shows none.
    """
    policies = metrics.get("policies") or {}
    comparison = metrics.get("comparison") or {}
    calibration = metrics.get("calibration") or {}
    no_rec = metrics.get("no_recommendation_share") or {}
    reference = metrics.get("reference")
    candidates: list[tuple[str, Any, Callable[[Any], str]]] = [
        (_("Datenquelle"), metrics.get("source"), lambda v: label(SOURCE_LABELS, str(v))),
        (_("Referenz"), reference, lambda v: label(POLICY_LABELS, str(v))),
        (
            _("Beschäftigungsquote nach 6 Monaten mit diesem Modell (DR)"),
            (policies.get("candidate") or {}).get("value"),
            lambda v: f"{_num(v)} %",
        ),
        (_("Differenz zur Referenz"), comparison.get("diff"), lambda v: f"{_pp(v)} pp"),
        (
            _("95%-KI der Differenz"),
            comparison.get("ci_low"),
            lambda v: _("%(pp)s bis %(pp2)s pp", pp=_pp(v), pp2=_pp(comparison.get("ci_high"))),
        ),
        (
            _("Geschätzter Effekt der Empfehlung"),
            metrics.get("estimated_gain_pp"),
            lambda v: f"{_pp(v)} pp",
        ),
        (
            _("Kalibrierungsfehler ohne Maßnahme"),
            calibration.get("p_without"),
            lambda v: _num(v, 3),
        ),
        (_("Kalibrierungsfehler mit Maßnahme"), calibration.get("p_with"), lambda v: _num(v, 3)),
        (_("Anteil ohne Empfehlung"), no_rec.get("candidate"), lambda v: f"{_num(100 * v)} %"),
        (_("Ausgewertete Personen"), metrics.get("n_eval"), _int),
        (_("Angebote in der Auswertung"), metrics.get("n_offers"), _int),
        (_("Zulässige Angebote je Person (Mittel)"), metrics.get("mean_eligible_offers"), _num),
        (
            _("Anteil Teilnahmen im Training"),
            metrics.get("share_treated_train"),
            lambda v: f"{_num(100 * v)} %",
        ),
    ]
    return [(name, show(value)) for name, value, show in candidates if value is not None]


def plot(name: str) -> str:
    return f"![{label(PLOT_LABELS, name)}](plots/{name}.png)"


def _pp(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:+.1f}".replace(".", ",")


def _int(value: int) -> str:
    return f"{int(value):,}".replace(",", ".")


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}".replace(".", ",")


@functools.cache
def _templates() -> jinja2.Environment:
    """The card's presentation: ``training/templates/model_card.md.j2``, texts via the catalogue.

    Markdown, not HTML, so nothing is escaped here: the web view renders the card with raw HTML
    shown as text.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("training", "templates"),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - Markdown, see above
    )
    env.install_gettext_callables(_, ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.filters.update(pp=_pp, num=_num, int_de=_int)
    env.globals.update(
        plot=plot, gate_label=gate_label, POLICY_LABELS=POLICY_LABELS, GROUP_LABELS=GROUP_LABELS
    )
    return env


def _source(metrics: dict[str, Any]) -> dict[str, Any] | None:
    source = metrics.get("data_source")
    if not source:
        return None
    first, last = source.get("first"), source.get("last")
    return {
        "label": source["label"],
        "n_episodes": source["n_episodes"],
        "n_synthetic": source.get("n_synthetic") or 0,
        "first": f"{datetime.fromisoformat(first):%d.%m.%Y}" if first and last else None,
        "last": f"{datetime.fromisoformat(last):%d.%m.%Y}" if first and last else None,
    }


def render_model_card(
    *,
    evaluation: dict[str, Any],
    gates: GateReport,
    metrics: dict[str, Any],
    window: tuple[datetime, datetime],
    n_train: int,
    n_test: int,
) -> str:
    importance = ", ".join(
        label(FEATURE_LABELS, name) for name in list(evaluation["feature_importance"])[:5]
    )
    return (
        _templates()
        .get_template("model_card.md.j2")
        .render(
            evaluation=evaluation,
            gates=gates,
            metrics=metrics,
            source=_source(metrics),
            window_start=f"{window[0]:%d.%m.%Y}",
            window_end=f"{window[1]:%d.%m.%Y}",
            cutoff=f"{datetime.fromisoformat(metrics['split_cutoff']):%d.%m.%Y}",
            n_train=n_train,
            n_test=n_test,
            selection=selection_lines(evaluation.get("selection"), evaluation),
            importance=importance,
        )
    )
