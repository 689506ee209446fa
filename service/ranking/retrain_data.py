"""Training episodes from the database: the current version of each dated outcome, joined to
its recommendation's input snapshot (the person as the counsellor saw them) and the offer taken.

An episode starts when the measure started (participants) or at the decision (no measure); its
label is the employment status 6 months after the measure's end or after the decision, recorded
only once that reference day had passed. Outcomes without a reference day (recorded before
outcomes carried dates) are not training data until they are corrected with dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from models.columns import PROFILE_COLUMNS as SPEC_COLUMNS
from models.enums import OutcomeStatus
from models.offer import Offer
from models.provider import Provider
from models.recommendation import FINAL_ACTIONS, Decision, Outcome, Recommendation
from service.core.clock import local_today
from service.recommendations.catalog import offer_record
from training.data.schema import OFFER_COLUMNS, PROFILE_COLUMNS

TOOK_PART = (OutcomeStatus.STARTED, OutcomeStatus.COMPLETED, OutcomeStatus.DROPPED)
#: Synthetic demo ids are shifted so they never collide with database ids.
SYNTHETIC_ID_OFFSET = 10_000_000
EPISODE_COLUMNS = [*PROFILE_COLUMNS, "person_id", "start_date", "offer_id", "employed_6m"]


def database_offers(session: Session) -> pd.DataFrame:
    """Every offer ever stored (any status): history refers to offers that may be gone now."""
    rows = session.exec(
        select(Offer, Provider.azav_certified).join(
            Provider,
            Provider.id == Offer.provider_id,  # type: ignore[arg-type]
        )
    ).all()
    records = [offer_record(offer, azav_certified=azav).as_dict() for offer, azav in rows]
    return pd.DataFrame(records, columns=list(OFFER_COLUMNS))


def _naive(value: Any) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize(None) if stamp.tzinfo else stamp


def database_episodes(session: Session, *, today: date | None = None) -> pd.DataFrame:
    """One row per current outcome whose 6-month status is known and due, with a snapshot.

    Besides the training columns it carries ``synthetic`` (seeded demo history) so the caller
    can describe where the data came from.
    """
    today = today or local_today()
    decided = (
        select(Decision.request_id, col(Decision.created_at).label("decided_at"))
        .where(col(Decision.action).in_(FINAL_ACTIONS), col(Decision.superseded_at).is_(None))
        .subquery()
    )
    rows = session.exec(
        select(
            Outcome,
            Recommendation.input_snapshot,
            Recommendation.created_at,
            decided.c.decided_at,
        )
        .join(Recommendation, Recommendation.request_id == Outcome.request_id)  # type: ignore[arg-type]
        .outerjoin(decided, decided.c.request_id == Outcome.request_id)
        .where(
            col(Outcome.superseded_at).is_(None),
            col(Outcome.employed_6m).is_not(None),
            col(Outcome.employed_6m_on).is_not(None),
            col(Outcome.employed_6m_on) <= today,
        )
    ).all()
    records = []
    for outcome, snapshot, recommended_at, decided_at in rows:
        if not all(c.name in snapshot for c in SPEC_COLUMNS if c.required):
            continue
        took_part = outcome.status in TOOK_PART and outcome.offer_id is not None
        assigned = outcome.started_on if took_part and outcome.started_on else None
        records.append(
            {
                # A column added after the snapshot was taken has its model default.
                **{c.name: snapshot.get(c.name, c.default) for c in SPEC_COLUMNS},
                "person_id": outcome.profile_id,
                "start_date": _naive(assigned or decided_at or recommended_at),
                "offer_id": outcome.offer_id if took_part else None,
                "employed_6m": bool(outcome.employed_6m),
                "synthetic": bool(outcome.synthetic),
            }
        )
    frame = pd.DataFrame(records, columns=[*EPISODE_COLUMNS, "synthetic"])
    frame["offer_id"] = pd.Series(frame["offer_id"]).astype("Int64")
    frame["employed_6m"] = frame["employed_6m"].astype(bool)
    frame["synthetic"] = frame["synthetic"].astype(bool)
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["target_occupations"] = [list(v or ()) for v in frame["target_occupations"]]
    return frame


def describe_source(source: str, episodes: pd.DataFrame) -> dict[str, Any]:
    """Where the training data came from, for the registry and the model card."""
    dates = pd.to_datetime(episodes["start_date"])
    synthetic = (
        int(episodes["synthetic"].sum())
        if "synthetic" in episodes
        else (len(episodes) if source == "synthetic" else 0)
    )
    labels = {
        "db": _("Datenbank (Empfehlungen, Entscheidungen und datierte Ergebnisse)"),
        "synthetic": "synthetische Demo-Historie (training/synthetic/)",
        "both": _("Datenbank und synthetische Demo-Historie"),
    }
    return {
        "source": source,
        "label": labels[source],
        "n_episodes": len(episodes),
        "n_synthetic": synthetic,
        "first": None if dates.empty else dates.min().date().isoformat(),
        "last": None if dates.empty else dates.max().date().isoformat(),
    }


def combine(
    db_episodes: pd.DataFrame,
    db_offers: pd.DataFrame,
    synthetic_episodes: pd.DataFrame,
    synthetic_offers: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Database history plus synthetic demo history, with the synthetic ids shifted."""
    shifted_eps = synthetic_episodes.copy()
    shifted_offers = synthetic_offers.copy()
    shifted_eps["person_id"] = shifted_eps["person_id"] + SYNTHETIC_ID_OFFSET
    shifted_eps["offer_id"] = (
        pd.Series(shifted_eps["offer_id"]).astype("Int64") + SYNTHETIC_ID_OFFSET
    )
    shifted_eps["synthetic"] = True
    shifted_offers["offer_id"] = shifted_offers["offer_id"] + SYNTHETIC_ID_OFFSET
    columns = [*EPISODE_COLUMNS, "synthetic"]
    parts = [frame[columns] for frame in (db_episodes, shifted_eps) if not frame.empty]
    episodes = pd.concat(parts, ignore_index=True) if parts else db_episodes[columns]
    offers = pd.concat([db_offers, shifted_offers[list(db_offers.columns)]], ignore_index=True)
    episodes["offer_id"] = pd.Series(episodes["offer_id"]).astype("Int64")
    episodes["employed_6m"] = episodes["employed_6m"].astype(bool)  # an empty part is "object"
    episodes["synthetic"] = episodes["synthetic"].astype(bool)
    return episodes, offers
