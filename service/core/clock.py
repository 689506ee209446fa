"""The calendar date as Krefeld sees it.

Start dates, deadlines and "today" on a handout are local dates; the server may run in UTC,
where the date changes one or two hours later than in Krefeld.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def local_today(now: datetime | None = None) -> date:
    """Today's date in Krefeld (``now`` must be timezone-aware when given)."""
    return (now or datetime.now(BERLIN)).astimezone(BERLIN).date()
