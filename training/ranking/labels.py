"""German names for what the gates, the model card and its plots show (one catalogue)."""

from __future__ import annotations

GROUP_LABELS = {
    "youth": "Jugendliche (<25)",
    "not_youth": "25 Jahre und älter",
    "long_term_unemployed": "Langzeitarbeitslose",
    "not_long_term_unemployed": "unter 12 Monate arbeitslos",
    "women": "Frauen",
    "not_women": "Männer/divers",
    "migrants": "Migrationsgeschichte",
    "not_migrants": "ohne Migrationsgeschichte",
}

POLICY_LABELS = {
    "candidate": "Dieses Modell",
    "champion": "Bisheriger Champion",
    "rules": "Regelranking (Rückfallebene)",
    "predicted_success": "Erfolgsprognose ohne Kausalkorrektur",
    "no_measure": "Keine Maßnahme",
    "observed_practice": "Beobachtete Praxis (tatsächliche Zuweisungen)",
}

FEATURE_LABELS = {
    "age_band": "Altersgruppe",
    "gender": "Geschlecht",
    "citizenship": "Staatsangehörigkeit",
    "german_level": "Deutschkenntnisse",
    "school_certificate": "Schulabschluss",
    "vocational_qualification": "Berufsabschluss",
    "unemployment_months": "Dauer der Arbeitslosigkeit",
    "care_duties": "Betreuungspflichten",
    "hours_available": "verfügbare Wochenstunden",
    "district": "Stadtbezirk",
}

#: Feature groups of the effect model (``training.data.features.design_groups``), named as the main
#: drivers of an estimate, and the rules' suitability when the estimate rests on the rules.
DRIVER_LABELS = {
    "age": "Alter",
    "gender": "Geschlecht",
    "district": "Wohnbezirk",
    "citizenship": "Staatsangehörigkeit",
    "german": "Deutschkenntnisse",
    "school": "Schulabschluss",
    "vocational": "Berufsabschluss",
    "recognition": "ausländischer Abschluss und seine Anerkennung",
    "unemployment": "Dauer der Arbeitslosigkeit",
    "migration": "Migrationsgeschichte",
    "sgb2": "Bezug von Bürgergeld (SGB II)",
    "care": "Betreuungspflichten und Familiensituation",
    "hours": "verfügbare Wochenstunden",
    "driving_licence": "Führerschein",
    "health": "gesundheitliche Einschränkungen",
    "experience": "frühere Berufstätigkeit",
    "occupation_fit": "Nähe zum Zielberuf",
    "care_compatibility": "Vereinbarkeit mit Betreuungspflichten",
    "format": "Lernform des Angebots",
    "hours_fit": "zeitlicher Umfang im Verhältnis zu den verfügbaren Stunden",
    "occupation_area": "Berufsfeld des Angebots",
    "skill_level": "Anforderungsniveau des Angebots",
    "duration": "Dauer des Angebots",
    "offer_hours": "Wochenstunden des Angebots",
    "part_time": "Teilzeit im Angebot möglich",
    "childcare": "Kinderbetreuung im Angebot",
    "offer_german": "verlangte Deutschkenntnisse",
    "rules_suitability": "Maßnahmeart passt nach den Regeln zur Lage der Person",
}

CALIBRATION_LABELS = {
    "p_without": "ohne Maßnahme",
    "p_with": "mit Maßnahme",
}

PLOT_LABELS = {
    "calibration": "Kalibrierung",
    "qini": "Uplift-/Qini-Kurve",
    "groups": "Geschätzter Nutzen je Fokusgruppe",
    "feature_importance": "Merkmalswichtigkeit",
}

SOURCE_LABELS = {
    "db": "Datenbank",
    "synthetic": "synthetische Historie",
    "both": "Datenbank und synthetische Historie",
}

GATE_LABELS = {
    "policy_value": "Politikwert gegenüber der Referenz",
    "calibration_p_without": "Kalibrierung ohne Maßnahme",
    "calibration_p_with": "Kalibrierung mit Maßnahme",
    "no_recommendation_share": "Anteil ohne Empfehlung",
    "effect_calibration": "Angezeigter Nutzen gegenüber dem Test",
    "gates_missing": "Prüfergebnis",
}


def label(catalogue: dict[str, str], name: str) -> str:
    """The German name, or the key itself for something the catalogue does not know yet."""
    return catalogue.get(name, name)


def gate_label(name: str) -> str:
    """``group_women`` → "Fokusgruppe Frauen"; the fixed gates by their German name."""
    if name.startswith("group_"):
        return f"Fokusgruppe {label(GROUP_LABELS, name.removeprefix('group_'))}"
    return label(GATE_LABELS, name)
