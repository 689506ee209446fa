"""German wording of the web interface in one place: field labels, help texts and enum values.

Templates and forms look names up here, so a wording change is one edit and every page agrees.
"""

from __future__ import annotations

from enum import StrEnum

from models.columns import OFFER, PROFILE
from models.enums import (
    AgeBand,
    BenefitRegime,
    Citizenship,
    DecisionAction,
    DecisionCorrectionReason,
    DecisionReason,
    District,
    FocusGroup,
    Funding,
    Gender,
    GermanLevel,
    MeasureType,
    OfferFormat,
    OfferStatus,
    OutcomeStatus,
    ProviderKind,
    RecognitionStatus,
    Role,
    SchoolCertificate,
    VocationalQualification,
)

# Field name → (label, help text). Help texts say what to enter and why it matters.
FIELDS: dict[str, tuple[str, str]] = {
    "client_number": (
        "Kundennummer",
        "Wird nur verschlüsselt (als Pseudonym) gespeichert und nie angezeigt.",
    ),
    "age_band": ("Altersgruppe", "Nur die Altersspanne, kein Geburtsdatum."),
    "gender": ("Geschlecht", "Wie im Fachverfahren erfasst."),
    "district": ("Stadtbezirk", "Wohnort in Krefeld; bestimmt Wege zu Angeboten."),
    "citizenship": ("Staatsangehörigkeit", "Nur die Gruppe, kein Land."),
    "migration_background": ("Migrationshintergrund", "Für die Auswertung nach Zielgruppen."),
    "german_level": ("Deutschkenntnisse (GER)", "A0 = keine Kenntnisse, C2 = muttersprachlich."),
    "school_certificate": ("Schulabschluss", "Höchster erreichter Abschluss."),
    "vocational_qualification": ("Berufsabschluss", "Höchste berufliche Qualifikation."),
    "foreign_qualification": ("Ausländischer Abschluss", "Ein im Ausland erworbener Abschluss."),
    "recognition_status": ("Stand der Anerkennung", "Nur bei ausländischem Abschluss."),
    "unemployment_months": (
        "Dauer der Arbeitslosigkeit (Monate)",
        "Ab 12 Monaten gilt die Person als langzeitarbeitslos.",
    ),
    "benefit_regime": ("Rechtskreis", "SGB II (Jobcenter) oder SGB III (Agentur für Arbeit)."),
    "care_duties": ("Betreuungs- oder Pflegeaufgaben", "Kinder oder pflegebedürftige Angehörige."),
    "single_parent": ("Alleinerziehend", ""),
    "hours_available": ("Verfügbare Wochenstunden", "0 bis 60 Stunden pro Woche."),
    "driving_licence": ("Führerschein Klasse B", ""),
    "max_commute_minutes": ("Maximaler Fahrweg (Minuten)", "Einfache Strecke, 0 bis 180."),
    "health_restriction": (
        "Gesundheitliche Einschränkung",
        "Nur ja/nein – keine Diagnose eintragen.",
    ),
    "last_occupation": ("Zuletzt ausgeübter Beruf", "Berufsbezeichnung eingeben und auswählen."),
    "target_occupations": (
        "Zielberufe",
        "Bis zu fünf Berufe; Bezeichnung eingeben und aus der Liste wählen.",
    ),
    "version": ("Version", ""),
    # offers
    "external_ref": (
        "Eigene Angebotsnummer",
        "Ihre eigene Nummer, z. B. aus der Kursverwaltung; eindeutig je Träger.",
    ),
    "title": ("Titel", "Kurz und aussagekräftig, 3 bis 200 Zeichen."),
    "description": ("Beschreibung", "Inhalte, Ablauf, Voraussetzungen."),
    "measure_type": ("Art der Maßnahme", "Förderinstrument laut Katalog."),
    "offer_occupations": ("Zielberufe (KldB)", "Fünfstellige KldB-Codes, durch Komma getrennt."),
    "certificate": ("Abschluss / Zertifikat", "z. B. IHK-Teilqualifikation, Zertifikat B2."),
    "funding": ("Finanzierung", "Mehrfachauswahl möglich."),
    "format": ("Durchführungsform", ""),
    "hours_per_week": ("Stunden pro Woche", "1 bis 50."),
    "part_time_possible": ("Teilzeit möglich", ""),
    "childcare": ("Kinderbetreuung angeboten", ""),
    "language": ("Unterrichtssprache", "Sprachcode, z. B. de, en, ar."),
    "min_german_level": (
        "Mindestniveau Deutsch",
        "Niedrigstes Niveau, mit dem man teilnehmen kann.",
    ),
    "duration_weeks": ("Dauer (Wochen)", "1 bis 260."),
    "start_dates": ("Starttermine", "Datum als TT.MM.JJJJ, mehrere durch Komma getrennt."),
    "end_date": ("Enddatum", "Optional, TT.MM.JJJJ."),
    "seats_total": ("Plätze gesamt", ""),
    "seats_free": ("Freie Plätze", "Nicht mehr als Plätze gesamt."),
    "offer_district": ("Stadtbezirk des Angebots", ""),
    "target_groups": ("Zielgruppen", "Mehrfachauswahl möglich."),
    "cost_eur": ("Kosten (Euro)", "Optional; Gesamtkosten je Teilnahme."),
    "venue_street": ("Kursort: Straße und Hausnummer", "Leer lassen, wenn an Ihrer Adresse."),
    "venue_postcode": ("Kursort: Postleitzahl", "Fünfstellig, z. B. 47798."),
    "venue_city": ("Kursort: Ort", "z. B. Krefeld."),
    "registration_url": ("Anmeldung (Link)", "Optional; beginnt mit https://."),
    "registration_deadline": ("Anmeldeschluss", "Optional, TT.MM.JJJJ."),
    "azav_measure_number": (
        "AZAV-Maßnahmenummer",
        "Nummer der Maßnahmezulassung (für Bildungsgutschein und AVGS).",
    ),
    "funding_note": (
        "Hinweise zur Förderung",
        "z. B. „Bildungsgutschein der Agentur für Arbeit, AZAV-zertifiziert“.",
    ),
    # sign-in
    "username": ("Benutzername", ""),
    "password": ("Passwort", ""),
    "totp_code": ("Einmalcode", "Sechsstelliger Code aus Ihrer Authenticator-App."),
    "reason_code": ("Begründung", "Pflichtangabe, wird protokolliert."),
    "reason": ("Begründung", "Wird dem Träger angezeigt."),
    "provider_kind": ("Art des Trägers", ""),
    "role": ("Rolle", "Bestimmt, welche Seiten und Daten die Person sieht."),
    "status": ("Stand der Maßnahme", "Was ist mit dem Angebot geschehen?"),
    "correction_reason": ("Korrekturgrund", "Warum die Entscheidung korrigiert wird."),
}

ENUMS: dict[type[StrEnum], dict[str, str]] = {
    Role: {
        "admin": "Administration",
        "coordinator": "Koordinierungsstelle",
        "counsellor": "Beratung",
        "partner": "Träger",
    },
    AgeBand: {a.value: f"{a.value.replace('-', '–')} Jahre" for a in AgeBand},
    Gender: {"f": "weiblich", "m": "männlich", "d": "divers"},
    District: {d.value: d.value for d in District},
    Citizenship: {"german": "deutsch", "eu": "EU-Staat", "third_country": "Drittstaat"},
    GermanLevel: {g.value: g.value for g in GermanLevel},
    SchoolCertificate: {
        "none": "ohne Schulabschluss",
        "lower_secondary": "Hauptschulabschluss",
        "intermediate": "Mittlerer Schulabschluss",
        "upper_secondary_vocational": "Fachhochschulreife",
        "upper_secondary": "Abitur",
    },
    VocationalQualification: {
        "none": "ohne Berufsabschluss",
        "partial": "Teilqualifikation(en)",
        "vocational": "abgeschlossene Berufsausbildung",
        "master_technician": "Meister/Techniker",
        "academic": "Hochschulabschluss",
    },
    RecognitionStatus: {
        "not_applicable": "entfällt",
        "not_applied": "nicht beantragt",
        "pending": "beantragt, offen",
        "partial": "teilweise anerkannt",
        "full": "voll anerkannt",
    },
    BenefitRegime: {"SGB_II": "SGB II (Jobcenter)", "SGB_III": "SGB III (Agentur für Arbeit)"},
    MeasureType: {
        "UMSCHULUNG": "Umschulung",
        "TEILQUALIFIZIERUNG": "Teilqualifizierung",
        "ANPASSUNGSQUALIFIZIERUNG": "Anpassungsqualifizierung",
        "AKTIVIERUNG_COACHING": "Aktivierung und Coaching",
        "BERUFSSPRACHKURS": "Berufssprachkurs",
        "INTEGRATIONSKURS": "Integrationskurs",
        "GRUNDBILDUNG": "Grundbildung",
        "EINSTIEGSQUALIFIZIERUNG": "Einstiegsqualifizierung",
        "BERUFSVORBEREITUNG": "Berufsvorbereitung",
        "ASSISTIERTE_AUSBILDUNG": "Assistierte Ausbildung",
        "TEILZEITAUSBILDUNG": "Teilzeitausbildung",
        "ANERKENNUNG": "Anerkennung und Anpassung",
        "WIEDEREINSTIEG": "Wiedereinstieg",
        "TEILHABE_AM_ARBEITSMARKT": "Teilhabe am Arbeitsmarkt",
    },
    Funding: {
        "bildungsgutschein": "Bildungsgutschein",
        "avgs": "AVGS",
        "free": "kostenfrei",
        "other": "sonstige",
    },
    OfferFormat: {"in_person": "in Präsenz", "online": "online", "blended": "gemischt"},
    OfferStatus: {
        "draft": "Entwurf",
        "submitted": "eingereicht",
        "approved": "freigegeben",
        "changes_requested": "Änderungen erbeten",
        "rejected": "abgelehnt",
        "withdrawn": "zurückgezogen",
        "expired": "abgelaufen",
    },
    ProviderKind: {
        "welfare": "Wohlfahrtsverband",
        "church": "Kirche",
        "sports_club": "Sportverein",
        "migrant_organisation": "Migrantenorganisation",
        "education_provider": "Bildungsträger",
        "agency": "Agentur",
    },
    FocusGroup: {
        "youth": "Junge Menschen (unter 25)",
        "long_term_unemployed": "Langzeitarbeitslose",
        "women": "Frauen",
        "migrants": "Menschen mit Migrationsgeschichte",
    },
    DecisionAction: {
        "accepted": "angenommen",
        "rejected": "abgelehnt",
        "override": "anderes Angebot gewählt",
        "no_measure": "keine Maßnahme",
    },
    DecisionReason: {
        "fits_goals": "passt zu den Zielen",
        "person_declined": "Person lehnt ab",
        "schedule_conflict": "zeitlich nicht vereinbar",
        "childcare_missing": "Kinderbetreuung fehlt",
        "health": "gesundheitliche Gründe",
        "language_first": "erst Sprachförderung",
        "better_alternative": "besseres Angebot bekannt",
        "no_seats": "keine Plätze frei",
        "too_far": "Weg zu weit",
        "job_offer": "Arbeitsangebot liegt vor",
        "not_ready": "derzeit nicht bereit",
        "other": "sonstiger Grund",
    },
    DecisionCorrectionReason: {
        "mis_click": "versehentlich erfasst",
        "person_changed_mind": "Person hat sich umentschieden",
        "offer_unavailable": "Angebot nicht mehr verfügbar",
        "new_information": "neue Informationen",
    },
    OutcomeStatus: {
        "not_started": "nicht begonnen",
        "started": "begonnen",
        "completed": "abgeschlossen",
        "dropped": "abgebrochen",
    },
}

YES_NO = {True: "ja", False: "nein", None: "offen"}


def label(field: str) -> str:
    """The German label; a model column without an entry here shows its ``title``."""
    if field in FIELDS:
        return FIELDS[field][0]
    column = PROFILE.get(field) or OFFER.get(field)
    return column.title if column is not None and column.title else field


def help_text(field: str) -> str:
    return FIELDS.get(field, ("", ""))[1]


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """``(value, German label)`` pairs in the enum's order, for select fields."""
    names = ENUMS.get(enum, {})
    return [(member.value, names.get(member.value, member.value)) for member in enum]


def value_label(enum: type[StrEnum], value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return YES_NO[value]
    return ENUMS.get(enum, {}).get(str(value), str(value))


def enum_by_name() -> dict[str, type[StrEnum]]:
    """Enum classes by name, so templates can write ``'MeasureType'|de(value)``."""
    return {enum.__name__: enum for enum in ENUMS}
