"""Linear algebra of the effect ranker's stage 2: weighted ridge fit with sandwich covariance,
and effect and variance of (profile, offer) pairs from cached offer-only terms.

The design is [1, profile (head ends here), pair, offer]: with coefficients β and covariance C,
effect = d·β and variance = d'Cd. The offer-only parts (b·β_b, b'C_bb b, C_bh, C_pb b) are
computed once per (model, catalogue); per request only the head and pair terms remain.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

from training.data.encoding import OfferArrays
from training.data.features import PAIR_WIDTH, OfferCatalog

F64 = npt.NDArray[np.float64]


def weighted_ridge(design: F64, target: F64, weight: F64, alpha: float) -> tuple[F64, F64]:
    """Coefficients and heteroscedasticity-robust (sandwich) covariance; intercept unpenalised."""
    weighted = design * weight[:, None]
    gram = design.T @ weighted
    penalty = alpha * weight.sum() / 1000.0 * np.eye(gram.shape[0])
    penalty[0, 0] = 0.0
    bread = np.linalg.pinv(gram + penalty)
    coef = bread @ (weighted.T @ target)
    residual = target - design @ coef
    meat = (design * (weight * residual)[:, None]).T @ (design * (weight * residual)[:, None])
    return coef, bread @ meat @ bread


@cache
def z_score(level: float) -> float:
    return float(norm.ppf(0.5 + level / 2.0))


@dataclass(frozen=True)
class ArmTerms:
    """The offers of one measure type and the parts of their estimate without the profile."""

    rows: npt.NDArray[np.intp]  # positions in the catalogue
    block: F64  # offer descriptors, contiguous
    effect: F64  # b·coef_b
    variance: F64  # b' C_bb b
    cov_block_head: F64  # C_bh, (n_block, h)
    cov_block_pair: F64  # C_pb b per offer, (n, q)


@dataclass(frozen=True)
class OfferTerms:
    coef: F64
    cov: F64
    arms: dict[int, ArmTerms]


def offer_terms(coef: F64, cov: F64, catalog: OfferCatalog) -> OfferTerms:
    width = coef.shape[1]
    block = catalog.block.astype(np.float64)
    b = block.shape[1]
    q = PAIR_WIDTH
    h = width - b - q
    measure = catalog.arrays.measure_type
    arms: dict[int, ArmTerms] = {}
    for arm in np.unique(measure):
        rows = np.flatnonzero(measure == arm)
        c, v = coef[arm], cov[arm]
        bl = np.ascontiguousarray(block[rows])
        arms[int(arm)] = ArmTerms(
            rows=rows,
            block=bl,
            effect=bl @ c[h + q :],
            variance=((bl @ v[h + q :, h + q :]) * bl).sum(1),
            cov_block_head=np.ascontiguousarray(v[h + q :, :h]),
            cov_block_pair=bl @ v[h + q :, h : h + q],
        )
    return OfferTerms(coef, cov, arms)


def grid_estimate(pre: OfferTerms, head: F64, pair: F64) -> tuple[F64, F64]:
    """Effect and variance, shape (profiles, offers), for ``head`` (n, h) and ``pair``
    (n, offers, q) over the whole catalogue of ``pre``."""
    n, m = head.shape[0], pair.shape[1]
    h, q = head.shape[1], pair.shape[2]
    effect = np.zeros((n, m))
    variance = np.zeros((n, m))
    for arm, terms in pre.arms.items():
        coef, cov = pre.coef[arm], pre.cov[arm]
        r = pair[:, terms.rows, :]
        head_pair = head @ cov[h : h + q, :h].T  # (n, q)
        effect[:, terms.rows] = (
            terms.effect[None, :] + (head @ coef[:h])[:, None] + r @ coef[h : h + q]
        )
        variance[:, terms.rows] = (
            terms.variance[None, :]
            + np.einsum("ih,hk,ik->i", head, cov[:h, :h], head)[:, None]
            + 2.0 * (head @ terms.cov_block_head.T) @ terms.block.T
            + 2.0 * np.einsum("ikq,iq->ik", r, head_pair)
            + ((r @ cov[h : h + q, h : h + q]) * r).sum(-1)
            + 2.0 * (r * terms.cov_block_pair[None, :, :]).sum(-1)
        )
    return effect, variance


def row_estimate(
    pre: OfferTerms, head: F64, pair: F64, where: npt.NDArray[np.intp]
) -> tuple[F64, F64]:
    """Effect and variance of one profile (``head`` of shape (h,)) for the offers chosen by
    ``where`` (catalogue position → output position, −1 when not chosen); ``pair`` (k, q)."""
    h, q = head.shape[0], pair.shape[1]
    effect = np.zeros(pair.shape[0])
    variance = np.zeros(pair.shape[0])
    for arm, terms in pre.arms.items():
        out = where[terms.rows]
        chosen = out >= 0
        if not chosen.any():
            continue
        out = out[chosen]
        coef, cov = pre.coef[arm], pre.cov[arm]
        r = pair[out]
        block_head = (terms.block @ (terms.cov_block_head @ head))[chosen]
        effect[out] = terms.effect[chosen] + (head @ coef[:h] + r @ coef[h : h + q])
        variance[out] = (
            terms.variance[chosen]
            + head @ cov[:h, :h] @ head
            + 2.0 * block_head
            + 2.0 * (r @ (cov[h : h + q, :h] @ head))
            + ((r @ cov[h : h + q, h : h + q]) * r).sum(1)
            + 2.0 * (r * terms.cov_block_pair[chosen]).sum(1)
        )
    return effect, variance


def pair_view(o: OfferArrays, rows: npt.NDArray[np.intp]) -> OfferArrays:
    """The offer fields ``pair_block`` reads, for ``rows`` (others are left empty)."""
    empty = o.take(rows[:0])
    return empty.replace(
        target_occupations=o.target_occupations[rows],
        childcare=o.childcare[rows],
        hours_per_week=o.hours_per_week[rows],
        format=o.format[rows],
        part_time_possible=o.part_time_possible[rows],
        min_german_level=o.min_german_level[rows],
    )
