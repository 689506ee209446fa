"""Deterministic rules ranker: measure-type suitability (DOMAIN.md) plus occupation fit.

Used when the model is switched off, missing or broken, and as an evaluation baseline.
"""

from __future__ import annotations

import numpy as np

from models.columns import code
from models.enums import (
    AgeBand,
    GermanLevel,
    MeasureType,
    RecognitionStatus,
    SchoolCertificate,
    VocationalQualification,
)
from training.data.encoding import (
    FloatArray,
    OfferArrays,
    ProfileArrays,
    broadcast_grid,
    by_profile_blocks,
)
from training.data.occupation_fit import occupation_fit
from training.text import gettext as _

M = MeasureType

#: German explanation per measure type, shown when the suitability rule applies.
SUITABILITY_REASON: dict[int, str] = {
    code(M.UMSCHULUNG): _(
        "Für Menschen ohne Berufsabschluss wirkt eine Umschulung im Mittel am stärksten"
    ),
    code(M.TEILQUALIFIZIERUNG): _(
        "Teilqualifizierung führt Schritt für Schritt zum Berufsabschluss"
    ),
    code(M.ANPASSUNGSQUALIFIZIERUNG): _(
        "Anpassungsqualifizierung frischt vorhandene Berufskenntnisse auf"
    ),
    code(M.AKTIVIERUNG_COACHING): _("Coaching unterstützt bei Bewerbung und Stabilisierung"),
    code(M.BERUFSSPRACHKURS): _(
        "Berufssprachkurs baut vorhandene Grundkenntnisse in Deutsch für den Beruf aus"
    ),
    code(M.INTEGRATIONSKURS): _("Integrationskurs führt zu Deutschkenntnissen auf B1-Niveau"),
    code(M.GRUNDBILDUNG): _("Grundbildung stärkt Lesen, Schreiben und Rechnen"),
    code(M.EINSTIEGSQUALIFIZIERUNG): _(
        "Einstiegsqualifizierung öffnet jungen Menschen den Weg in eine Ausbildung"
    ),
    code(M.BERUFSVORBEREITUNG): _(
        "Berufsvorbereitung hilft jungen Menschen auf dem Weg zur Ausbildung"
    ),
    code(M.ASSISTIERTE_AUSBILDUNG): _(
        "Assistierte Ausbildung begleitet junge Menschen durch die Ausbildung"
    ),
    code(M.TEILZEITAUSBILDUNG): _(
        "Teilzeitausbildung lässt sich mit Kinderbetreuung oder Pflege vereinbaren"
    ),
    code(M.ANERKENNUNG): _(
        "Die Anerkennung des ausländischen Abschlusses öffnet den Fachkräftearbeitsmarkt"
    ),
    code(M.WIEDEREINSTIEG): _("Wiedereinstiegsprogramm passt nach einer Familienphase"),
    code(M.TEILHABE_AM_ARBEITSMARKT): _(
        "Geförderte Beschäftigung mit Coaching passt bei sehr langer Arbeitslosigkeit"
    ),
}


def suitability(p: ProfileArrays, measure_type: np.ndarray) -> FloatArray:
    """Rule score 0–3.5 of each measure type for each (broadcast) profile."""
    migrant = p.migrants
    youth = p.youth
    rules = {
        code(M.UMSCHULUNG): 3.0
        * (
            (p.vocational_qualification <= code(VocationalQualification.PARTIAL))
            & (p.age_band <= code(AgeBand.A45_49))
            & (p.german_level >= code(GermanLevel.B1))
        ),
        code(M.TEILQUALIFIZIERUNG): 2.5
        * (
            (p.vocational_qualification <= code(VocationalQualification.PARTIAL))
            | (p.unemployment_months >= 12)
        ),
        code(M.ANPASSUNGSQUALIFIZIERUNG): 2.5
        * (p.vocational_qualification >= code(VocationalQualification.VOCATIONAL)),
        code(M.AKTIVIERUNG_COACHING): 1.0 + 0.5 * (p.unemployment_months >= 12),
        code(M.BERUFSSPRACHKURS): 3.0
        * (
            migrant
            & (p.german_level >= code(GermanLevel.A2))
            & (p.german_level <= code(GermanLevel.B1))
        ),
        code(M.INTEGRATIONSKURS): 3.0 * (migrant & (p.german_level <= code(GermanLevel.A2))),
        code(M.GRUNDBILDUNG): 3.0 * (p.school_certificate == code(SchoolCertificate.NONE)),
        code(M.EINSTIEGSQUALIFIZIERUNG): 3.0 * youth,
        code(M.BERUFSVORBEREITUNG): 3.0
        * (youth & (p.school_certificate <= code(SchoolCertificate.LOWER_SECONDARY))),
        code(M.ASSISTIERTE_AUSBILDUNG): 2.0 * youth,
        code(M.TEILZEITAUSBILDUNG): 3.0 * (p.single_parent | p.care_duties),
        code(M.ANERKENNUNG): 3.5
        * (p.foreign_qualification & (p.recognition_status != code(RecognitionStatus.FULL))),
        code(M.WIEDEREINSTIEG): 2.5 * p.care_duties,
        code(M.TEILHABE_AM_ARBEITSMARKT): 3.0 * ((p.unemployment_months >= 24) & p.sgb2),
    }
    shape = np.broadcast_shapes(p.age_band.shape, measure_type.shape)
    score = np.zeros(shape)
    for type_code, values in rules.items():
        score = np.where(measure_type == type_code, values, score)
    return score


def rules_scores(p: ProfileArrays, o: OfferArrays) -> FloatArray:
    """Suitability plus twice the occupation fit; ties are broken by offer id by the caller."""
    result: FloatArray = suitability(p, o.measure_type) + 2.0 * occupation_fit(
        p.target_occupations, o.target_occupations
    )
    return result


def rules_matrix(p: ProfileArrays, o: OfferArrays) -> FloatArray:
    """(profiles, offers): the rules ranker's score of every offer for every person, computed a
    block of profiles at a time."""
    return by_profile_blocks(
        p, lambda b: np.broadcast_to(rules_scores(*broadcast_grid(b, o)), (len(b), len(o)))
    )
