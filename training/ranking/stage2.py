"""Linear algebra of the effect ranker's stage 2: weighted ridge fit with sandwich covariance,
and effect and variance of (profile, offer) pairs from cached offer-only terms.

The design is [1, profile (head ends here), pair, offer]: with coefficients β and covariance C,
effect = d·β and variance = d'Cd, computed in one place (``estimate``) for the whole
catalogue and for one request alike. The offer-only parts (b·β_b, b'C_bb b, C_bh, C_pb b) are
computed once per (model, catalogue); per request only the head and pair terms remain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

from training.data.encoding import OfferArrays
from training.data.features import PAIR_WIDTH, OfferCatalog

F64 = npt.NDArray[np.float64]


def ridge_bread(design: F64, weight: F64, alpha: float) -> F64:
    """(X'WX + penalty)⁻¹ of the weighted ridge; the intercept is unpenalised."""
    gram = design.T @ (design * weight[:, None])
    penalty = alpha * weight.sum() / 1000.0 * np.eye(gram.shape[0])
    penalty[0, 0] = 0.0
    bread: F64 = np.linalg.pinv(gram + penalty)
    return bread


def ridge_fit(design: F64, target: F64, weight: F64, alpha: float) -> tuple[F64, F64, F64]:
    """Coefficients, bread and residuals of the weighted ridge regression."""
    bread = ridge_bread(design, weight, alpha)
    coef = bread @ ((design * weight[:, None]).T @ target)
    return coef, bread, target - design @ coef


def weighted_ridge(design: F64, target: F64, weight: F64, alpha: float) -> tuple[F64, F64]:
    """Coefficients and heteroscedasticity-robust (sandwich) covariance; intercept unpenalised."""
    coef, bread, residual = ridge_fit(design, target, weight, alpha)
    meat = (design * (weight * residual)[:, None]).T @ (design * (weight * residual)[:, None])
    return coef, bread @ meat @ bread


def bootstrap_covariance(
    design: F64,
    weight: F64,
    bread: F64,
    residual: F64,
    person: npt.NDArray[np.intp],
    draws: Sequence[tuple[F64, F64]] = (),
) -> F64:
    """Covariance of the ridge coefficients under a bootstrap over people, both stages.

    A draw gives every person a multiplier ω (mean 1, variance 1), refits stage 1 with these
    weights — which shifts the pseudo-outcomes by Δψ — and refits stage 2 with them. To first
    order the coefficients move by A + S, with A = bread·X'W((ω − 1)·residual) (stage 2) and
    S = bread·X'W·Δψ (stage 1; exact for fixed stage-2 weights). E[AA'] is the person-clustered
    sandwich, computed exactly (the limit of infinitely many draws); the rest,
    E[SS' + AS' + SA'], is averaged over the stage-1 refits in ``draws`` (pairs of Δψ and ω
    per row). Returned symmetric and positive semi-definite.
    """
    score = design * (weight * residual)[:, None]
    order = np.argsort(person, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(person[order]) != 0])
    per_person = np.add.reduceat(score[order], starts, axis=0)
    cov = bread @ (per_person.T @ per_person) @ bread
    if draws:
        extra = np.zeros_like(cov)
        for shift, multiplier in draws:
            s = bread @ (design.T @ (weight * shift))
            a = bread @ (design.T @ (weight * (multiplier - 1.0) * residual))
            extra += np.outer(s, s) + np.outer(a, s) + np.outer(s, a)
        cov = cov + extra / len(draws)
    values, vectors = np.linalg.eigh((cov + cov.T) / 2.0)
    result: F64 = (vectors * np.maximum(values, 0.0)) @ vectors.T
    return result


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


def estimate(
    pre: OfferTerms, head: F64, pair: F64, where: npt.NDArray[np.intp] | None = None
) -> tuple[F64, F64]:
    """Effect d·β and variance d'Cd, shape (profiles, k), of ``head`` (n, h) with ``pair``
    (n, k, q) for the offers chosen by ``where`` (catalogue position → column of ``pair``,
    −1 when not chosen; the whole catalogue in its order when ``None``)."""
    n, k = head.shape[0], pair.shape[1]
    h, q = head.shape[1], pair.shape[2]
    effect = np.zeros((n, k))
    variance = np.zeros((n, k))
    chosen: slice | npt.NDArray[np.bool_]
    for arm, terms in pre.arms.items():
        if where is None:
            out, chosen = terms.rows, slice(None)
        else:
            out = where[terms.rows]
            mask = out >= 0
            if not mask.any():
                continue
            out, chosen = out[mask], mask
        coef, cov = pre.coef[arm], pre.cov[arm]
        r = pair[:, out, :]
        head_pair = head @ cov[h : h + q, :h].T  # (n, q)
        block_head = (head @ terms.cov_block_head.T) @ terms.block.T  # (n, offers of arm)
        effect[:, out] = (
            terms.effect[chosen][None, :] + (head @ coef[:h])[:, None] + r @ coef[h : h + q]
        )
        variance[:, out] = (
            terms.variance[chosen][None, :]
            + ((head @ cov[:h, :h]) * head).sum(1)[:, None]
            + 2.0 * block_head[:, chosen]
            + 2.0 * (r @ head_pair[:, :, None])[..., 0]
            + ((r @ cov[h : h + q, h : h + q]) * r).sum(-1)
            + 2.0 * (r * terms.cov_block_pair[chosen][None, :, :]).sum(-1)
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
