"""Model card section: which settings were chosen, on what evidence, and how well the displayed
effects agree with the held-out estimates."""

from __future__ import annotations

from typing import Any

from training.text import gettext as _


def _pp(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}".replace(".", ",")


def _setting(params: dict[str, Any]) -> str:
    if params.get("prior_only"):
        return _("nur Regel-Prior (Reihenfolge der Regeln, Effekte auf Wirkungsskala)")
    prior = _("mit Regel-Prior") if params.get("prior_shrinkage") else _("ohne Regel-Prior")
    risk = f"{params.get('risk_aversion', 0):.1f}".replace(".", ",")
    setting = f"{prior}, Risikoabschlag {risk} × Standardfehler"
    if params.get("dr_correction") == 0:
        return _("Regressionsanpassung (DR-Korrektur 0), %(setting)s", setting=setting)
    return setting


def selection_lines(selection: dict[str, Any] | None, evaluation: dict[str, Any]) -> list[str]:
    """Markdown lines for the selection of settings and the calibration of effects."""
    if not selection:
        return [_("Für diese Version wurden keine Einstellungen gewählt (feste Voreinstellungen).")]
    lines = [
        _(
            "Die Einstellungen wurden nur auf den Trainingspersonen gewählt: zwei Hälften, je "
            "auf einer Hälfte angepasst und auf der anderen mit dem doppelt robusten "
            "Politikwert bewertet (%(n_validation)s Validierungsepisoden). Gewählt: "
            "**%(setting)s**.",
            n_validation=selection["n_validation"],
            setting=_setting(selection["chosen"]),
        ),
        "",
        _(
            "Eine weniger vorsichtige Einstellung als die erste wird nur gewählt, wenn ihr Gewinn "
            "gegenüber der ersten über das Rauschen hinausgeht (einseitig, 5 % über alle "
            "Alternativen zusammen)."
        ),
        "",
        _(
            "| Einstellung | Politikwert (%) | SE (pp) | gegenüber Regeln (pp) "
            "| gegenüber der ersten (pp) | SE (pp) |"
        ),
        "|---|---|---|---|---|---|",
    ]
    for c in selection["candidates"]:
        mark = _(" (gewählt)") if c["params"] == selection["chosen"] else ""
        vs_first, vs_first_se = c.get("vs_first_pp"), c.get("vs_first_se_pp")
        first_se = "–" if vs_first_se is None else f"{vs_first_se:.1f}"
        lines.append(
            f"| {_setting(c['params'])}{mark} | {c['value_pp']:.1f} | {c['se_pp']:.1f} | "
            f"{_pp(c['vs_rules_pp'])} | {_pp(vs_first)} | {first_se} |".replace(".", ",")
        )
    calibration = selection.get("calibration") or {}
    lines += [
        "",
        _(
            "Kalibrierung der angezeigten Effekte auf den Validierungshälften: Steigung der "
            "DR-Gewinne auf die vorhergesagten Gewinne der gewählten Angebote %(pp)s (nur "
            "berichtet, nicht angewandt: die angezeigten Effekte prüft das Gate „Angezeigter "
            "Nutzen gegenüber dem Test“).",
            pp=_pp(calibration.get("slope")),
        ),
    ]
    if "dr_gain_vs_no_measure" in evaluation:
        dr_gain = evaluation["dr_gain_vs_no_measure"]["diff"]
        lines.append(
            _(
                "Im Test: vorhergesagter mittlerer Gewinn der ersten Empfehlung %(pp)s pp, "
                "DR-Schätzung %(pp2)s pp.",
                pp=_pp(evaluation.get("estimated_gain_pp")),
                pp2=_pp(dr_gain),
            )
        )
    return lines
