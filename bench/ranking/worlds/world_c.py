"""World C: heterogeneous effects with sign flips (lock-in: long retraining harms older long-term
unemployed; measures outside their group harm); confounding through an unobserved motivation that
is correlated with the German level and raises both the chance of employment and of being sent to
vocational measures. Bench only; frozen before any ranker ran on it (see ../WORLDS.md).
"""

from __future__ import annotations

import numpy as np

from bench.ranking.worlds.common import N_TYPES, TRAINING_TYPES, BenchWorld, build_world
from models.columns import code
from models.enums import (
    AgeBand,
    Citizenship,
    Gender,
    GermanLevel,
    MeasureType,
    RecognitionStatus,
    SchoolCertificate,
    VocationalQualification,
)
from training.data.encoding import FloatArray, OfferArrays, ProfileArrays
from training.data.occupation_fit import occupation_fit

M = MeasureType

AGE_LOGIT = np.array([0.2, 0.2, 0.2, 0.1, 0.0, 0.0, -0.1, -0.3, -0.6, -1.0])
SCHOOL_LOGIT = np.array([-0.5, -0.1, 0.1, 0.2, 0.3])
FIT = np.zeros(N_TYPES)
FIT[TRAINING_TYPES] = [5.0, 4.0, 6.0, 2.0, 3.0, 0.0, 0.0]


class WorldC:
    def latent(self, rng: np.random.Generator, p: ProfileArrays) -> FloatArray:
        """Motivation: standardised, correlation about 0.45 with the German level."""
        german = (p.german_level - p.german_level.mean()) / (p.german_level.std() + 1e-9)
        result: FloatArray = 0.5 * german + np.sqrt(0.75) * rng.normal(size=len(p))
        return result

    def baseline_logit(self, p: ProfileArrays, latent: FloatArray) -> FloatArray:
        logit: FloatArray = (
            -0.3
            + AGE_LOGIT[p.age_band]
            + SCHOOL_LOGIT[p.school_certificate]
            + 0.2 * (p.vocational_qualification >= code(VocationalQualification.VOCATIONAL))
            - 0.35 * np.log1p(p.unemployment_months / 6.0)
            - 0.3 * p.care_duties
            - 0.3 * p.health_restriction
            + 0.7 * latent
        )
        return logit

    def effect_pp(self, p: ProfileArrays, o: OfferArrays, quality: FloatArray) -> FloatArray:
        t = o.measure_type
        ltu = p.unemployment_months >= 12
        older = p.age_band >= code(AgeBand.A45_49)
        youth = p.age_band <= code(AgeBand.A20_24)
        women = p.gender == code(Gender.FEMALE)
        migrant = (p.citizenship != code(Citizenship.GERMAN)) | p.migration_background
        values = {
            code(M.UMSCHULUNG): np.where(
                older & ltu, -9.0, np.where(p.age_band <= code(AgeBand.A35_39), 9.0, 1.0)
            ),
            code(M.TEILQUALIFIZIERUNG): np.where(
                p.vocational_qualification <= code(VocationalQualification.PARTIAL), 6.0, -2.0
            )
            - 5.0 * (older & ltu),
            code(M.ANPASSUNGSQUALIFIZIERUNG): np.where(ltu, -3.0, 6.0),
            code(M.AKTIVIERUNG_COACHING): np.where(ltu, 6.0, -2.5),
            code(M.BERUFSSPRACHKURS): np.where(
                (p.german_level >= code(GermanLevel.A2)) & (p.german_level <= code(GermanLevel.B1)),
                8.0,
                np.where(p.german_level >= code(GermanLevel.C1), -6.0, 1.0),
            )
            + 4.0 * (women & migrant),
            code(M.INTEGRATIONSKURS): np.where(
                p.german_level <= code(GermanLevel.A1),
                7.0,
                np.where(p.german_level >= code(GermanLevel.B2), -5.0, 1.0),
            ),
            code(M.GRUNDBILDUNG): np.where(
                p.school_certificate == code(SchoolCertificate.NONE), 6.0, -2.0
            ),
            code(M.EINSTIEGSQUALIFIZIERUNG): np.where(youth, 9.0, -5.0),
            code(M.BERUFSVORBEREITUNG): np.where(
                youth & (p.school_certificate <= code(SchoolCertificate.LOWER_SECONDARY)),
                10.0,
                -4.0,
            ),
            code(M.ASSISTIERTE_AUSBILDUNG): np.where(youth, 4.0, 0.0),
            code(M.TEILZEITAUSBILDUNG): np.where(p.single_parent, 10.0, -3.0),
            code(M.ANERKENNUNG): np.where(
                p.foreign_qualification & (p.recognition_status != code(RecognitionStatus.FULL)),
                12.0,
                -3.0,
            ),
            code(M.WIEDEREINSTIEG): np.where(p.care_duties, 8.0, np.where(women, 0.0, -3.0)),
            code(M.TEILHABE_AM_ARBEITSMARKT): np.where(
                (p.unemployment_months >= 24) & p.sgb2,
                10.0,
                np.where(ltu, 2.0, -6.0),
            ),
        }
        effect = np.zeros(np.broadcast_shapes(p.age_band.shape, t.shape))
        for type_code, value in values.items():
            effect = np.where(t == type_code, value, effect)
        effect = effect + FIT[t] * occupation_fit(p.target_occupations, o.target_occupations)
        result: FloatArray = effect + quality
        return result

    def utilities(self, p: ProfileArrays, latent: FloatArray) -> FloatArray:
        migrant = ((p.citizenship != code(Citizenship.GERMAN)) | p.migration_background).astype(
            float
        )
        youth = (p.age_band <= code(AgeBand.A20_24)).astype(float)
        ltu = (p.unemployment_months >= 12).astype(float)
        older_ltu = ((p.age_band >= code(AgeBand.A45_49)) & (p.unemployment_months >= 12)).astype(
            float
        )
        m = latent
        u = np.zeros((len(p), N_TYPES + 1))
        u[:, 0] = 1.2 - 0.4 * m
        u[:, 1 + code(M.UMSCHULUNG)] = -1.8 + 1.2 * m + 1.0 * older_ltu
        u[:, 1 + code(M.TEILQUALIFIZIERUNG)] = -1.5 + 1.0 * m + 0.5 * older_ltu
        u[:, 1 + code(M.ANPASSUNGSQUALIFIZIERUNG)] = -1.0 + 1.4 * m
        u[:, 1 + code(M.AKTIVIERUNG_COACHING)] = -0.2 - 1.0 * m + 0.5 * ltu
        u[:, 1 + code(M.BERUFSSPRACHKURS)] = -2.5 + 2.5 * migrant
        u[:, 1 + code(M.INTEGRATIONSKURS)] = -3.0 + 2.5 * migrant
        u[:, 1 + code(M.GRUNDBILDUNG)] = -2.8 + 1.0 * (
            p.school_certificate == code(SchoolCertificate.NONE)
        )
        u[:, 1 + code(M.EINSTIEGSQUALIFIZIERUNG)] = -3.0 + 2.0 * youth + 0.5 * m
        u[:, 1 + code(M.BERUFSVORBEREITUNG)] = -3.2 + 2.0 * youth
        u[:, 1 + code(M.ASSISTIERTE_AUSBILDUNG)] = -4.0 + 2.5 * youth
        u[:, 1 + code(M.TEILZEITAUSBILDUNG)] = -3.0 + 1.0 * (p.gender == code(Gender.FEMALE))
        u[:, 1 + code(M.ANERKENNUNG)] = -3.5 + 1.5 * p.foreign_qualification
        u[:, 1 + code(M.WIEDEREINSTIEG)] = -3.0 + 1.5 * (p.gender == code(Gender.FEMALE))
        u[:, 1 + code(M.TEILHABE_AM_ARBEITSMARKT)] = -2.8 + 1.2 * ltu - 0.8 * m
        return u


def generate(*, n_episodes: int, seed: int = 1, n_offers: int = 1000) -> BenchWorld:
    return build_world(
        "world_c", WorldC(), n_episodes=n_episodes, seed=seed, n_offers=n_offers, match_share=0.4
    )
