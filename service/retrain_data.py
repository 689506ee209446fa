"""Training episodes from the database: outcomes joined to their recommendation's input
snapshot (the profile as it was when the counsellor asked) and to the offer taken."""

from __future__ import annotations

import pandas as pd
from sqlmodel import Session, col, select

from models.enums import OutcomeStatus
from models.offer import Offer
from models.provider import Provider
from models.recommendation import Outcome, Recommendation
from service.catalog import offer_record
from training.schema import OFFER_COLUMNS, PROFILE_COLUMNS

TOOK_PART = (OutcomeStatus.STARTED, OutcomeStatus.COMPLETED, OutcomeStatus.DROPPED)
#: Synthetic demo ids are shifted so they never collide with database ids.
SYNTHETIC_ID_OFFSET = 10_000_000


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


def database_episodes(session: Session) -> pd.DataFrame:
    """One row per outcome with a known 6-month result and a recommendation snapshot."""
    rows = session.exec(
        select(Outcome, Recommendation.input_snapshot, Recommendation.created_at)
        .join(Recommendation, Recommendation.request_id == Outcome.request_id)  # type: ignore[arg-type]
        .where(col(Outcome.employed_6m).is_not(None))
    ).all()
    records = []
    for outcome, snapshot, created_at in rows:
        if not all(name in snapshot for name in PROFILE_COLUMNS):
            continue
        took_part = outcome.status in TOOK_PART and outcome.offer_id is not None
        records.append(
            {
                **{name: snapshot[name] for name in PROFILE_COLUMNS},
                "person_id": outcome.profile_id,
                "start_date": pd.Timestamp(created_at).tz_localize(None)
                if pd.Timestamp(created_at).tzinfo
                else pd.Timestamp(created_at),
                "offer_id": outcome.offer_id if took_part else None,
                "employed_6m": bool(outcome.employed_6m),
            }
        )
    frame = pd.DataFrame(
        records,
        columns=[*PROFILE_COLUMNS, "person_id", "start_date", "offer_id", "employed_6m"],
    )
    frame["offer_id"] = pd.Series(frame["offer_id"]).astype("Int64")
    frame["target_occupations"] = [list(v or ()) for v in frame["target_occupations"]]
    return frame


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
    shifted_offers["offer_id"] = shifted_offers["offer_id"] + SYNTHETIC_ID_OFFSET
    columns = list(db_episodes.columns)
    episodes = pd.concat([db_episodes, shifted_eps[columns]], ignore_index=True)
    offers = pd.concat([db_offers, shifted_offers[list(db_offers.columns)]], ignore_index=True)
    episodes["offer_id"] = pd.Series(episodes["offer_id"]).astype("Int64")
    return episodes, offers
