"""Pure machine learning: features, effect model, ranker, evaluation, synthetic worlds.

``fit_ranker`` (contract) fits exactly what ``qualimatch retrain`` registers as a candidate.
"""

from training.release.selection import fit_ranker

__all__ = ["fit_ranker"]
