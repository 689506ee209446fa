"""Convert rows (DataFrame rows, stored profiles and offers, snapshots) into records.

Each column is read as ``models.columns`` says (enum member, flag, count, codes, …), so no
column is listed here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from models.columns import OFFER, PROFILE_COLUMNS, ColumnSpec
from training.data.schema import OfferRecord, ProfileRecord

#: The offer content columns an ``OfferRecord`` carries, read as the offer model says.
OFFER_RECORD_COLUMNS: tuple[ColumnSpec, ...] = tuple(
    OFFER[name] for name in OfferRecord.__dataclass_fields__ if name in OFFER
)


def _values(columns: tuple[ColumnSpec, ...], r: Any) -> dict[str, Any]:
    """The columns present on ``r`` (attributes), each read as its spec says."""
    return {c.name: c.coerce(getattr(r, c.name)) for c in columns if hasattr(r, c.name)}


def profile_record(r: Any) -> ProfileRecord:
    """A profile record from anything with its fields as attributes (a row, a stored profile)."""
    return ProfileRecord.model_validate(_values(PROFILE_COLUMNS, r))


def offer_values(r: Any) -> dict[str, Any]:
    """The ``OfferRecord`` content columns of an offer (a row or a stored offer)."""
    return _values(OFFER_RECORD_COLUMNS, r)


def _offer(r: Any) -> OfferRecord:
    return OfferRecord(
        **offer_values(r),
        offer_id=int(r.offer_id),
        azav_certified=bool(r.azav_certified),
        provider_id=None if pd.isna(r.provider_id) else int(r.provider_id),
    )


def profile_records(df: pd.DataFrame) -> list[ProfileRecord]:
    return [profile_record(r) for r in df.itertuples()]


def offer_records(df: pd.DataFrame) -> list[OfferRecord]:
    return [_offer(r) for r in df.itertuples()]
