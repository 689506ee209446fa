"""The German model card of a ranker version (EU AI Act Art. 13: instructions for use)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from training.card_selection import selection_lines
from training.gates import GateReport
from training.labels import (
    FEATURE_LABELS,
    GROUP_LABELS,
    PLOT_LABELS,
    POLICY_LABELS,
    SOURCE_LABELS,
    gate_label,
    label,
)
from training.text import gettext as _

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
        ("Datenquelle", metrics.get("source"), lambda v: label(SOURCE_LABELS, str(v))),
        ("Referenz", reference, lambda v: label(POLICY_LABELS, str(v))),
        (
            _("Beschäftigungsquote nach 6 Monaten mit diesem Modell (DR)"),
            (policies.get("candidate") or {}).get("value"),
            lambda v: f"{_num(v)} %",
        ),
        (_("Differenz zur Referenz"), comparison.get("diff"), lambda v: f"{_pp(v)} pp"),
        (
            _("95%-KI der Differenz"),
            comparison.get("ci_low"),
            lambda v: f"{_pp(v)} bis {_pp(comparison.get('ci_high'))} pp",
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
        ("Ausgewertete Personen", metrics.get("n_eval"), _int),
        (_("Angebote in der Auswertung"), metrics.get("n_offers"), _int),
        (_("Zulässige Angebote je Person (Mittel)"), metrics.get("mean_eligible_offers"), _num),
        (
            "Anteil Teilnahmen im Training",
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


def _policy_table(evaluation: dict[str, Any]) -> list[str]:
    lines = [
        _("| Strategie | Beschäftigungsquote nach 6 Monaten (DR) | 95%-KI | ohne Empfehlung |"),
        "|---|---|---|---|",
    ]
    for name, policy in evaluation["policies"].items():
        share = policy.get("no_recommendation_share")
        lines.append(
            f"| {POLICY_LABELS.get(name, name)} | {_num(policy['value'])} % | "
            f"{_num(policy['ci_low'])} – {_num(policy['ci_high'])} % | "
            f"{'–' if share is None else _num(100 * share) + ' %'} |"
        )
    return lines


def _group_table(evaluation: dict[str, Any]) -> list[str]:
    reference = POLICY_LABELS.get(evaluation["reference"], evaluation["reference"])
    lines = [
        _(
            "| Gruppe | n | Zugewinn ggü. keiner Maßnahme (pp) | Differenz zu %(reference)s "
            "(pp) | geschätzter Effekt der Empfehlung (pp) | Empfehlungsquote |",
            reference=reference,
        ),
        "|---|---|---|---|---|---|",
    ]
    for name, group in evaluation["groups"].items():
        n = group["n"]
        if n < 5:
            lines.append(f"| {GROUP_LABELS.get(name, name)} | <5 | – | – | – | – |")
            continue
        gain, diff = group["dr_gain_vs_no_measure"], group["comparison"]
        lines.append(
            f"| {GROUP_LABELS.get(name, name)} | {n} | {_pp(gain['diff'])} "
            f"[{_pp(gain['ci_low'])}; {_pp(gain['ci_high'])}] | {_pp(diff['diff'])} "
            f"[{_pp(diff['ci_low'])}; {_pp(diff['ci_high'])}] | {_pp(group['estimated_gain_pp'])} "
            f"| {_num(100 * group['recommendation_rate'])} % |"
        )
    return lines


def _gate_lines(gates: GateReport) -> list[str]:
    lines = [
        f"**Ergebnis: {'bestanden' if gates.passed else 'NICHT bestanden'}** "
        f"(Referenz: {POLICY_LABELS.get(gates.reference, gates.reference)})",
        "",
    ]
    for result in gates.results:
        lines.append(
            f"- {'✔' if result.passed else '✘'} {gate_label(result.name)}: {result.message}"
        )
    return lines


def _source_lines(metrics: dict[str, Any]) -> list[str]:
    source = metrics.get("data_source")
    if not source:
        return []
    first, last = source.get("first"), source.get("last")
    span = (
        f", {datetime.fromisoformat(first):%d.%m.%Y} bis {datetime.fromisoformat(last):%d.%m.%Y}"
        if first and last
        else ""
    )
    synthetic = source.get("n_synthetic") or 0
    note = f", davon {synthetic} synthetisch (Demo)" if synthetic else ""
    return [f"- Herkunft: {source['label']} – {source['n_episodes']} Episoden{span}{note}"]


def render_model_card(
    *,
    evaluation: dict[str, Any],
    gates: GateReport,
    metrics: dict[str, Any],
    window: tuple[datetime, datetime],
    n_train: int,
    n_test: int,
) -> str:
    calibration = evaluation["calibration"]
    importance = ", ".join(
        label(FEATURE_LABELS, name) for name in list(evaluation["feature_importance"])[:5]
    )
    lines = [
        _("# Modellkarte: Wirkungsranking für Qualifizierungsangebote"),
        "",
        _("## Zweck und Einsatzgrenzen"),
        "",
        _(
            "Das Modell schätzt für eine arbeitsuchende Person und ein Qualifizierungsangebot, wie "
            "stark die Teilnahme die Wahrscheinlichkeit erhöht, sechs Monate später "
            "sozialversicherungspflichtig beschäftigt zu sein (individueller Maßnahmeeffekt). Es "
            "sortiert zulässige Angebote danach. Es bewertet **nicht** die Beschäftigungsfähigkeit "
            "einer Person und darf nicht zur Leistungskürzung, Sanktion oder zum Ausschluss von "
            "Förderung verwendet werden."
        ),
        "",
        _(
            "- Nutzung nur als Vorschlag für Fachkräfte der Arbeitsvermittlung; die Entscheidung "
            "trifft immer der Mensch (Abweichungen werden mit Grund dokumentiert)."
        ),
        _(
            "- Gilt für die Stadt Krefeld und die Angebotsarten, die in den Trainingsdaten "
            "vorkommen; für neue Maßnahmearten ohne Historie ist die Schätzung unsicher."
        ),
        _("- Effekte sind Durchschnittsschätzungen mit Unsicherheitsintervall, keine Garantie."),
        "",
        "## Trainingsdaten",
        "",
        *_source_lines(metrics),
        f"- Zeitraum: {window[0]:%d.%m.%Y} bis {window[1]:%d.%m.%Y} "
        f"(Test ab {datetime.fromisoformat(metrics['split_cutoff']):%d.%m.%Y})",
        _(
            "- Umfang: %(int)s Trainings- und %(int2)s Testepisoden; ausgewertet wurden "
            "%(int3)s Personen gegen %(int4)s Angebote.",
            int=_int(n_train),
            int2=_int(n_test),
            int3=_int(evaluation["n_eval"]),
            int4=_int(evaluation["n_offers"]),
        ),
        _(
            "- Aufteilung nach Zeit: trainiert auf der Vergangenheit, getestet auf den jüngsten "
            "Episoden; keine Person kommt in Training und Test vor."
        ),
        f"- Anteil Teilnahmen im Training: {_num(100 * metrics['share_treated_train'])} %",
        "",
        "## Gesamtergebnis",
        "",
        _(
            "Politikwerte sind doppelt robust (DR) aus beobachteten Ergebnissen geschätzt: "
            "Ergebnismodell plus inverse Zuweisungswahrscheinlichkeit, beides nur auf "
            "Trainingsdaten angepasst."
        ),
        "",
        *_policy_table(evaluation),
        "",
        _(
            "Differenz zur Referenz: %(pp)s pp (95%%-KI %(pp2)s bis %(pp3)s pp).",
            pp=_pp(evaluation["comparison"]["diff"]),
            pp2=_pp(evaluation["comparison"]["ci_low"]),
            pp3=_pp(evaluation["comparison"]["ci_high"]),
        ),
        "",
        _(
            "Kalibrierungsfehler (ECE): ohne Maßnahme %(num)s, mit Maßnahme %(num2)s.",
            num=_num(calibration["p_without"], 3),
            num2=_num(calibration["p_with"], 3),
        ),
        "",
        f"{plot('calibration')} {plot('qini')}",
        "",
        _("## Wahl der Einstellungen und Kalibrierung"),
        "",
        *selection_lines(evaluation.get("selection"), evaluation),
        "",
        "## Fokusgruppen",
        "",
        _("Jede Gruppe und ihr Komplement; Zellen mit weniger als 5 Personen werden unterdrückt."),
        "",
        *_group_table(evaluation),
        "",
        plot("groups"),
        "",
        _("## Freigabe-Gates"),
        "",
        *_gate_lines(gates),
        "",
        "## Wichtigste Merkmale",
        "",
        _("Am stärksten hängt die Empfehlung ab von: %(importance)s.", importance=importance),
        "",
        plot("feature_importance"),
        "",
        _("## Bekannte Schwächen"),
        "",
        _(
            "- Die Zuweisung in den historischen Daten ist nicht zufällig (Creaming, Steuerung von "
            "Frauen und Zugewanderten in bestimmte Maßnahmen). Das Modell korrigiert dafür über "
            "Zuweisungswahrscheinlichkeiten; unbeobachtete Einflüsse (Motivation, Gesundheit im "
            "Detail) kann es nicht korrigieren."
        ),
        _(
            "- Für selten zugewiesene Kombinationen (z. B. Umschulung für über 55-Jährige) ist die "
            "Schätzung unsicher; das Intervall ist dann breit."
        ),
        _(
            "- Ergebnis ist Beschäftigung nach 6 Monaten: Maßnahmen mit langem Lock-in "
            "(Umschulung, Sprachkurse) wirken erst später und werden eher unterschätzt."
        ),
        _(
            "- Veränderungen der Bevölkerung oder des Angebots (Drift) mindern die Güte; sie "
            "werden "
            "über den PSI je Merkmal überwacht (`/api/v1/stats/fairness`)."
        ),
        "",
        _("## Hinweise nach EU-KI-Verordnung"),
        "",
        _(
            "- Hochrisiko-System nach Anhang III (Zugang zu Beschäftigung und öffentlichen "
            "Leistungen)."
        ),
        _(
            "- Protokollierung: jede Empfehlung wird mit Eingaben, Version und Scores mindestens "
            "6 Monate gespeichert (Art. 12)."
        ),
        _(
            "- Transparenz: diese Modellkarte und die Begründungen je Empfehlung (Art. 13, Art. "
            "86)."
        ),
        _(
            "- Menschliche Aufsicht: Fachkräfte können abweichen; die Administration kann "
            "jederzeit "
            "auf das Regelranking umschalten (Not-Aus) oder auf die vorherige Version zurückrollen "
            "(Art. 14)."
        ),
        _(
            "- Genauigkeit und Robustheit: Kennzahlen oben, Freigabe nur nach bestandenen Gates "
            "(Art. 15); Gruppenvergleiche als Bias-Prüfung (Art. 10)."
        ),
        "",
    ]
    return "\n".join(lines)
