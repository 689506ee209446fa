"""German wording of the web interface in one place: field labels, help texts and enum values.

Templates and forms look names up here, so a wording change is one edit and every page agrees.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import gettext as _

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
        _("Kundennummer"),
        _("Wird nur verschlüsselt (als Pseudonym) gespeichert und nie angezeigt."),
    ),
    "age_band": (_("Altersgruppe"), _("Nur die Altersspanne, kein Geburtsdatum.")),
    "gender": (_("Geschlecht"), _("Wie im Fachverfahren erfasst.")),
    "district": (_("Stadtbezirk"), _("Wohnort in Krefeld; bestimmt Wege zu Angeboten.")),
    "citizenship": (_("Staatsangehörigkeit"), _("Nur die Gruppe, kein Land.")),
    "migration_background": (_("Migrationshintergrund"), _("Für die Auswertung nach Zielgruppen.")),
    "german_level": (
        _("Deutschkenntnisse (GER)"),
        _("A0 = keine Kenntnisse, C2 = muttersprachlich."),
    ),
    "school_certificate": (_("Schulabschluss"), _("Höchster erreichter Abschluss.")),
    "vocational_qualification": (_("Berufsabschluss"), _("Höchste berufliche Qualifikation.")),
    "foreign_qualification": (
        _("Ausländischer Abschluss"),
        _("Ein im Ausland erworbener Abschluss."),
    ),
    "recognition_status": (_("Stand der Anerkennung"), _("Nur bei ausländischem Abschluss.")),
    "unemployment_months": (
        _("Dauer der Arbeitslosigkeit (Monate)"),
        _("Ab 12 Monaten gilt die Person als langzeitarbeitslos."),
    ),
    "benefit_regime": (
        _("Rechtskreis"),
        _("SGB II (Jobcenter) oder SGB III (Agentur für Arbeit)."),
    ),
    "care_duties": (
        _("Betreuungs- oder Pflegeaufgaben"),
        _("Kinder oder pflegebedürftige Angehörige."),
    ),
    "single_parent": (_("Alleinerziehend"), ""),
    "hours_available": (_("Verfügbare Wochenstunden"), _("0 bis 60 Stunden pro Woche.")),
    "driving_licence": (_("Führerschein Klasse B"), ""),
    "max_commute_minutes": (_("Maximaler Fahrweg (Minuten)"), _("Einfache Strecke, 0 bis 180.")),
    "health_restriction": (
        _("Gesundheitliche Einschränkung"),
        _("Nur ja/nein – keine Diagnose eintragen."),
    ),
    "last_occupation": (
        _("Zuletzt ausgeübter Beruf"),
        _("Berufsbezeichnung eingeben und auswählen."),
    ),
    "target_occupations": (
        _("Zielberufe"),
        _("Bis zu fünf Berufe; Bezeichnung eingeben und aus der Liste wählen."),
    ),
    "version": (_("Version"), ""),
    # offers
    "external_ref": (
        _("Eigene Angebotsnummer"),
        _("Ihre eigene Nummer, z. B. aus der Kursverwaltung; eindeutig je Träger."),
    ),
    "title": (_("Titel"), _("Kurz und aussagekräftig, 3 bis 200 Zeichen.")),
    "description": (_("Beschreibung"), _("Inhalte, Ablauf, Voraussetzungen.")),
    "measure_type": (_("Art der Maßnahme"), _("Förderinstrument laut Katalog.")),
    "offer_occupations": (
        _("Zielberufe (KldB)"),
        _("Fünfstellige KldB-Codes, durch Komma getrennt."),
    ),
    "certificate": (_("Abschluss / Zertifikat"), "z. B. IHK-Teilqualifikation, Zertifikat B2."),
    "funding": (_("Finanzierung"), _("Mehrfachauswahl möglich.")),
    "format": (_("Durchführungsform"), ""),
    "hours_per_week": (_("Stunden pro Woche"), _("1 bis 50.")),
    "part_time_possible": (_("Teilzeit möglich"), ""),
    "childcare": (_("Kinderbetreuung angeboten"), ""),
    "language": (_("Unterrichtssprache"), _("Sprachcode, z. B. de, en, ar.")),
    "min_german_level": (
        _("Mindestniveau Deutsch"),
        _("Niedrigstes Niveau, mit dem man teilnehmen kann."),
    ),
    "duration_weeks": (_("Dauer (Wochen)"), _("1 bis 260.")),
    "start_dates": (_("Starttermine"), _("Datum als TT.MM.JJJJ, mehrere durch Komma getrennt.")),
    "end_date": (_("Enddatum"), _("Optional, TT.MM.JJJJ.")),
    "seats_total": (_("Plätze gesamt"), ""),
    "seats_free": (_("Freie Plätze"), _("Nicht mehr als Plätze gesamt.")),
    "offer_district": (_("Stadtbezirk des Angebots"), ""),
    "target_groups": (_("Zielgruppen"), _("Mehrfachauswahl möglich.")),
    "cost_eur": (_("Kosten (Euro)"), _("Optional; Gesamtkosten je Teilnahme.")),
    "venue_street": (_("Kursort: Straße und Hausnummer"), _("Leer lassen, wenn an Ihrer Adresse.")),
    "venue_postcode": (_("Kursort: Postleitzahl"), _("Fünfstellig, z. B. 47798.")),
    "venue_city": (_("Kursort: Ort"), "z. B. Krefeld."),
    "registration_url": (_("Anmeldung (Link)"), _("Optional; beginnt mit https://.")),
    "registration_deadline": (_("Anmeldeschluss"), _("Optional, TT.MM.JJJJ.")),
    "azav_measure_number": (
        _("AZAV-Maßnahmenummer"),
        _("Nummer der Maßnahmezulassung (für Bildungsgutschein und AVGS)."),
    ),
    "funding_note": (
        _("Hinweise zur Förderung"),
        _("z. B. „Bildungsgutschein der Agentur für Arbeit, AZAV-zertifiziert“."),
    ),
    # sign-in
    "username": (_("Benutzername"), ""),
    "password": (_("Passwort"), ""),
    "totp_code": (_("Einmalcode"), _("Sechsstelliger Code aus Ihrer Authenticator-App.")),
    "reason_code": (_("Begründung"), _("Pflichtangabe, wird protokolliert.")),
    "reason": (_("Begründung"), _("Wird dem Träger angezeigt.")),
    "provider_kind": (_("Art des Trägers"), ""),
    "role": (_("Rolle"), _("Bestimmt, welche Seiten und Daten die Person sieht.")),
    "status": (_("Stand der Maßnahme"), _("Was ist mit dem Angebot geschehen?")),
    "correction_reason": (_("Korrekturgrund"), _("Warum die Entscheidung korrigiert wird.")),
}

ENUMS: dict[type[StrEnum], dict[str, str]] = {
    Role: {
        "admin": _("Administration"),
        "coordinator": _("Koordinierungsstelle"),
        "counsellor": _("Beratung"),
        "partner": _("Träger"),
    },
    AgeBand: {a.value: f"{a.value.replace('-', '–')} Jahre" for a in AgeBand},
    Gender: {"f": "weiblich", "m": _("männlich"), "d": "divers"},
    District: {d.value: d.value for d in District},
    Citizenship: {"german": "deutsch", "eu": "EU-Staat", "third_country": _("Drittstaat")},
    GermanLevel: {g.value: g.value for g in GermanLevel},
    SchoolCertificate: {
        "none": _("ohne Schulabschluss"),
        "lower_secondary": _("Hauptschulabschluss"),
        "intermediate": _("Mittlerer Schulabschluss"),
        "upper_secondary_vocational": _("Fachhochschulreife"),
        "upper_secondary": _("Abitur"),
    },
    VocationalQualification: {
        "none": _("ohne Berufsabschluss"),
        "partial": _("Teilqualifikation(en)"),
        "vocational": "abgeschlossene Berufsausbildung",
        "master_technician": _("Meister/Techniker"),
        "academic": _("Hochschulabschluss"),
    },
    RecognitionStatus: {
        "not_applicable": _("entfällt"),
        "not_applied": _("nicht beantragt"),
        "pending": _("beantragt, offen"),
        "partial": _("teilweise anerkannt"),
        "full": _("voll anerkannt"),
    },
    BenefitRegime: {"SGB_II": "SGB II (Jobcenter)", "SGB_III": _("SGB III (Agentur für Arbeit)")},
    MeasureType: {
        "UMSCHULUNG": _("Umschulung"),
        "TEILQUALIFIZIERUNG": _("Teilqualifizierung"),
        "ANPASSUNGSQUALIFIZIERUNG": _("Anpassungsqualifizierung"),
        "AKTIVIERUNG_COACHING": _("Aktivierung und Coaching"),
        "BERUFSSPRACHKURS": _("Berufssprachkurs"),
        "INTEGRATIONSKURS": _("Integrationskurs"),
        "GRUNDBILDUNG": _("Grundbildung"),
        "EINSTIEGSQUALIFIZIERUNG": _("Einstiegsqualifizierung"),
        "BERUFSVORBEREITUNG": _("Berufsvorbereitung"),
        "ASSISTIERTE_AUSBILDUNG": _("Assistierte Ausbildung"),
        "TEILZEITAUSBILDUNG": _("Teilzeitausbildung"),
        "ANERKENNUNG": _("Anerkennung und Anpassung"),
        "WIEDEREINSTIEG": _("Wiedereinstieg"),
        "TEILHABE_AM_ARBEITSMARKT": _("Teilhabe am Arbeitsmarkt"),
    },
    Funding: {
        "bildungsgutschein": _("Bildungsgutschein"),
        "avgs": "AVGS",
        "free": "kostenfrei",
        "other": "sonstige",
    },
    OfferFormat: {"in_person": _("in Präsenz"), "online": "online", "blended": "gemischt"},
    OfferStatus: {
        "draft": _("Entwurf"),
        "submitted": "eingereicht",
        "approved": "freigegeben",
        "changes_requested": _("Änderungen erbeten"),
        "rejected": "abgelehnt",
        "withdrawn": _("zurückgezogen"),
        "expired": "abgelaufen",
    },
    ProviderKind: {
        "welfare": _("Wohlfahrtsverband"),
        "church": _("Kirche"),
        "sports_club": _("Sportverein"),
        "migrant_organisation": _("Migrantenorganisation"),
        "education_provider": _("Bildungsträger"),
        "agency": _("Agentur"),
    },
    FocusGroup: {
        "youth": _("Junge Menschen (unter 25)"),
        "long_term_unemployed": _("Langzeitarbeitslose"),
        "women": _("Frauen"),
        "migrants": _("Menschen mit Migrationsgeschichte"),
    },
    DecisionAction: {
        "accepted": "angenommen",
        "rejected": "abgelehnt",
        "override": _("anderes Angebot gewählt"),
        "no_measure": _("keine Maßnahme"),
    },
    DecisionReason: {
        "fits_goals": _("passt zu den Zielen"),
        "person_declined": _("Person lehnt ab"),
        "schedule_conflict": _("zeitlich nicht vereinbar"),
        "childcare_missing": _("Kinderbetreuung fehlt"),
        "health": _("gesundheitliche Gründe"),
        "language_first": _("erst Sprachförderung"),
        "better_alternative": _("besseres Angebot bekannt"),
        "no_seats": _("keine Plätze frei"),
        "too_far": _("Weg zu weit"),
        "job_offer": _("Arbeitsangebot liegt vor"),
        "not_ready": _("derzeit nicht bereit"),
        "other": "sonstiger Grund",
    },
    DecisionCorrectionReason: {
        "mis_click": _("versehentlich erfasst"),
        "person_changed_mind": _("Person hat sich umentschieden"),
        "offer_unavailable": _("Angebot nicht mehr verfügbar"),
        "new_information": "neue Informationen",
    },
    OutcomeStatus: {
        "not_started": _("nicht begonnen"),
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
