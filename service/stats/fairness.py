"""Fairness monitoring per focus group: recommendation, acceptance and override rates, the
estimated gain, alerts, and drift of today's profiles against the champion's training data.

Rates and means are published only for groups with at least ``MIN_COUNT`` people behind them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, select

from models.enums import AgeBand, Citizenship, DecisionAction, FocusGroup, Gender, focus_groups
from models.profile import Profile
from models.recommendation import Decision, Recommendation
from service.registry import current_aliases, get_version
from service.stats.suppression import MIN_COUNT
from training.drift import drift_report, feature_distributions
from training.schema import PROFILE_COLUMNS

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


class _Tally:
    def __init__(self) -> None:
        self.requests = 0
        self.with_items = 0
        self.gains: list[float] = []
        self.decisions = 0
        self.actions: dict[str, int] = defaultdict(int)

    def publish(self) -> dict[str, Any]:
        if self.requests < MIN_COUNT:
            return {"requests": None, "suppressed": True}
        body: dict[str, Any] = {
            "requests": self.requests,
            "suppressed": False,
            "recommendation_rate": self.with_items / self.requests,
            "mean_estimated_gain_pp": (
                sum(self.gains) / len(self.gains) if len(self.gains) >= MIN_COUNT else None
            ),
            "decisions": self.decisions if self.decisions >= MIN_COUNT else None,
            "acceptance_rate": None,
            "override_rate": None,
        }
        if self.decisions >= MIN_COUNT:
            body["acceptance_rate"] = self.actions[DecisionAction.ACCEPTED.value] / self.decisions
            body["override_rate"] = self.actions[DecisionAction.OVERRIDE.value] / self.decisions
        return body


def _tallies(session: Session) -> dict[str, _Tally]:
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
        names = _groups_of(snapshot or {})
        groups_by_request[request_id] = names
        gain = _top_effect(items or []) if mode == "model" else None
        for name in names:
            tally = tallies[name]
            tally.requests += 1
            tally.with_items += bool(items)
            if gain is not None:
                tally.gains.append(gain)
    for request_id, action in session.exec(select(Decision.request_id, Decision.action)).all():
        for name in groups_by_request.get(request_id, ["overall"]):
            tallies[name].decisions += 1
            tallies[name].actions[str(action)] += 1
    return tallies


def _alerts(groups: dict[str, dict[str, Any]], tallies: dict[str, _Tally]) -> list[dict[str, Any]]:
    alerts = []
    overall_gain = groups.get("overall", {}).get("mean_estimated_gain_pp")
    for name, body in groups.items():
        if body.get("suppressed"):
            continue
        rate = body.get("acceptance_rate")
        if (
            rate is not None
            and rate > RUBBER_STAMP_RATE
            and (tallies[name].decisions >= RUBBER_STAMP_MIN_DECISIONS)
        ):
            alerts.append(
                {
                    "group": name,
                    "kind": "rubber_stamping",
                    "message": f"Annahmequote {100 * rate:.0f} % – Empfehlungen werden "
                    "möglicherweise ungeprüft übernommen.",
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
                    "message": f"Geschätzter Nutzen {gain:.1f} pp liegt unter "
                    f"{100 * GAIN_LAG_RATIO:.0f} % des Durchschnitts ({overall_gain:.1f} pp).",
                }
            )
    return alerts


def _drift(session: Session) -> dict[str, Any]:
    champion = current_aliases(session).get("champion")
    if champion is None:
        return {"model_version": None, "features": {}}
    reference = get_version(session, champion).metrics.get("feature_distributions") or {}
    rows = session.exec(select(*[getattr(Profile, c) for c in PROFILE_COLUMNS])).all()
    if len(rows) < MIN_COUNT:
        return {"model_version": champion, "features": {}, "profiles": None}
    import pandas as pd

    current = feature_distributions(pd.DataFrame(rows, columns=list(PROFILE_COLUMNS)))
    return {
        "model_version": champion,
        "profiles": len(rows),
        "features": drift_report(reference, current),
    }


def fairness_report(session: Session) -> dict[str, Any]:
    """The whole monitoring view; no row identifies a person."""
    tallies = _tallies(session)
    order = ["overall"] + [n for g in FocusGroup for n in (g.value, f"not_{g.value}")]
    groups = {name: tallies[name].publish() for name in order}
    return {
        "min_count": MIN_COUNT,
        "thresholds": {
            "rubber_stamp_rate": RUBBER_STAMP_RATE,
            "rubber_stamp_min_decisions": RUBBER_STAMP_MIN_DECISIONS,
            "gain_lag_ratio": GAIN_LAG_RATIO,
        },
        "groups": groups,
        "alerts": _alerts(groups, tallies),
        "drift": _drift(session),
    }
