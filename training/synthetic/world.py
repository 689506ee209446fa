"""A deterministic synthetic Krefeld-like history of jobseekers, offers and outcomes.

``generate_world`` returns profiles, offers and historical episodes whose assignment is confounded
the way real caseloads are, plus the ground truth (true effects) for evaluation only.
docs/synthetic-ground-truth.md documents every term.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

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
from training.data.encoding import FloatArray, OfferArrays, ProfileArrays, broadcast_grid
from training.synthetic.catalog import generate_offers
from training.synthetic.fields import FIELDS
from training.synthetic.people import draw_profiles, profiles_frame
from training.synthetic.truth import (
    baseline_logit,
    probability_with,
    probability_without,
)

M = MeasureType

HISTORY_START = date(2021, 1, 1)
HISTORY_DAYS = 4 * 365
NO_MEASURE_UTILITY = 1.2
CHUNK = 256


@dataclass(frozen=True)
class SyntheticTruth:
    """True outcome model of a synthetic world. Evaluation only — never a feature."""

    episodes: pd.DataFrame  # episode_id, p_without, p_with_assigned, effect_6m
    offer_quality: pd.Series  # hidden offer quality in pp, indexed by offer_id

    def true_probability_without(self, profiles_df: pd.DataFrame) -> FloatArray:
        return probability_without(ProfileArrays.from_frame(profiles_df))

    def true_effects(self, profiles_df: pd.DataFrame, offers_df: pd.DataFrame) -> FloatArray:
        """True gain in P(employed at 6 months), shape (n_profiles, n_offers)."""
        return true_effect_matrix(
            ProfileArrays.from_frame(profiles_df),
            OfferArrays.from_frame(offers_df),
            self.quality_for(offers_df["offer_id"].to_numpy()),
        )

    def quality_for(self, offer_ids: np.ndarray) -> FloatArray:
        quality = self.offer_quality.reindex(offer_ids).fillna(0.0)
        return quality.to_numpy(dtype=float)


def true_effect_matrix(p: ProfileArrays, o: OfferArrays, quality: FloatArray) -> FloatArray:
    """True effects for every (profile, offer) pair, computed in row chunks to bound memory."""
    out = np.empty((len(p), len(o)))
    for start in range(0, len(p), CHUNK):
        rows = p.take(np.arange(start, min(start + CHUNK, len(p))))
        grid_p, grid_o = broadcast_grid(rows, o)
        without = probability_without(grid_p)
        out[start : start + len(rows)] = (
            probability_with(grid_p, grid_o, quality[None, :]) - without
        )
    return out


@dataclass(frozen=True)
class SyntheticWorld:
    profiles: pd.DataFrame
    offers: pd.DataFrame
    episodes: pd.DataFrame
    truth: SyntheticTruth

    def true_probability_without(self, profiles_df: pd.DataFrame) -> FloatArray:
        return self.truth.true_probability_without(profiles_df)

    def true_effects(self, profiles_df: pd.DataFrame, offers_df: pd.DataFrame) -> FloatArray:
        return self.truth.true_effects(profiles_df, offers_df)


def assignment_utilities(p: ProfileArrays) -> FloatArray:
    """Counsellors' propensity (utilities of a multinomial logit), column 0 = no measure.

    Creaming: ``z`` (standardised employability) raises the chance of costly vocational
    measures. Steering: women to short/part-time measures, migrants to language courses
    regardless of their level, youth to code(M.EINSTIEGSQUALIFIZIERUNG)/BvB/AsA.
    """
    logit = baseline_logit(p)
    z = (logit - logit.mean()) / (logit.std() + 1e-9)
    women = (p.gender == code(Gender.FEMALE)).astype(float)
    migrant = ((p.citizenship != code(Citizenship.GERMAN)) | p.migration_background).astype(float)
    youth = (p.age_band <= code(AgeBand.A20_24)).astype(float)
    months = p.unemployment_months
    u = np.zeros((len(p), 15))
    u[:, 0] = NO_MEASURE_UTILITY - 0.3 * z
    u[:, 1 + code(M.UMSCHULUNG)] = (
        -1.2
        + 1.0 * z
        - 0.5 * women
        - 1.5 * (p.age_band >= code(AgeBand.A50_54))
        - 1.5 * (p.german_level < code(GermanLevel.B1))
    )
    u[:, 1 + code(M.TEILQUALIFIZIERUNG)] = -1.2 + 0.5 * z - 0.3 * women
    u[:, 1 + code(M.ANPASSUNGSQUALIFIZIERUNG)] = (
        -0.8
        + 1.2 * z
        + 0.6 * (p.vocational_qualification >= code(VocationalQualification.VOCATIONAL))
        - 0.2 * women
    )
    u[:, 1 + code(M.AKTIVIERUNG_COACHING)] = 0.2 - 0.3 * z + 0.3 * (months >= 12) + 0.4 * women
    u[:, 1 + code(M.BERUFSSPRACHKURS)] = (
        -3.0
        + 2.8 * migrant
        + 0.6 * (p.german_level >= code(GermanLevel.A2))
        - 1.0 * (p.german_level == code(GermanLevel.A0))
    )
    u[:, 1 + code(M.INTEGRATIONSKURS)] = (
        -3.2
        + 2.4 * migrant
        + 1.2 * (p.german_level < code(GermanLevel.B1))
        - 1.0 * (p.german_level >= code(GermanLevel.B2))
    )
    u[:, 1 + code(M.GRUNDBILDUNG)] = (
        -2.8
        + 1.5 * (p.school_certificate == code(SchoolCertificate.NONE))
        + 0.5 * (p.school_certificate == code(SchoolCertificate.LOWER_SECONDARY))
    )
    u[:, 1 + code(M.EINSTIEGSQUALIFIZIERUNG)] = -4.2 + 4.0 * youth
    u[:, 1 + code(M.BERUFSVORBEREITUNG)] = -4.2 + 3.8 * youth
    u[:, 1 + code(M.ASSISTIERTE_AUSBILDUNG)] = (
        -4.5 + 3.0 * youth + 1.0 * (p.age_band == code(AgeBand.A25_29))
    )
    u[:, 1 + code(M.TEILZEITAUSBILDUNG)] = (
        -3.8 + 1.0 * women + 0.8 * p.single_parent + 0.4 * (p.age_band <= code(AgeBand.A30_34))
    )
    u[:, 1 + code(M.ANERKENNUNG)] = (
        -4.0
        + 2.2 * (p.foreign_qualification & (p.recognition_status != code(RecognitionStatus.FULL)))
        + 0.3 * migrant
    )
    u[:, 1 + code(M.WIEDEREINSTIEG)] = -3.0 + 2.0 * women + 1.0 * p.care_duties
    u[:, 1 + code(M.TEILHABE_AM_ARBEITSMARKT)] = -3.2 + 2.0 * ((months >= 24) & p.sgb2) - 0.5 * z
    return u


def _assign_types(rng: np.random.Generator, p: ProfileArrays, available: np.ndarray) -> np.ndarray:
    """Measure type index per episode, -1 for no measure (Gumbel-max draw)."""
    u = assignment_utilities(p)
    u[:, 1:][:, ~available] = -np.inf
    choice = np.argmax(u + rng.gumbel(size=u.shape), axis=1)
    result: np.ndarray = (choice - 1).astype(np.int32)
    return result


def _field_of(codes: np.ndarray) -> np.ndarray:
    lookup = np.full(100_000, -1, dtype=np.int32)
    for i, f in enumerate(FIELDS):
        lookup[int(f.helper)] = i
        lookup[int(f.skilled)] = i
    return np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1)


def _sample_within(
    rng: np.random.Generator, keys: np.ndarray, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A random offer position whose key equals ``wanted`` (found=False when none)."""
    order = np.argsort(keys, kind="stable")
    lo = np.searchsorted(keys[order], wanted, side="left")
    hi = np.searchsorted(keys[order], wanted, side="right")
    count = hi - lo
    pick = lo + np.floor(rng.random(wanted.shape[0]) * np.maximum(count, 1)).astype(np.int64)
    return order[np.minimum(pick, len(order) - 1)], count > 0


def assign_offers(rng: np.random.Generator, p: ProfileArrays, o: OfferArrays) -> np.ndarray:
    """Offer position per episode (-1: no measure); 60% of counsellors match the occupation."""
    available = np.bincount(o.measure_type, minlength=14) > 0
    types = _assign_types(rng, p, available)
    treated = types >= 0
    offer_field = _field_of(o.target_occupations[:, 0])
    person_field = _field_of(p.target_occupations[:, 0])
    by_type, _ = _sample_within(rng, o.measure_type.astype(np.int64), types.astype(np.int64))
    matched, found = _sample_within(
        rng, o.measure_type * 100 + offer_field + 1, types.astype(np.int64) * 100 + person_field + 1
    )
    use_match = found & (rng.random(len(p)) < 0.6)
    return np.where(treated, np.where(use_match, matched, by_type), -1)


def _episode_profiles(
    rng: np.random.Generator, people: ProfileArrays, person: np.ndarray
) -> ProfileArrays:
    """The person's profile as at the episode: unemployment duration and German level vary."""
    ep = people.take(person)
    months = np.maximum(ep.unemployment_months + rng.integers(-4, 5, len(person)), 0)
    earlier_german = (
        (rng.random(len(person)) < 0.1)
        & (ep.german_level > code(GermanLevel.A0))
        & (ep.german_level < code(GermanLevel.C1))
    )
    german = np.where(earlier_german, ep.german_level - 1, ep.german_level)
    return ep.replace(
        unemployment_months=months.astype(np.int32), german_level=german.astype(np.int32)
    )


def generate_world(
    *, n_people: int, n_offers: int, n_episodes: int, seed: int = 0
) -> SyntheticWorld:
    """Build a synthetic world; the same arguments always give the same world."""
    rng = np.random.default_rng(seed)
    people = draw_profiles(rng, n_people)
    offers_df, quality = generate_offers(rng, n_offers)
    offers = OfferArrays.from_frame(offers_df)
    person = np.sort(rng.integers(0, n_people, n_episodes))
    ep = _episode_profiles(rng, people, person)
    offer_pos = assign_offers(rng, ep, offers)
    treated = offer_pos >= 0
    safe = np.maximum(offer_pos, 0)
    chosen = offers.take(safe)
    p0 = probability_without(ep)
    p1 = np.where(treated, probability_with(ep, chosen, quality[safe]), p0)
    p0_12 = probability_without(ep, months=12)
    p1_12 = np.where(treated, probability_with(ep, chosen, quality[safe], months=12), p0_12)
    employed_6m = rng.random(n_episodes) < p1
    employed_12m = np.where(
        employed_6m,
        rng.random(n_episodes) < 0.85 + 0.1 * p1_12,
        rng.random(n_episodes) < p1_12 * 0.75,
    )
    start = pd.Timestamp(HISTORY_START) + pd.to_timedelta(
        rng.integers(0, HISTORY_DAYS, n_episodes), unit="D"
    )
    episodes = profiles_frame(ep)
    measure_codes = np.where(treated, chosen.measure_type, -1)
    episodes.insert(0, "start_date", start)
    episodes.insert(0, "person_id", person + 1)
    episodes.insert(0, "episode_id", np.arange(1, n_episodes + 1))
    episodes["offer_id"] = pd.array(np.where(treated, chosen.offer_id, 0), dtype="Int64")
    episodes.loc[~treated, "offer_id"] = pd.NA
    episodes["measure_type"] = pd.Categorical.from_codes(
        measure_codes.astype(np.int64), categories=pd.Index([m.value for m in MeasureType])
    )
    episodes["employed_6m"] = employed_6m
    episodes["employed_12m"] = employed_12m
    truth_frame = pd.DataFrame(
        {
            "episode_id": episodes["episode_id"],
            "p_without": p0,
            "p_with_assigned": np.where(treated, p1, np.nan),
            "effect_6m": np.where(treated, p1 - p0, np.nan),
        }
    )
    profiles = profiles_frame(people)
    profiles.insert(0, "person_id", np.arange(1, n_people + 1))
    truth = SyntheticTruth(truth_frame, pd.Series(quality, index=offers_df["offer_id"].to_numpy()))
    return SyntheticWorld(profiles=profiles, offers=offers_df, episodes=episodes, truth=truth)
