"""German names for what the gates, the model card and its plots show (one catalogue)."""

from __future__ import annotations

from models.columns import PROFILE
from training.text import gettext as _

GROUP_LABELS = {
    "youth": _("Jugendliche (<25)"),
    "not_youth": _("25 Jahre und älter"),
    "long_term_unemployed": _("Langzeitarbeitslose"),
    "not_long_term_unemployed": _("unter 12 Monate arbeitslos"),
    "women": _("Frauen"),
    "not_women": _("Männer/divers"),
    "migrants": _("Migrationsgeschichte"),
    "not_migrants": _("ohne Migrationsgeschichte"),
}

POLICY_LABELS = {
    "candidate": _("Dieses Modell"),
    "champion": _("Bisheriger Champion"),
    "rules": _("Regelranking (Rückfallebene)"),
    "predicted_success": _("Erfolgsprognose ohne Kausalkorrektur"),
    "no_measure": _("Keine Maßnahme"),
    "observed_practice": _("Beobachtete Praxis (tatsächliche Zuweisungen)"),
}

FEATURE_LABELS = {
    "age_band": _("Altersgruppe"),
    "gender": _("Geschlecht"),
    "citizenship": _("Staatsangehörigkeit"),
    "german_level": _("Deutschkenntnisse"),
    "school_certificate": _("Schulabschluss"),
    "vocational_qualification": _("Berufsabschluss"),
    "unemployment_months": _("Dauer der Arbeitslosigkeit"),
    "care_duties": _("Betreuungspflichten"),
    "hours_available": _("verfügbare Wochenstunden"),
    "district": _("Stadtbezirk"),
}

#: Feature groups of the effect model (``training.data.features.design_groups``), named as the main
#: drivers of an estimate, and the rules' suitability when the estimate rests on the rules.
DRIVER_LABELS = {
    "age": _("Alter"),
    "gender": _("Geschlecht"),
    "district": _("Wohnbezirk"),
    "citizenship": _("Staatsangehörigkeit"),
    "german": _("Deutschkenntnisse"),
    "school": _("Schulabschluss"),
    "vocational": _("Berufsabschluss"),
    "recognition": _("ausländischer Abschluss und seine Anerkennung"),
    "unemployment": _("Dauer der Arbeitslosigkeit"),
    "migration": _("Migrationsgeschichte"),
    "sgb2": _("Bezug von Bürgergeld (SGB II)"),
    "care": _("Betreuungspflichten und Familiensituation"),
    "hours": _("verfügbare Wochenstunden"),
    "driving_licence": _("Führerschein"),
    "health": _("gesundheitliche Einschränkungen"),
    "experience": _("frühere Berufstätigkeit"),
    "occupation_fit": _("Nähe zum Zielberuf"),
    "care_compatibility": _("Vereinbarkeit mit Betreuungspflichten"),
    "format": _("Lernform des Angebots"),
    "hours_fit": _("zeitlicher Umfang im Verhältnis zu den verfügbaren Stunden"),
    "occupation_area": _("Berufsfeld des Angebots"),
    "skill_level": _("Anforderungsniveau des Angebots"),
    "duration": _("Dauer des Angebots"),
    "offer_hours": _("Wochenstunden des Angebots"),
    "part_time": _("Teilzeit im Angebot möglich"),
    "childcare": _("Kinderbetreuung im Angebot"),
    "offer_german": "verlangte Deutschkenntnisse",
    "rules_suitability": _("Maßnahmeart passt nach den Regeln zur Lage der Person"),
}

CALIBRATION_LABELS = {
    "p_without": _("ohne Maßnahme"),
    "p_with": _("mit Maßnahme"),
}

PLOT_LABELS = {
    "calibration": _("Kalibrierung"),
    "qini": _("Uplift-/Qini-Kurve"),
    "groups": _("Geschätzter Nutzen je Fokusgruppe"),
    "feature_importance": _("Merkmalswichtigkeit"),
}

SOURCE_LABELS = {
    "db": _("Datenbank"),
    "synthetic": "synthetische Historie",
    "both": _("Datenbank und synthetische Historie"),
}

GATE_LABELS = {
    "policy_value": _("Politikwert gegenüber der Referenz"),
    "calibration_p_without": _("Kalibrierung ohne Maßnahme"),
    "calibration_p_with": _("Kalibrierung mit Maßnahme"),
    "no_recommendation_share": _("Anteil ohne Empfehlung"),
    "effect_calibration": _("Angezeigter Nutzen gegenüber dem Test"),
    "gates_missing": _("Prüfergebnis"),
}


def driver_label(group: str) -> str:
    """The German name of a feature group: from ``DRIVER_LABELS``, else, for a group named
    after a profile column, the column's ``title`` (a field added to the profile model with a
    ``title`` needs no entry here)."""
    if group in DRIVER_LABELS:
        return DRIVER_LABELS[group]
    column = PROFILE.get(group)
    return column.title if column is not None and column.title else group


def label(catalogue: dict[str, str], name: str) -> str:
    """The German name, or the key itself for something the catalogue does not know yet."""
    return catalogue.get(name, name)


def gate_label(name: str) -> str:
    """``group_women`` → "Fokusgruppe Frauen"; the fixed gates by their German name."""
    if name.startswith("group_"):
        return _("Fokusgruppe %(label)s", label=label(GROUP_LABELS, name.removeprefix("group_")))
    return label(GATE_LABELS, name)
