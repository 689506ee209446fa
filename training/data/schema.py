"""Plain data records the ML code works on, independent of the database.

The service converts database rows into these records (and DataFrames with exactly these
column names); training, evaluation and the synthetic generator produce and consume them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from pydantic import ConfigDict

import models.columns
from models.enums import District, FocusGroup, Funding, GermanLevel, MeasureType, OfferFormat
from models.profile import ProfileBase


class ProfileRecord(ProfileBase):
    """A pseudonymised jobseeker as the ranker sees it: the profile's columns, nothing else.

    The columns are ``models.profile.ProfileBase``'s (see ``models.columns``), so a field added
    there reaches the ranker without being written down again here.
    """

    model_config = ConfigDict(frozen=True)  # type: ignore[assignment]

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump()

    def replace(self, **changes: Any) -> ProfileRecord:
        """A copy with some columns changed (not validated again, as ``dataclasses.replace``)."""
        unknown = set(changes) - set(type(self).model_fields)
        if unknown:
            raise TypeError(f"unknown profile columns: {sorted(unknown)}")
        return self.model_copy(update=changes)


@dataclass(frozen=True, slots=True)
class OfferRecord:
    """A qualification offer as the ranker sees it.

    The content columns are ``models.offer.OfferBase``'s (``training.data.records`` reads them as
    ``models.columns`` says; ``tests/unit/test_columns.py`` checks the types agree); the others
    come from the offer row and its provider.
    """

    offer_id: int
    title: str
    measure_type: MeasureType
    district: District
    format: OfferFormat
    hours_per_week: int
    part_time_possible: bool
    childcare: bool
    min_german_level: GermanLevel
    duration_weeks: int
    funding: tuple[Funding, ...]
    target_occupations: tuple[str, ...] = ()  # KldB 5-digit codes
    start_dates: tuple[date, ...] = ()
    seats_free: int = 0
    azav_certified: bool = True
    provider_id: int | None = None
    target_groups: tuple[FocusGroup, ...] = field(default=())
    rolling_entry: bool = False  # entry at any time: never too late to start

    def next_start(self, as_of: date) -> date | None:
        """The first start date on or after ``as_of``; None for rolling entry or none left."""
        if self.rolling_entry:
            return None
        return next((d for d in sorted(self.start_dates) if d >= as_of), None)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


PROFILE_COLUMNS: tuple[str, ...] = tuple(c.name for c in models.columns.PROFILE_COLUMNS)
OFFER_COLUMNS: tuple[str, ...] = tuple(OfferRecord.__dataclass_fields__)
