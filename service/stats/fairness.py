"""Fairness monitoring per focus group: recommendation, acceptance and override rates, the
estimated gain, alerts, and drift of today's profiles against the champion's training data.

Every count is perturbed by the cell key method (:mod:`service.stats.cellkey`) and withheld below
``MIN_COUNT``; rates are shares of perturbed counts, so a group, its complement and ``overall``
no longer subtract to a person. Means are rounded to one decimal and shown only where the
perturbed number behind them reaches ``MIN_COUNT``. Today's feature distributions for the drift
check are shares of perturbed category counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from models.enums import AgeBand, Citizenship, DecisionAction, FocusGroup, Gender, focus_groups
from models.profile import Profile
from models.recommendation import Decision, Recommendation
from service.ranking.registry import current_aliases, get_version
from service.stats.cellkey import Cell, CellKeyMethod
from training.data.schema import PROFILE_COLUMNS
from training.release.drift import drift_report, feature_buckets

RUBBER_STAMP_RATE = 0.95
RUBBER_STAMP_MIN_DECISIONS = 20
GAIN_LAG_RATIO = 0.7


def _groups_of(snapshot: Mapping[str, Any]) -> list[str]:
    try:
        member = focus_groups(
            age_band=AgeBand(snapshot["age_band"]),
            gender=Gender(snapshot["gender"]),
            unemployment_months=int(snapshot["unemployment_months"]),
            citizenship=Citizenship(snapshot["citizenship"]),
            migration_background=bool(snapshot.get("migration_background", False)),
        )
    except (KeyError, ValueError):
        return ["overall"]
    names = ["overall"]
    for group in FocusGroup:
        names.append(group.value if group in member else f"not_{group.value}")
    return names


def _top_effect(items: Sequence[Mapping[str, Any]]) -> float | None:
    if not items:
        return None
    value = items[0].get("effect_pp")
    return float(value) if isinstance(value, int | float) else None


REQUEST_KEY, DECISION_KEY, PROFILE_KEY = "recommendation", "decision", "profile"


class _Tally:
    def __init__(self) -> None:
        self.requests = Cell()
        self.with_items = Cell()
        self.gains = Cell()
        self.gain_sum = 0.0
        self.decisions = Cell()
        self.actions: dict[str, Cell] = defaultdict(Cell)

    def publish(self, method: CellKeyMethod) -> dict[str, Any]:
        requests = method.published(self.requests)
        if requests is None:
            return {"requests": None, "suppressed": True}
        decisions = method.published(self.decisions)
        gains = method.published(self.gains)
        mean_gain = round(self.gain_sum / self.gains.count, 1) if gains is not None else None
        return {
            "requests": requests,
            "suppressed": False,
            "recommendation_rate": method.rate(self.with_items, self.requests),
            "mean_estimated_gain_pp": mean_gain,
            "decisions": decisions,
            "acceptance_rate": method.rate(
                self.actions[DecisionAction.ACCEPTED.value], self.decisions
            ),
            "override_rate": method.rate(
                self.actions[DecisionAction.OVERRIDE.value], self.decisions
            ),
        }


def _tallies(session: Session, method: CellKeyMethod) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    groups_by_request: dict[str, list[str]] = {}
    for request_id, snapshot, items, mode in session.exec(
        select(
            Recommendation.request_id,
            Recommendation.input_snapshot,
            Recommendation.items,
            Recommendation.mode,
        )
    ).all():
        key = method.key(REQUEST_KEY, request_id)
        names = _groups_of(snapshot or {})
        groups_by_request[request_id] = names
        gain = _top_effect(items or []) if mode == "model" else None
        for name in names:
            tally = tallies[name]
            tally.requests.add(key)
            if items:
                tally.with_items.add(key)
            if gain is not None:
                tally.gains.add(key)
                tally.gain_sum += gain
    for decision_id, request_id, action in session.exec(
        # A corrected decision counts once, as corrected.
        select(Decision.id, Decision.request_id, Decision.action).where(
            col(Decision.superseded_at).is_(None)
        )
    ).all():
        key = method.key(DECISION_KEY, decision_id)
        for name in groups_by_request.get(request_id, ["overall"]):
            tallies[name].decisions.add(key)
            tallies[name].actions[str(action)].add(key)
    return tallies


def _alerts(groups: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Alerts from the published (perturbed) figures only, so they reveal nothing more."""
    alerts = []
    overall_gain = groups.get("overall", {}).get("mean_estimated_gain_pp")
    for name, body in groups.items():
        if body.get("suppressed"):
            continue
        rate = body.get("acceptance_rate")
        if (
            rate is not None
            and rate > RUBBER_STAMP_RATE
            and (body.get("decisions") or 0) >= RUBBER_STAMP_MIN_DECISIONS
        ):
            alerts.append(
                {
                    "group": name,
                    "kind": "rubber_stamping",
                    "message": _(
                        "Annahmequote %(rate)s %% – Empfehlungen werden möglicherweise "
                        "ungeprüft übernommen.",
                        rate=f"{100 * rate:.0f}",
                    ),
                }
            )
        gain = body.get("mean_estimated_gain_pp")
        if (
            name != "overall"
            and gain is not None
            and overall_gain is not None
            and overall_gain > 0
            and gain < GAIN_LAG_RATIO * overall_gain
        ):
            alerts.append(
                {
                    "group": name,
                    "kind": "gain_lag",
                    "message": _(
                        "Geschätzter Nutzen %(gain)s pp liegt unter %(share)s %% des "
                        "Durchschnitts (%(overall_gain)s pp).",
                        gain=f"{gain:.1f}",
                        share=f"{100 * GAIN_LAG_RATIO:.0f}",
                        overall_gain=f"{overall_gain:.1f}",
                    ),
                }
            )
    return alerts


def _drift(session: Session, method: CellKeyMethod) -> dict[str, Any]:
    champion = current_aliases(session).get("champion")
    if champion is None:
        return {"model_version": None, "features": {}}
    reference = get_version(session, champion).metrics.get("feature_distributions") or {}
    columns = [getattr(Profile, c) for c in PROFILE_COLUMNS]
    rows = session.exec(select(Profile.pseudonym, *columns)).all()
    keys = [method.key(PROFILE_KEY, row[0]) for row in rows]
    profiles = method.published(Cell.of(keys))
    if profiles is None:
        return {"model_version": champion, "features": {}, "profiles": None}
    import pandas as pd

    frame = pd.DataFrame([row[1:] for row in rows], columns=list(PROFILE_COLUMNS))
    return {
        "model_version": champion,
        "profiles": profiles,
        "features": drift_report(reference, _perturbed_shares(frame, keys, method)),
    }


def _perturbed_shares(
    frame: Any, keys: list[int], method: CellKeyMethod
) -> dict[str, dict[str, float]]:
    """Per feature: category → share of the perturbed category counts."""
    shares: dict[str, dict[str, float]] = {}
    for feature, buckets in feature_buckets(frame).items():
        cells: dict[str, Cell] = defaultdict(Cell)
        for bucket, key in zip(buckets, keys, strict=True):
            cells[str(bucket)].add(key)
        counts = {bucket: method.perturbed(cell) for bucket, cell in cells.items()}
        total = sum(counts.values())
        if total:
            shares[feature] = {bucket: n / total for bucket, n in counts.items()}
    return shares


def fairness_report(session: Session, method: CellKeyMethod | None = None) -> dict[str, Any]:
    """The whole monitoring view; every count is perturbed, no row identifies a person."""
    method = method or CellKeyMethod.for_app()
    tallies = _tallies(session, method)
    order = ["overall"] + [n for g in FocusGroup for n in (g.value, f"not_{g.value}")]
    groups = {name: tallies[name].publish(method) for name in order}
    return {
        "min_count": method.min_count,
        "disclosure_control": method.describe(),
        "thresholds": {
            "rubber_stamp_rate": RUBBER_STAMP_RATE,
            "rubber_stamp_min_decisions": RUBBER_STAMP_MIN_DECISIONS,
            "gain_lag_ratio": GAIN_LAG_RATIO,
        },
        "groups": groups,
        "alerts": _alerts(groups),
        "drift": _drift(session, method),
    }
