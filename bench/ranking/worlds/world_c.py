"""World C: heterogeneous effects with sign flips (lock-in: long retraining harms older long-term
unemployed; measures outside their group harm); confounding through an unobserved motivation that
is correlated with the German level and raises both the chance of employment and of being sent to
vocational measures. Bench only; frozen before any ranker ran on it (see ../WORLDS.md).
"""

from __future__ import annotations

import numpy as np

from bench.ranking.worlds.common import N_TYPES, BenchWorld, build_world
from training.data.encoding import (
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
from training.data.occupation_fit import occupation_fit

AGE_LOGIT = np.array([0.2, 0.2, 0.2, 0.1, 0.0, 0.0, -0.1, -0.3, -0.6, -1.0])
SCHOOL_LOGIT = np.array([-0.5, -0.1, 0.1, 0.2, 0.3])
FIT = np.zeros(N_TYPES)
FIT[[UMS, TQ, ANP, GB, EQ]] = [5.0, 4.0, 6.0, 2.0, 3.0]


class WorldC:
    def latent(self, rng: np.random.Generator, p: ProfileArrays) -> FloatArray:
        """Motivation: standardised, correlation about 0.45 with the German level."""
        german = (p.german - p.german.mean()) / (p.german.std() + 1e-9)
        result: FloatArray = 0.5 * german + np.sqrt(0.75) * rng.normal(size=len(p))
        return result

    def baseline_logit(self, p: ProfileArrays, latent: FloatArray) -> FloatArray:
        logit: FloatArray = (
            -0.3
            + AGE_LOGIT[p.age]
            + SCHOOL_LOGIT[p.school]
            + 0.2 * (p.vocational >= 2)
            - 0.35 * np.log1p(p.unemployment_months / 6.0)
            - 0.3 * p.care_duties
            - 0.3 * p.health_restriction
            + 0.7 * latent
        )
        return logit

    def effect_pp(self, p: ProfileArrays, o: OfferArrays, quality: FloatArray) -> FloatArray:
        t = o.measure_type
        ltu = p.unemployment_months >= 12
        older = p.age >= 6
        youth = p.age <= 1
        women = p.gender == 0
        migrant = (p.citizenship != 0) | p.migration_background
        values = {
            UMS: np.where(older & ltu, -9.0, np.where(p.age <= 4, 9.0, 1.0)),
            TQ: np.where(p.vocational <= 1, 6.0, -2.0) - 5.0 * (older & ltu),
            ANP: np.where(ltu, -3.0, 6.0),
            COACH: np.where(ltu, 6.0, -2.5),
            BSK: np.where(
                (p.german >= 2) & (p.german <= 3), 8.0, np.where(p.german >= 5, -6.0, 1.0)
            )
            + 4.0 * (women & migrant),
            IK: np.where(p.german <= 1, 7.0, np.where(p.german >= 4, -5.0, 1.0)),
            GB: np.where(p.school == 0, 6.0, -2.0),
            EQ: np.where(youth, 9.0, -5.0),
            BVB: np.where(youth & (p.school <= 1), 10.0, -4.0),
            ASA: np.where(youth, 4.0, 0.0),
            TZA: np.where(p.single_parent, 10.0, -3.0),
            ANER: np.where(p.foreign_qualification & (p.recognition != 4), 12.0, -3.0),
            WIED: np.where(p.care_duties, 8.0, np.where(women, 0.0, -3.0)),
            TEIL: np.where(
                (p.unemployment_months >= 24) & p.sgb2,
                10.0,
                np.where(ltu, 2.0, -6.0),
            ),
        }
        effect = np.zeros(np.broadcast_shapes(p.age.shape, t.shape))
        for code, value in values.items():
            effect = np.where(t == code, value, effect)
        effect = effect + FIT[t] * occupation_fit(p.targets, o.targets)
        result: FloatArray = effect + quality
        return result

    def utilities(self, p: ProfileArrays, latent: FloatArray) -> FloatArray:
        migrant = ((p.citizenship != 0) | p.migration_background).astype(float)
        youth = (p.age <= 1).astype(float)
        ltu = (p.unemployment_months >= 12).astype(float)
        older_ltu = ((p.age >= 6) & (p.unemployment_months >= 12)).astype(float)
        m = latent
        u = np.zeros((len(p), N_TYPES + 1))
        u[:, 0] = 1.2 - 0.4 * m
        u[:, 1 + UMS] = -1.8 + 1.2 * m + 1.0 * older_ltu
        u[:, 1 + TQ] = -1.5 + 1.0 * m + 0.5 * older_ltu
        u[:, 1 + ANP] = -1.0 + 1.4 * m
        u[:, 1 + COACH] = -0.2 - 1.0 * m + 0.5 * ltu
        u[:, 1 + BSK] = -2.5 + 2.5 * migrant
        u[:, 1 + IK] = -3.0 + 2.5 * migrant
        u[:, 1 + GB] = -2.8 + 1.0 * (p.school == 0)
        u[:, 1 + EQ] = -3.0 + 2.0 * youth + 0.5 * m
        u[:, 1 + BVB] = -3.2 + 2.0 * youth
        u[:, 1 + ASA] = -4.0 + 2.5 * youth
        u[:, 1 + TZA] = -3.0 + 1.0 * (p.gender == 0)
        u[:, 1 + ANER] = -3.5 + 1.5 * p.foreign_qualification
        u[:, 1 + WIED] = -3.0 + 1.5 * (p.gender == 0)
        u[:, 1 + TEIL] = -2.8 + 1.2 * ltu - 0.8 * m
        return u


def generate(*, n_episodes: int, seed: int = 1, n_offers: int = 1000) -> BenchWorld:
    return build_world(
        "world_c",
        WorldC(),
        n_people=max(n_episodes // 5, 200),
        n_offers=n_offers,
        n_episodes=n_episodes,
        seed=seed,
        match_share=0.4,
    )
