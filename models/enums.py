"""Closed value sets shared by the database, the API, the ranker and the synthetic data.

The values of ``District``, ``MeasureType`` and ``FocusGroup`` are part of the public contract
(see DOMAIN.md); the others are codes whose German labels live in the service's message catalogue.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    COUNSELLOR = "counsellor"
    PARTNER = "partner"


class District(StrEnum):
    """Krefeld's nine Stadtbezirke."""

    MITTE = "Mitte"
    SUED = "Süd"
    WEST = "West"
    NORD = "Nord"
    OST = "Ost"
    OPPUM_LINN = "Oppum-Linn"
    UERDINGEN = "Uerdingen"
    HUELS = "Hüls"
    FISCHELN = "Fischeln"


class MeasureType(StrEnum):
    UMSCHULUNG = "UMSCHULUNG"
    TEILQUALIFIZIERUNG = "TEILQUALIFIZIERUNG"
    ANPASSUNGSQUALIFIZIERUNG = "ANPASSUNGSQUALIFIZIERUNG"
    AKTIVIERUNG_COACHING = "AKTIVIERUNG_COACHING"
    BERUFSSPRACHKURS = "BERUFSSPRACHKURS"
    INTEGRATIONSKURS = "INTEGRATIONSKURS"
    GRUNDBILDUNG = "GRUNDBILDUNG"
    EINSTIEGSQUALIFIZIERUNG = "EINSTIEGSQUALIFIZIERUNG"
    BERUFSVORBEREITUNG = "BERUFSVORBEREITUNG"
    ASSISTIERTE_AUSBILDUNG = "ASSISTIERTE_AUSBILDUNG"
    TEILZEITAUSBILDUNG = "TEILZEITAUSBILDUNG"
    ANERKENNUNG = "ANERKENNUNG"
    WIEDEREINSTIEG = "WIEDEREINSTIEG"
    TEILHABE_AM_ARBEITSMARKT = "TEILHABE_AM_ARBEITSMARKT"


class MeasureFamily(StrEnum):
    """Coarser grouping of measure types used in coverage statistics."""

    VOCATIONAL = "vocational"  # Umschulung, Teil-/Anpassungsqualifizierung, Anerkennung
    LANGUAGE = "language"  # Berufssprachkurs, Integrationskurs, Grundbildung
    YOUTH_TRANSITION = "youth_transition"  # EQ, BvB, AsA, Teilzeitausbildung
    ACTIVATION = "activation"  # Coaching, Wiedereinstieg, Teilhabe am Arbeitsmarkt


MEASURE_FAMILY: dict[MeasureType, MeasureFamily] = {
    MeasureType.UMSCHULUNG: MeasureFamily.VOCATIONAL,
    MeasureType.TEILQUALIFIZIERUNG: MeasureFamily.VOCATIONAL,
    MeasureType.ANPASSUNGSQUALIFIZIERUNG: MeasureFamily.VOCATIONAL,
    MeasureType.ANERKENNUNG: MeasureFamily.VOCATIONAL,
    MeasureType.BERUFSSPRACHKURS: MeasureFamily.LANGUAGE,
    MeasureType.INTEGRATIONSKURS: MeasureFamily.LANGUAGE,
    MeasureType.GRUNDBILDUNG: MeasureFamily.LANGUAGE,
    MeasureType.EINSTIEGSQUALIFIZIERUNG: MeasureFamily.YOUTH_TRANSITION,
    MeasureType.BERUFSVORBEREITUNG: MeasureFamily.YOUTH_TRANSITION,
    MeasureType.ASSISTIERTE_AUSBILDUNG: MeasureFamily.YOUTH_TRANSITION,
    MeasureType.TEILZEITAUSBILDUNG: MeasureFamily.YOUTH_TRANSITION,
    MeasureType.AKTIVIERUNG_COACHING: MeasureFamily.ACTIVATION,
    MeasureType.WIEDEREINSTIEG: MeasureFamily.ACTIVATION,
    MeasureType.TEILHABE_AM_ARBEITSMARKT: MeasureFamily.ACTIVATION,
}


class FocusGroup(StrEnum):
    YOUTH = "youth"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    WOMEN = "women"
    MIGRANTS = "migrants"


class AgeBand(StrEnum):
    A15_19 = "15-19"
    A20_24 = "20-24"
    A25_29 = "25-29"
    A30_34 = "30-34"
    A35_39 = "35-39"
    A40_44 = "40-44"
    A45_49 = "45-49"
    A50_54 = "50-54"
    A55_59 = "55-59"
    A60_67 = "60-67"


YOUTH_AGE_BANDS = frozenset({AgeBand.A15_19, AgeBand.A20_24})


class Gender(StrEnum):
    FEMALE = "f"
    MALE = "m"
    DIVERSE = "d"


class Citizenship(StrEnum):
    GERMAN = "german"
    EU = "eu"
    THIRD_COUNTRY = "third_country"


class GermanLevel(StrEnum):
    """CEFR levels; A0 means no German yet."""

    A0 = "A0"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        return list(GermanLevel).index(self)


class SchoolCertificate(StrEnum):
    NONE = "none"  # ohne Schulabschluss
    LOWER_SECONDARY = "lower_secondary"  # Hauptschulabschluss
    INTERMEDIATE = "intermediate"  # Mittlerer Schulabschluss
    UPPER_SECONDARY_VOCATIONAL = "upper_secondary_vocational"  # Fachhochschulreife
    UPPER_SECONDARY = "upper_secondary"  # Abitur


class VocationalQualification(StrEnum):
    NONE = "none"  # ohne Berufsabschluss
    PARTIAL = "partial"  # Teilqualifikation(en)
    VOCATIONAL = "vocational"  # abgeschlossene Berufsausbildung
    MASTER_TECHNICIAN = "master_technician"  # Meister/Techniker
    ACADEMIC = "academic"  # Hochschulabschluss


class RecognitionStatus(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    NOT_APPLIED = "not_applied"
    PENDING = "pending"
    PARTIAL = "partial"
    FULL = "full"


class BenefitRegime(StrEnum):
    SGB_II = "SGB_II"
    SGB_III = "SGB_III"


class UnemploymentBand(StrEnum):
    M0_5 = "0-5"
    M6_11 = "6-11"
    M12_23 = "12-23"
    M24_PLUS = "24+"

    @classmethod
    def from_months(cls, months: int) -> UnemploymentBand:
        if months < 6:
            return cls.M0_5
        if months < 12:
            return cls.M6_11
        if months < 24:
            return cls.M12_23
        return cls.M24_PLUS


class Funding(StrEnum):
    BILDUNGSGUTSCHEIN = "bildungsgutschein"
    AVGS = "avgs"
    FREE = "free"
    OTHER = "other"


class OfferFormat(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BLENDED = "blended"


class OfferStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class ProviderKind(StrEnum):
    WELFARE = "welfare"
    CHURCH = "church"
    SPORTS_CLUB = "sports_club"
    MIGRANT_ORGANISATION = "migrant_organisation"
    EDUCATION_PROVIDER = "education_provider"
    AGENCY = "agency"


class RankingMode(StrEnum):
    MODEL = "model"
    RULES = "rules"


class DecisionAction(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    OVERRIDE = "override"
    NO_MEASURE = "no_measure"


class DecisionReason(StrEnum):
    """Reason codes a counsellor picks; never free text about the person."""

    FITS_GOALS = "fits_goals"
    PERSON_DECLINED = "person_declined"
    SCHEDULE_CONFLICT = "schedule_conflict"
    CHILDCARE_MISSING = "childcare_missing"
    HEALTH = "health"
    LANGUAGE_FIRST = "language_first"
    BETTER_ALTERNATIVE = "better_alternative"
    NO_SEATS = "no_seats"
    TOO_FAR = "too_far"
    JOB_OFFER = "job_offer"
    NOT_READY = "not_ready"
    OTHER = "other"


class DecisionCorrectionReason(StrEnum):
    """Why a recorded decision is corrected; never free text about the person."""

    MIS_CLICK = "mis_click"
    PERSON_CHANGED_MIND = "person_changed_mind"
    OFFER_UNAVAILABLE = "offer_unavailable"
    NEW_INFORMATION = "new_information"


class OutcomeStatus(StrEnum):
    NOT_STARTED = "not_started"
    STARTED = "started"
    COMPLETED = "completed"
    DROPPED = "dropped"


class ModelAlias(StrEnum):
    CHAMPION = "champion"
    CANDIDATE = "candidate"
    PREVIOUS = "previous"


#: Focus-group membership (DOMAIN.md), as data so that vectorised code uses the same definition:
#: youth by age band, long-term unemployed from this many months, women by gender, migrants by a
#: citizenship other than these or a migration background.
LONG_TERM_UNEMPLOYMENT_MONTHS = 12
WOMEN_GENDERS = frozenset({Gender.FEMALE})
NON_MIGRANT_CITIZENSHIPS = frozenset({Citizenship.GERMAN})


def focus_groups(
    *,
    age_band: AgeBand,
    gender: Gender,
    unemployment_months: int,
    citizenship: Citizenship,
    migration_background: bool,
) -> frozenset[FocusGroup]:
    """The focus groups a person belongs to (DOMAIN.md); a person can be in several."""
    groups: set[FocusGroup] = set()
    if age_band in YOUTH_AGE_BANDS:
        groups.add(FocusGroup.YOUTH)
    if unemployment_months >= LONG_TERM_UNEMPLOYMENT_MONTHS:
        groups.add(FocusGroup.LONG_TERM_UNEMPLOYED)
    if gender in WOMEN_GENDERS:
        groups.add(FocusGroup.WOMEN)
    if citizenship not in NON_MIGRANT_CITIZENSHIPS or migration_background:
        groups.add(FocusGroup.MIGRANTS)
    return frozenset(groups)
