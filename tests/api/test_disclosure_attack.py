"""The attack that solved suppressed cells back, run against everything the API publishes.

A population of 300 synthetic profiles (with recommendations and decisions) is published through
coverage JSON, coverage CSV and fairness JSON; one profile and one recommendation are added and
everything is fetched again. A linear program over both snapshots (non-negative finest-cell
counts, one added record) then bounds every true count below 5 behind a published figure: each
table cell of every focus group, and each fairness count. With the
cell key method no such count may be pinned to within ±1; with the perturbation switched off
(``D = 0``) the same attack recovers counts exactly, so the test can fail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from flask import Flask
from sqlmodel import Session

from models.enums import DecisionAction, DecisionReason, RankingMode, Role
from models.profile import Profile, profile_focus_groups
from models.recommendation import Decision, Recommendation
from service.core.config import get_settings
from service.core.db import get_engine
from service.core.security import pseudonym
from service.ranking import registry
from service.stats import cellkey
from service.stats.coverage import needed_families
from tests.api.disclosure_attack import (
    PROFILE_CELLS,
    REQUEST_CELLS,
    Attack,
    ProfileCell,
    RequestCell,
    request_coefficients,
    true_counts,
)
from tests.factories import Factory
from training.synthetic.people import draw_profiles, profiles_frame

pytestmark = pytest.mark.slow  # the attacks query many tables many times

POPULATION = 300
SNAPSHOT_FIELDS = ("age_band", "gender", "unemployment_months", "citizenship")
ACTIONS = [a.value for a in DecisionAction]


@dataclass
class World:
    profiles: list[ProfileCell]
    requests: list[RequestCell]
    new_profile: ProfileCell
    attack: Attack


def _groups(profile: Profile) -> frozenset[str]:
    return frozenset(g.value for g in profile_focus_groups(profile))


def _profile_cell(profile: Profile) -> ProfileCell:
    families = frozenset(f.value for f in needed_families(profile))
    return ProfileCell(str(profile.district), _groups(profile), families)


def _add_person(
    session: Session, row: dict[str, Any], number: int, owner: int, rng: np.random.Generator
) -> tuple[ProfileCell, RequestCell]:
    row = dict(row)
    row["last_occupation"] = (
        row["last_occupation"] if isinstance(row["last_occupation"], str) else None
    )
    row["target_occupations"] = list(row["target_occupations"])
    key = get_settings().pseudonym_key
    profile = Profile(**row, pseudonym=pseudonym(f"KR-{number:06d}", key=key), owner_id=owner)
    session.add(profile)
    session.flush()
    items = bool(rng.random() < 0.85)
    request_id = str(uuid.UUID(int=number))
    snapshot = {f: getattr(profile, f) for f in SNAPSHOT_FIELDS} | {
        "migration_background": profile.migration_background
    }
    session.add(
        Recommendation(
            request_id=request_id,
            profile_id=profile.id,
            mode=RankingMode.MODEL,
            input_snapshot={
                k: str(v) if not isinstance(v, bool | int) else v for k, v in snapshot.items()
            },
            items=[{"rank": 1, "offer_id": 1, "effect_pp": float(rng.normal(5, 2))}]
            if items
            else [],
        )
    )
    action = None
    if rng.random() < 0.3:
        action = str(rng.choice(ACTIONS, p=[0.6, 0.15, 0.2, 0.05]))
        session.flush()
        session.add(
            Decision(
                request_id=request_id,
                profile_id=profile.id,
                action=action,
                reason_code=DecisionReason.FITS_GOALS,
            )
        )
    return _profile_cell(profile), RequestCell(_groups(profile), items, action)


def _publish(client: Any, headers: dict[str, str], attack: Attack | None, snapshot: int) -> Attack:
    coverage = client.get("/api/v1/stats/coverage", headers=headers).get_json()
    if attack is None:
        control = coverage["disclosure_control"]
        attack = Attack(max_deviation=control["max_deviation"], min_count=control["min_count"])
    attack.read_coverage(snapshot, coverage)
    text = client.get("/api/v1/stats/coverage.csv", headers=headers).get_data(as_text=True)
    attack.read_coverage_csv(snapshot, text)
    attack.read_fairness(snapshot, client.get("/api/v1/stats/fairness", headers=headers).get_json())
    return attack


def _world(app: Flask) -> World:
    with app.app_context():
        return _build_world(app)


def _build_world(app: Flask) -> World:
    factory = Factory(app)
    owner = factory.actor(Role.COUNSELLOR).user.id
    coordinator = factory.actor(Role.COORDINATOR)
    rng = np.random.default_rng(15)
    rows = profiles_frame(draw_profiles(rng, POPULATION + 1)).to_dict(orient="records")
    profiles, requests = [], []
    with Session(get_engine(app)) as s:
        for number, row in enumerate(rows[:POPULATION], start=1):
            p, r = _add_person(s, row, number, owner, rng)
            profiles.append(p)
            requests.append(r)
        registry.register_version(
            s,
            artifact=b"a",
            library_versions={},
            gates={"passed": True},
            version="2026-01-01.1",
            metrics={"feature_distributions": {"gender": {"m": 0.5, "f": 0.5}}},
        )
        registry.promote(s, "2026-01-01.1")
        s.commit()
    client = app.test_client()
    attack = _publish(client, coordinator.headers, None, 1)
    with Session(get_engine(app)) as s:
        new_profile, _ = _add_person(s, rows[POPULATION], POPULATION + 1, owner, rng)
        s.commit()
    _publish(client, coordinator.headers, attack, 2)
    return World(profiles, requests, new_profile, attack)


def _small_targets(world: World) -> list[tuple[str, str, np.ndarray, int]]:
    """Every published count of snapshot 1 between 1 and 4: (label, block, coefficients, true)."""
    x = true_counts(world.profiles, PROFILE_CELLS)
    r = true_counts(world.requests, REQUEST_CELLS)
    candidates: list[tuple[str, str, np.ndarray]] = []
    for f in world.attack.figures[1]:
        candidates.append(("published", f.block, f.coefficients))
    for name in {
        "overall",
        *(
            n
            for g in ("youth", "long_term_unemployed", "women", "migrants")
            for n in (g, f"not_{g}")
        ),
    }:
        for what in ("with_items", "accepted", "override"):
            candidates.append(("fairness", "request", request_coefficients(name, what)))
    seen: set[tuple[str, bytes]] = set()
    targets = []
    for label, block, coefficients in candidates:
        value = int(coefficients @ (x if block == "profile" else r))
        signature = (block, coefficients.tobytes())
        if 1 <= value <= 4 and signature not in seen:
            seen.add(signature)
            targets.append((label, block, coefficients, value))
    return targets


@pytest.fixture(scope="module")
def perturbed_world(sqlite_app: Flask) -> World:
    from tests.conftest import _empty_tables

    _empty_tables(get_engine(sqlite_app))
    return _world(sqlite_app)


def test_no_count_below_five_is_pinned_across_tables_and_snapshots(perturbed_world):
    targets = _small_targets(perturbed_world)
    assert len(targets) >= 50  # the population has plenty of small cells to attack

    ranges = []
    for label, block, coefficients, value in targets:
        low, high = perturbed_world.attack.relaxed_range(block, coefficients)
        assert low <= value <= high  # the attacker's program does contain the truth
        ranges.append((high - low, label, value))

    assert min(ranges)[0] >= 3, min(ranges)


def test_the_same_attack_recovers_counts_without_perturbation(sqlite_app, monkeypatch):
    from tests.conftest import _empty_tables

    monkeypatch.setattr(cellkey, "default_table", lambda: cellkey.PerturbationTable(0, 0))
    _empty_tables(get_engine(sqlite_app))
    world = _world(sqlite_app)

    exact = 0
    for _, block, coefficients, value in _small_targets(world):
        exact += world.attack.relaxed_range(block, coefficients) == (value, value)
        if exact == 10:
            break

    assert exact == 10
