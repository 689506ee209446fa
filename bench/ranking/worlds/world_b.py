"""World B: effects driven mainly by occupation fit and local labour demand (district × occupation
group); counsellors cream strongly on employability (observed and unobserved), and the most
employable gain least. Bench only; frozen before any ranker ran on it (see ../WORLDS.md).
"""

from __future__ import annotations

import numpy as np

from bench.ranking.worlds.common import N_TYPES, TRAINING_TYPES, BenchWorld, build_world
from models.columns import code
from models.enums import AgeBand, Citizenship, GermanLevel, MeasureType, RecognitionStatus
from training.data.encoding import FloatArray, OfferArrays, ProfileArrays
from training.data.occupation_fit import occupation_fit

M = MeasureType

N_DISTRICTS = 9
N_GROUPS = 1000
#: Local labour demand index per (district, 3-digit occupation group), fixed for this world.
LOCAL_DEMAND = np.exp(np.random.default_rng(20261201).normal(0.0, 0.18, (N_DISTRICTS, N_GROUPS)))
#: pp at a perfect occupation fit / per +0.1 local demand, per measure type
FIT = np.zeros(N_TYPES)
FIT[TRAINING_TYPES] = [16.0, 12.0, 10.0, 6.0, 9.0, 4.0, 5.0]
DEMAND = np.zeros(N_TYPES)
DEMAND[TRAINING_TYPES] = [2.5, 2.0, 3.0, 1.0, 1.5, 0.5, 1.0]
OCCUPATIONAL = FIT > 0
AGE_LOGIT = np.array([0.0, 0.1, 0.25, 0.3, 0.25, 0.15, 0.0, -0.2, -0.5, -0.9])
VOC_LOGIT = np.array([-0.7, -0.4, 0.3, 0.6, 0.7])
GERMAN_LOGIT = np.array([-0.6, -0.5, -0.3, -0.15, 0.0, 0.05, 0.05])


class WorldB:
    def latent(self, rng: np.random.Generator, p: ProfileArrays) -> FloatArray:
        result: FloatArray = rng.normal(0.0, 0.6, len(p))
        return result

    def baseline_logit(self, p: ProfileArrays, latent: FloatArray) -> FloatArray:
        logit: FloatArray = (
            -0.4
            + AGE_LOGIT[p.age_band]
            + VOC_LOGIT[p.vocational_qualification]
            + GERMAN_LOGIT[p.german_level]
            - 0.5 * np.log1p(p.unemployment_months / 6.0)
            - 0.4 * p.sgb2
            - 0.4 * p.health_restriction
            + 0.3 * p.driving_licence
            + 0.4 * latent
        )
        return logit

    def effect_pp(self, p: ProfileArrays, o: OfferArrays, quality: FloatArray) -> FloatArray:
        t = o.measure_type
        has_target = o.target_occupations[..., 0] >= 0
        group = np.maximum(o.target_occupations[..., 0], 0) // 100
        fit = occupation_fit(p.target_occupations, o.target_occupations)
        local = np.where(has_target, LOCAL_DEMAND[p.district, group] - 1.0, 0.0)
        ltu = p.unemployment_months >= 12
        other = np.zeros(np.broadcast_shapes(p.age_band.shape, t.shape))
        for type_code, value in (
            (code(M.AKTIVIERUNG_COACHING), 1.0 + 3.0 * ltu),
            (
                code(M.BERUFSSPRACHKURS),
                np.where(
                    (p.german_level >= code(GermanLevel.A1))
                    & (p.german_level <= code(GermanLevel.B1)),
                    4.0,
                    0.0,
                ),
            ),
            (code(M.INTEGRATIONSKURS), np.where(p.german_level <= code(GermanLevel.A1), 5.0, -1.0)),
            (code(M.TEILZEITAUSBILDUNG), np.where(p.single_parent, 6.0, 0.0)),
            (
                code(M.ANERKENNUNG),
                np.where(
                    p.foreign_qualification
                    & (p.recognition_status != code(RecognitionStatus.FULL)),
                    7.0,
                    -1.0,
                ),
            ),
            (code(M.WIEDEREINSTIEG), np.where(p.care_duties, 5.0, 0.0)),
            (code(M.TEILHABE_AM_ARBEITSMARKT), np.where(p.unemployment_months >= 24, 5.0, 0.0)),
        ):
            other = np.where(t == type_code, value, other)
        occupational = FIT[t] * fit - 4.0 * (has_target & (fit == 0)) * OCCUPATIONAL[t]
        effect = other + occupational + DEMAND[t] * 10.0 * local
        employable = np.clip(
            0.35 * (p.vocational_qualification - 2) - 0.02 * (p.unemployment_months - 12), -1, 1
        )
        effect = np.where(effect > 0, effect * (1.0 - 0.35 * employable), effect)
        result: FloatArray = effect + 0.7 * quality
        return result

    def utilities(self, p: ProfileArrays, latent: FloatArray) -> FloatArray:
        logit = self.baseline_logit(p, latent)
        z = (logit - logit.mean()) / (logit.std() + 1e-9)
        migrant = ((p.citizenship != code(Citizenship.GERMAN)) | p.migration_background).astype(
            float
        )
        youth = (p.age_band <= code(AgeBand.A20_24)).astype(float)
        u = np.zeros((len(p), N_TYPES + 1))
        u[:, 0] = 1.0 - 0.6 * z
        u[:, 1 + code(M.UMSCHULUNG)] = -1.8 + 2.0 * z
        u[:, 1 + code(M.TEILQUALIFIZIERUNG)] = -1.5 + 1.6 * z
        u[:, 1 + code(M.ANPASSUNGSQUALIFIZIERUNG)] = -1.0 + 2.2 * z
        u[:, 1 + code(M.GRUNDBILDUNG)] = -2.5 - 0.8 * z
        u[:, 1 + code(M.AKTIVIERUNG_COACHING)] = 0.0 - 1.2 * z
        u[:, 1 + code(M.BERUFSSPRACHKURS)] = -2.5 + 2.0 * migrant + 0.5 * z
        u[:, 1 + code(M.INTEGRATIONSKURS)] = -3.0 + 2.0 * migrant
        u[:, 1 + code(M.EINSTIEGSQUALIFIZIERUNG)] = -4.0 + 3.5 * youth + 1.0 * z
        u[:, 1 + code(M.BERUFSVORBEREITUNG)] = -4.0 + 3.5 * youth - 0.5 * z
        u[:, 1 + code(M.ASSISTIERTE_AUSBILDUNG)] = -4.5 + 3.0 * youth
        u[:, 1 + code(M.TEILZEITAUSBILDUNG)] = -3.5 + 1.5 * p.single_parent
        u[:, 1 + code(M.ANERKENNUNG)] = -3.5 + 1.5 * p.foreign_qualification + 0.8 * z
        u[:, 1 + code(M.WIEDEREINSTIEG)] = -3.0 + 1.5 * p.care_duties
        u[:, 1 + code(M.TEILHABE_AM_ARBEITSMARKT)] = (
            -3.0 + 1.5 * (p.unemployment_months >= 24) - 1.0 * z
        )
        return u


def generate(*, n_episodes: int, seed: int = 1, n_offers: int = 1000) -> BenchWorld:
    return build_world(
        "world_b", WorldB(), n_episodes=n_episodes, seed=seed, n_offers=n_offers, match_share=0.5
    )
