"""The "predicted success" baseline: who usually succeeds, not who gains.

An outcome model P(employed | profile, offer) on participants only, without causal correction;
the retrain's evaluation and the benches compare the effect ranker with it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

from training.data.encoding import FloatArray, OfferArrays, ProfileArrays, by_profile_blocks
from training.data.features import raw_features


class PredictedSuccess:
    """Outcome model P(employed | profile, offer) trained on participants, no causal correction."""

    def __init__(self, *, max_rows: int = 150_000, random_state: int = 0) -> None:
        self.max_rows = max_rows
        self.random_state = random_state

    def fit(self, episodes: pd.DataFrame, offers: pd.DataFrame) -> PredictedSuccess:
        treated = episodes[episodes["offer_id"].notna()]
        if len(treated) > self.max_rows:
            treated = treated.sample(self.max_rows, random_state=self.random_state)
        o = OfferArrays.from_frame(offers)
        pos = pd.Index(o.offer_id).get_indexer(pd.Index(treated["offer_id"].astype("int64")))
        x = raw_features(ProfileArrays.from_frame(treated), o.take(pos))
        self.model_ = HistGradientBoostingClassifier(
            max_iter=150, learning_rate=0.1, random_state=self.random_state
        ).fit(x, treated["employed_6m"].to_numpy())
        return self

    def score(self, p: ProfileArrays, o: OfferArrays) -> FloatArray:
        return by_profile_blocks(p, lambda block: self._score_block(block, o))

    def _score_block(self, p: ProfileArrays, o: OfferArrays) -> FloatArray:
        rows = np.repeat(np.arange(len(p)), len(o))
        cols = np.tile(np.arange(len(o)), len(p))
        proba = self.model_.predict_proba(raw_features(p.take(rows), o.take(cols)))[:, 1]
        result: FloatArray = proba.reshape(len(p), len(o))
        return result
