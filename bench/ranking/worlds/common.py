"""Shared machinery of the bench worlds: people and offers as ``training.synthetic`` draws them,
episodes in its columns; only the effect model and the counsellors' assignment differ per world.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from models.columns import code
from models.enums import MeasureType
from training.data.encoding import FloatArray, OfferArrays, ProfileArrays, broadcast_grid
from training.synthetic.catalog import generate_offers
from training.synthetic.people import draw_profiles, profiles_frame
from training.synthetic.world import HISTORY_DAYS, HISTORY_START, _episode_profiles, _field_of
from training.synthetic.world import _sample_within as sample_within

N_TYPES = len(MeasureType)
#: Codes of the measure types that train towards an occupation, in the order the worlds'
#: per-type tables list their values.
TRAINING_TYPES = [
    code(MeasureType.UMSCHULUNG),
    code(MeasureType.TEILQUALIFIZIERUNG),
    code(MeasureType.ANPASSUNGSQUALIFIZIERUNG),
    code(MeasureType.GRUNDBILDUNG),
    code(MeasureType.EINSTIEGSQUALIFIZIERUNG),
    code(MeasureType.ASSISTIERTE_AUSBILDUNG),
    code(MeasureType.BERUFSVORBEREITUNG),
]
CHUNK = 256


class EffectModel(Protocol):
    """A world's truth: latent trait, baseline, effects (pp) and counsellors' utilities."""

    def latent(self, rng: np.random.Generator, p: ProfileArrays) -> FloatArray: ...

    def baseline_logit(self, p: ProfileArrays, latent: FloatArray) -> FloatArray: ...

    def effect_pp(self, p: ProfileArrays, o: OfferArrays, quality: FloatArray) -> FloatArray: ...

    def utilities(self, p: ProfileArrays, latent: FloatArray) -> FloatArray: ...


def sigmoid(x: FloatArray) -> FloatArray:
    result: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return result


@dataclass(frozen=True)
class BenchWorld:
    name: str
    model: EffectModel
    profiles: pd.DataFrame
    offers: pd.DataFrame
    episodes: pd.DataFrame
    latent: pd.Series  # per person_id, never a column of any frame
    quality: pd.Series  # hidden offer quality (pp) per offer_id

    def true_effects(self, profiles_df: pd.DataFrame, offers_df: pd.DataFrame) -> FloatArray:
        """True gain in P(employed at 6 months) for every (person, offer), fractions."""
        p = ProfileArrays.from_frame(profiles_df)
        o = OfferArrays.from_frame(offers_df)
        z = self.latent.reindex(profiles_df["person_id"].to_numpy()).to_numpy(dtype=float)
        quality = self.quality.reindex(o.offer_id).fillna(0.0).to_numpy(dtype=float)
        out = np.empty((len(p), len(o)))
        for start in range(0, len(p), CHUNK):
            rows = np.arange(start, min(start + CHUNK, len(p)))
            grid_p, grid_o = broadcast_grid(p.take(rows), o)
            base = sigmoid(self.model.baseline_logit(grid_p, z[rows][:, None]))
            with_ = np.clip(
                base + self.model.effect_pp(grid_p, grid_o, quality[None, :]) / 100, 0.01, 0.97
            )
            out[rows] = with_ - base
        return out


def assign(
    rng: np.random.Generator,
    model: EffectModel,
    p: ProfileArrays,
    z: FloatArray,
    o: OfferArrays,
    match_share: float,
) -> np.ndarray:
    """Offer position per episode (-1: none): a type by Gumbel-max, then an offer of that type,
    of the person's target field with probability ``match_share``."""
    available = np.bincount(o.measure_type, minlength=N_TYPES) > 0
    u = model.utilities(p, z)
    u[:, 1:][:, ~available] = -np.inf
    types = (np.argmax(u + rng.gumbel(size=u.shape), axis=1) - 1).astype(np.int64)
    by_type, _ = sample_within(rng, o.measure_type.astype(np.int64), types)
    offer_field = _field_of(o.target_occupations[:, 0])
    person_field = _field_of(p.target_occupations[:, 0])
    matched, found = sample_within(
        rng, o.measure_type * 100 + offer_field + 1, types * 100 + person_field + 1
    )
    use_match = found & (rng.random(len(p)) < match_share)
    result: np.ndarray = np.where(types >= 0, np.where(use_match, matched, by_type), -1)
    return result


def build_world(
    name: str,
    model: EffectModel,
    *,
    n_episodes: int,
    seed: int,
    n_offers: int = 1000,
    n_people: int | None = None,
    match_share: float = 0.6,
) -> BenchWorld:
    """Same arguments, same world. Columns as ``training.synthetic.generate_world``'s.

    Without ``n_people``, about five episodes per person (at least 200 people).
    """
    if n_people is None:
        n_people = max(n_episodes // 5, 200)
    rng = np.random.default_rng([seed, sum(map(ord, name))])
    people = draw_profiles(rng, n_people)
    latent = model.latent(rng, people)
    offers_df, quality = generate_offers(rng, n_offers)
    offers = OfferArrays.from_frame(offers_df)
    person = np.sort(rng.integers(0, n_people, n_episodes))
    ep = _episode_profiles(rng, people, person)
    z = latent[person]
    pos = assign(rng, model, ep, z, offers, match_share)
    treated = pos >= 0
    safe = np.maximum(pos, 0)
    chosen = offers.take(safe)
    p0 = sigmoid(model.baseline_logit(ep, z))
    p1 = np.where(
        treated, np.clip(p0 + model.effect_pp(ep, chosen, quality[safe]) / 100, 0.01, 0.97), p0
    )
    employed_6m = rng.random(n_episodes) < p1
    employed_12m = np.where(
        employed_6m, rng.random(n_episodes) < 0.9, rng.random(n_episodes) < 0.75 * p1
    )
    start = pd.Timestamp(HISTORY_START) + pd.to_timedelta(
        rng.integers(0, HISTORY_DAYS, n_episodes), unit="D"
    )
    episodes = profiles_frame(ep)
    episodes.insert(0, "start_date", start)
    episodes.insert(0, "person_id", person + 1)
    episodes.insert(0, "episode_id", np.arange(1, n_episodes + 1))
    episodes["offer_id"] = pd.array(np.where(treated, chosen.offer_id, 0), dtype="Int64")
    episodes.loc[~treated, "offer_id"] = pd.NA
    codes = np.where(treated, chosen.measure_type, -1).astype(np.int64)
    episodes["measure_type"] = pd.Categorical.from_codes(
        codes, categories=pd.Index([m.value for m in MeasureType])
    )
    episodes["employed_6m"] = employed_6m
    episodes["employed_12m"] = employed_12m
    profiles = profiles_frame(people)
    profiles.insert(0, "person_id", np.arange(1, n_people + 1))
    ids = np.arange(1, n_people + 1)
    return BenchWorld(
        name=name,
        model=model,
        profiles=profiles,
        offers=offers_df,
        episodes=episodes,
        latent=pd.Series(latent, index=ids),
        quality=pd.Series(quality, index=offers_df["offer_id"].to_numpy()),
    )
