"""Ground truth of the synthetic world: employment chances without a measure and true effects.

Everything here is for generating data and for evaluation only; no feature of the ranker may be
computed from it. Sizes are documented in docs/synthetic-ground-truth.md; effects are in
percentage points (pp) of P(employed subject to social insurance 6 months later).
"""

from __future__ import annotations

import numpy as np

from models.columns import code
from models.enums import (
    AgeBand,
    Gender,
    GermanLevel,
    MeasureType,
    OfferFormat,
    RecognitionStatus,
    SchoolCertificate,
)
from training.data.encoding import (
    FloatArray,
    OfferArrays,
    ProfileArrays,
)
from training.data.occupation_fit import occupation_fit
from training.synthetic.fields import GROUP_DEMAND, GROUP_PHYSICAL

M = MeasureType

# Positions in the enums (models.enums), spelled out for readability of the formulas below.
__all__ = [
    "effect_pp",
    "probability_with",
    "probability_without",
]
B1 = code(GermanLevel.B1)

AGE_LOGIT = np.array([0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.0, -0.3, -0.7, -1.2])
VOC_LOGIT = np.array([-0.5, -0.3, 0.2, 0.4, 0.5])
SCHOOL_LOGIT = np.array([-0.3, 0.0, 0.1, 0.15, 0.2])
GERMAN_LOGIT = np.array([-0.9, -0.7, -0.45, -0.2, -0.05, 0.0, 0.0])
DISTRICT_LOGIT = np.array([-0.15, -0.12, 0.0, 0.05, 0.0, 0.02, 0.08, 0.1, 0.1])
BASE_LOGIT = -0.2

UMS_BY_VOC = np.array([11.0, 8.0, 2.0, -2.0, -5.0])
TQ_BY_VOC = np.array([7.0, 6.0, 1.0, -1.0, -2.0])
ANP_BY_VOC = np.array([0.0, 2.0, 6.0, 5.0, 2.0])
BSK_BY_GERMAN = np.array([-2.0, 1.0, 6.0, 9.0, -3.0, -5.0, -5.0])
IK_BY_GERMAN = np.array([7.0, 6.0, 2.0, -3.0, -4.0, -5.0, -5.0])
GB_BY_SCHOOL = np.array([7.0, 3.0, -1.0, -2.0, -2.0])
EQ_BY_AGE = np.array([12.0, 11.0, 3.0, -2.0, -3.0, -3.0, -3.0, -3.0, -3.0, -3.0])
ASA_BY_AGE = np.array([7.0, 6.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
AGE_FACTOR = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.5, 0.5])

#: pp gained at a perfect occupation fit, per measure type
FIT_WEIGHT = np.array([6.0, 5.0, 7.0, 0, 2.0, 0, 0, 4.0, 0, 1.0, 4.0, 4.0, 0, 0])
#: pp lost when an occupational offer trains for an occupation the person does not aim at
MISFIT_PENALTY = np.array([2.0, 2.0, 1.0, 0, 0, 0, 0, 2.0, 0, 0, 2.0, 0, 0, 0])
#: pp per +0.1 labour demand index of the offer's target occupation
DEMAND_WEIGHT = np.array([1.0, 0.8, 0.8, 0, 0, 0, 0, 0.6, 0, 0, 0.4, 0.3, 0, 0])
#: extra pp at 12 months (retraining and language pay off later)
LONG_RUN_BONUS = np.array([8.0, 3.0, 1.0, 0, 4.0, 3.0, 1.0, 2.0, 1.0, 1.0, 5.0, 3.0, 1.0, 0])


def _sigmoid(x: FloatArray) -> FloatArray:
    result: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return result


def baseline_logit(p: ProfileArrays) -> FloatArray:
    """Logit of P(employed at 6 months | no measure)."""
    months = p.unemployment_months.astype(float)
    target_group = np.maximum(p.target_occupations[..., 0], 0) // 100
    logit: FloatArray = (
        BASE_LOGIT
        + AGE_LOGIT[p.age_band]
        + VOC_LOGIT[p.vocational_qualification]
        + SCHOOL_LOGIT[p.school_certificate]
        + GERMAN_LOGIT[p.german_level]
        + DISTRICT_LOGIT[p.district]
        - 0.4 * np.log1p(months / 6.0)
        - 0.3 * p.sgb2
        - 0.25 * p.care_duties
        - 0.2 * p.single_parent
        - 0.5 * p.health_restriction
        + 0.15 * p.driving_licence
        - 0.05 * (p.gender == code(Gender.FEMALE))
        - 0.2 * (p.hours_available < 20)
        + 0.5 * (GROUP_DEMAND[target_group] - 1.0)
    )
    return logit


def probability_without(p: ProfileArrays, *, months: int = 6) -> FloatArray:
    shift = 0.35 if months == 12 else 0.0
    return _sigmoid(baseline_logit(p) + shift)


def _type_effect(p: ProfileArrays, t: np.ndarray) -> FloatArray:
    """Measure-type-specific effect (pp) before occupation fit, demand and offer quality."""
    ltu = p.unemployment_months >= 12
    vlt = p.unemployment_months >= 24
    youth = p.age_band <= code(AgeBand.A20_24)
    care_only = p.care_duties & ~p.single_parent
    open_recognition = p.foreign_qualification & (
        (p.recognition_status == code(RecognitionStatus.NOT_APPLIED))
        | (p.recognition_status == code(RecognitionStatus.PENDING))
    )
    partial_recognition = p.foreign_qualification & (
        p.recognition_status == code(RecognitionStatus.PARTIAL)
    )
    below_b2 = p.german_level <= B1
    candidates = [
        UMS_BY_VOC[p.vocational_qualification]
        - 3.0 * (p.age_band >= code(AgeBand.A45_49))
        - 6.0 * (p.german_level < B1),
        TQ_BY_VOC[p.vocational_qualification] + 2.0 * ltu,
        ANP_BY_VOC[p.vocational_qualification] + 2.0 * (p.unemployment_months < 12),
        1.5 + 1.0 * vlt + 1.0 * p.health_restriction,
        BSK_BY_GERMAN[p.german_level] + 2.0 * ((p.gender == code(Gender.FEMALE)) & below_b2),
        IK_BY_GERMAN[p.german_level],
        GB_BY_SCHOOL[p.school_certificate],
        EQ_BY_AGE[p.age_band],
        np.where(
            youth,
            np.where(p.school_certificate <= code(SchoolCertificate.LOWER_SECONDARY), 9.0, 3.0),
            np.where(p.age_band == code(AgeBand.A25_29), 0.0, -3.0),
        ),
        ASA_BY_AGE[p.age_band]
        + 1.0 * (p.school_certificate <= code(SchoolCertificate.LOWER_SECONDARY)),
        -2.0
        + 14.0 * p.single_parent
        + 9.0 * care_only
        - 3.0 * (p.age_band >= code(AgeBand.A45_49)),
        np.where(
            open_recognition,
            15.0,
            np.where(partial_recognition, 8.0, np.where(p.foreign_qualification, 0.0, -2.0)),
        ),
        0.5
        + 5.5 * p.care_duties
        + 2.0 * (p.care_duties & ltu)
        + 0.5 * (p.gender == code(Gender.FEMALE)),
        np.where(vlt & p.sgb2, 14.0, np.where(ltu, 4.0, -4.0)),
    ]
    shape = np.broadcast_shapes(p.age_band.shape, t.shape)
    effect = np.zeros(shape)
    for type_code, values in enumerate(candidates):
        effect = np.where(t == type_code, values, effect)
    return effect


def effect_pp(
    p: ProfileArrays, o: OfferArrays, quality: FloatArray, *, months: int = 6
) -> FloatArray:
    """True effect (pp, before clipping to valid probabilities) for broadcastable (p, o)."""
    t = o.measure_type
    effect = _type_effect(p, t)
    fit = occupation_fit(p.target_occupations, o.target_occupations)
    has_target = o.target_occupations[..., 0] >= 0
    group = np.maximum(o.target_occupations[..., 0], 0) // 100
    effect = effect + FIT_WEIGHT[t] * fit - MISFIT_PENALTY[t] * (has_target & (fit == 0))
    effect = effect + DEMAND_WEIGHT[t] * 10.0 * np.where(has_target, GROUP_DEMAND[group] - 1, 0)
    if months == 12:
        effect = effect + LONG_RUN_BONUS[t]
    effect = np.where(effect > 0, effect * AGE_FACTOR[p.age_band], effect)
    needs_care = p.care_duties | p.single_parent
    effect = effect - 4.0 * (needs_care & ~o.childcare & (o.hours_per_week >= 30))
    effect = effect - 2.0 * ((o.format == code(OfferFormat.ONLINE)) & (p.german_level < B1))
    effect = effect - 3.0 * (p.health_restriction & has_target & GROUP_PHYSICAL[group])
    effect = effect - 3.0 * ((o.hours_per_week > p.hours_available) & ~o.part_time_possible)
    result: FloatArray = effect + quality
    return result


def probability_with(
    p: ProfileArrays, o: OfferArrays, quality: FloatArray, *, months: int = 6
) -> FloatArray:
    without = probability_without(p, months=months)
    raw = without + effect_pp(p, o, quality, months=months) / 100.0
    result: FloatArray = np.clip(raw, 0.01, 0.97)
    return result
