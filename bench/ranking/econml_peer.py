"""Library peer of the ranking bench: econml's ``DRLearner`` over measure types.

Bench only (``pip install -e '.[peers]'``), not a runtime dependency. The treatment is the
measure type an episode took (0: none), the features are the ranker's profile block; the
nuisance models are gradient boosting as in the ranker, the final stage econml's default (a
linear model per type). Every offer of a type gets the type's effect, so within a type the
peer's order is arbitrary (the first offer of the catalogue wins a tie).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

from training.data.encoding import FloatArray, OfferArrays, ProfileArrays
from training.data.features import profile_block
from training.evaluation.policy_eval import observed_actions


class EconmlDRPeer:
    def fit(self, episodes: pd.DataFrame, offers: pd.DataFrame) -> EconmlDRPeer:
        from econml.dr import DRLearner

        o = OfferArrays.from_frame(offers)
        x = profile_block(ProfileArrays.from_frame(episodes))
        t = observed_actions(episodes, o) + 1  # 0 = no measure, the control
        y = episodes["employed_6m"].to_numpy(dtype=float)
        self.types_ = np.unique(t[t > 0]) - 1
        self.model_ = DRLearner(
            model_propensity=HistGradientBoostingClassifier(max_iter=100, random_state=0),
            model_regression=HistGradientBoostingRegressor(max_iter=100, random_state=0),
            min_propensity=0.02,
            cv=2,
            random_state=0,
        ).fit(y, t, X=x)
        return self

    def effect(self, p: ProfileArrays, o: OfferArrays) -> FloatArray:
        by_type = np.full((len(p), int(o.measure_type.max()) + 1), np.nan)
        by_type[:, self.types_] = self.model_.const_marginal_effect(profile_block(p))
        result: FloatArray = np.nan_to_num(by_type[:, o.measure_type], nan=-1.0)
        return result
