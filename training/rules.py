"""Deterministic rules ranker: measure-type suitability (DOMAIN.md) plus occupation fit.

Used when the model is switched off, missing or broken, and as an evaluation baseline.
"""

from __future__ import annotations

import numpy as np

from training.encoding import (
    ANER,
    ANP,
    ASA,
    BSK,
    BVB,
    COACH,
    EQ,
    GB,
    IK,
    TEIL,
    TQ,
    TZA,
    UMS,
    WIED,
    FloatArray,
    OfferArrays,
    ProfileArrays,
)
from training.occupation_fit import occupation_fit
from training.text import gettext as _

#: German explanation per measure type, shown when the suitability rule applies.
SUITABILITY_REASON: dict[int, str] = {
    UMS: _("Für Menschen ohne Berufsabschluss wirkt eine Umschulung im Mittel am stärksten"),
    TQ: _("Teilqualifizierung führt Schritt für Schritt zum Berufsabschluss"),
    ANP: _("Anpassungsqualifizierung frischt vorhandene Berufskenntnisse auf"),
    COACH: _("Coaching unterstützt bei Bewerbung und Stabilisierung"),
    BSK: _("Berufssprachkurs baut vorhandene Grundkenntnisse in Deutsch für den Beruf aus"),
    IK: _("Integrationskurs führt zu Deutschkenntnissen auf B1-Niveau"),
    GB: _("Grundbildung stärkt Lesen, Schreiben und Rechnen"),
    EQ: _("Einstiegsqualifizierung öffnet jungen Menschen den Weg in eine Ausbildung"),
    BVB: _("Berufsvorbereitung hilft jungen Menschen auf dem Weg zur Ausbildung"),
    ASA: _("Assistierte Ausbildung begleitet junge Menschen durch die Ausbildung"),
    TZA: _("Teilzeitausbildung lässt sich mit Kinderbetreuung oder Pflege vereinbaren"),
    ANER: _("Die Anerkennung des ausländischen Abschlusses öffnet den Fachkräftearbeitsmarkt"),
    WIED: _("Wiedereinstiegsprogramm passt nach einer Familienphase"),
    TEIL: _("Geförderte Beschäftigung mit Coaching passt bei sehr langer Arbeitslosigkeit"),
}


def suitability(p: ProfileArrays, measure_type: np.ndarray) -> FloatArray:
    """Rule score 0–3.5 of each measure type for each (broadcast) profile."""
    migrant = p.migrants
    youth = p.youth
    rules = {
        UMS: 3.0 * ((p.vocational <= 1) & (p.age <= 6) & (p.german >= 3)),
        TQ: 2.5 * ((p.vocational <= 1) | (p.unemployment_months >= 12)),
        ANP: 2.5 * (p.vocational >= 2),
        COACH: 1.0 + 0.5 * (p.unemployment_months >= 12),
        BSK: 3.0 * (migrant & (p.german >= 2) & (p.german <= 3)),
        IK: 3.0 * (migrant & (p.german <= 2)),
        GB: 3.0 * (p.school == 0),
        EQ: 3.0 * youth,
        BVB: 3.0 * (youth & (p.school <= 1)),
        ASA: 2.0 * youth,
        TZA: 3.0 * (p.single_parent | p.care_duties),
        ANER: 3.5 * (p.foreign_qualification & (p.recognition != 4)),
        WIED: 2.5 * p.care_duties,
        TEIL: 3.0 * ((p.unemployment_months >= 24) & p.sgb2),
    }
    shape = np.broadcast_shapes(p.age.shape, measure_type.shape)
    score = np.zeros(shape)
    for code, values in rules.items():
        score = np.where(measure_type == code, values, score)
    return score


def rules_scores(p: ProfileArrays, o: OfferArrays) -> FloatArray:
    """Suitability plus twice the occupation fit; ties are broken by offer id by the caller."""
    result: FloatArray = suitability(p, o.measure_type) + 2.0 * occupation_fit(p.targets, o.targets)
    return result
