"""Catalogue search: the filters and orders of ``GET /api/v1/offers`` as one SQL query.

Full text is a case-insensitive substring match of every word over title and description, the
same on both databases: PostgreSQL answers it from trigram indexes on ``lower(title)`` and
``lower(description)`` (migration 0008); SQLite narrows the candidates with its FTS5 trigram
index ``offer_text`` (migration 0009) and checks them with its own LIKE, which ignores case for
ASCII only, so umlauts are spelled both ways ("ärzt" also as "Ärzt"). Substrings rather
than stemmed words, because German compounds ("Pflegehelfer") should match their parts.

Start dates are read from ``offer.next_start`` where that stored value is exact for the day
asked (migration 0009), else from ``offer_start`` (one row per date); both are kept by database
triggers. An offer with rolling entry counts as starting today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Date,
    String,
    case,
    cast,
    column,
    false,
    literal,
    literal_column,
    or_,
    table,
    true,
)
from sqlmodel import Session, col, func, select, update

from models.enums import District, Funding, GermanLevel, MeasureType, OfferFormat, OfferStatus
from models.offer import TEXT_INDEX_TABLE, Offer, OfferStart
from models.user import User
from service.core.clock import local_today
from service.offers import access
from training.ranking.eligibility import minutes_from

MAX_WORDS = 8
MAX_CASE_VARIANTS = 8
TRIGRAM = 3  # the trigram index finds words of at least three characters

_TEXT_INDEX = table(TEXT_INDEX_TABLE, column("rowid"))


class SortOrder(StrEnum):
    ID = "id"
    NEXT_START = "next_start"
    TRAVEL = "travel"


@dataclass(frozen=True, slots=True)
class OfferFilters:
    status: OfferStatus | None = None
    measure_type: MeasureType | None = None
    kldb: str | None = None
    district: District | None = None
    provider_id: int | None = None
    needs_review: bool = False
    q: str | None = None
    starts_before: date | None = None
    format: OfferFormat | None = None
    part_time: bool | None = None
    childcare: bool | None = None
    funding: Funding | None = None
    max_german_level: GermanLevel | None = None
    sort: SortOrder | None = None
    from_district: District | None = None


def search_offers(
    session: Session,
    filters: OfferFilters,
    *,
    user: User,
    limit: int,
    offset: int,
    today: date | None = None,
) -> tuple[list[Offer], int]:
    """One page of the offers ``user`` may see that match ``filters``, and the total."""
    today = today or local_today()
    dialect = session.get_bind().dialect.name
    matches = access.scoped(select(col(Offer.id)), user)
    for condition in _conditions(filters, dialect=dialect, today=today):
        matches = matches.where(condition)
    order = _order(filters, dialect=dialect, today=today)
    if order and dialect == "postgresql":
        ids, total = _page_and_window_count(session, matches, order, limit=limit, offset=offset)
    else:
        total = _count(session, matches)
        ordered = matches.order_by(*order, col(Offer.id)).limit(limit).offset(offset)
        ids = [int(offer_id) for offer_id in session.exec(ordered)]
    # Ids first, whole rows for the page only: sorting and skipping narrow rows is cheaper.
    by_id = {o.id: o for o in session.exec(select(Offer).where(col(Offer.id).in_(ids)))}
    return [by_id[offer_id] for offer_id in ids], total


def _page_and_window_count(
    session: Session, matches: Any, order: list[Any], *, limit: int, offset: int
) -> tuple[list[int], int]:
    """The page's ids and the total in one pass: the sort reads every match anyway."""
    page = matches.add_columns(func.count().over()).order_by(*order, col(Offer.id))
    hits = list(session.execute(page.limit(limit).offset(offset)))
    if not hits:  # past the last page the window has no row to report the total on
        return [], _count(session, matches) if offset else 0
    return [int(offer_id) for offer_id, _ in hits], int(hits[0][1])


def refresh_next_starts(session: Session, *, today: date | None = None) -> int:
    """Recompute the stored next start of the offers whose stored one has passed (the database
    triggers write it again), so the search finds it without the lookup; run daily. Returns how
    many offers were refreshed; does not commit."""
    today = today or local_today()
    result = session.execute(
        update(Offer)
        .where(col(Offer.next_start) < today)
        .values(start_dates=col(Offer.start_dates))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _count(session: Session, query: Any) -> int:
    return int(session.exec(select(func.count()).select_from(query.subquery())).one())


def words_of(q: str) -> list[str]:
    return list(dict.fromkeys(q.lower().split()))[:MAX_WORDS]


def _conditions(filters: OfferFilters, *, dialect: str, today: date) -> list[Any]:
    conditions: list[Any] = []
    equal = {
        Offer.status: filters.status,
        Offer.measure_type: filters.measure_type,
        Offer.district: filters.district,
        Offer.provider_id: filters.provider_id,
        Offer.format: filters.format,
        Offer.part_time_possible: filters.part_time,
        Offer.childcare: filters.childcare,
    }
    conditions += [column == value for column, value in equal.items() if value is not None]
    if filters.needs_review:
        conditions.append(_needs_review())
    if filters.kldb:
        # JSON arrays are stored as text like ["82101", "51312"]: a prefix is '"<kldb>'.
        conditions.append(_json_text(Offer.target_occupations).contains(f'"{filters.kldb}'))
    if filters.funding:
        conditions.append(_json_text(Offer.funding).contains(f'"{filters.funding.value}"'))
    if filters.max_german_level:
        levels = list(GermanLevel)
        allowed = levels[: levels.index(filters.max_german_level) + 1]
        conditions.append(col(Offer.min_german_level).in_([lv.value for lv in allowed]))
    if filters.q:
        conditions += [_word_matches(word, dialect) for word in words_of(filters.q)]
    if filters.starts_before:
        conditions.append(_starts_by(filters.starts_before, today=today))
    return conditions


def _order(filters: OfferFilters, *, dialect: str, today: date) -> list[Any]:
    if filters.sort == SortOrder.TRAVEL and filters.from_district:
        return [_travel_minutes(filters.from_district), _next_start(today).nulls_last()]
    if filters.sort == SortOrder.NEXT_START:
        return [_next_start(today).nulls_last()]
    if filters.q and filters.sort is None:
        in_title = [_like(Offer.title, word, dialect) for word in words_of(filters.q)]
        return [case((_all(in_title), 0), else_=1)]
    return []


def _json_text(column: Any) -> Any:
    return cast(col(column), String)


def _pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _like(column: Any, word: str, dialect: str) -> Any:
    if dialect == "postgresql":  # the expression of the trigram indexes
        return func.lower(col(column)).like(_pattern(word), escape="\\")
    variants = _case_variants(word)
    if variants is None:  # unusual letters: Python's lower() (service.core.db), slower but exact
        return func.lower(col(column)).like(_pattern(word), escape="\\")
    # SQLite's LIKE ignores case for ASCII only; spelling out the other letters both ways gives
    # the same matches as lower() without calling into Python for every row.
    return or_(*(col(column).like(_pattern(v), escape="\\") for v in variants))


def _case_variants(word: str) -> list[str] | None:
    """``word`` with each non-ASCII letter in lower and upper case; None if that is unsafe or
    there are too many combinations."""
    variants = [""]
    for char in word:
        upper = char.upper()
        if char.isascii() or upper == char:
            options = [char]
        elif len(upper) == 1 and upper.lower() == char:
            options = [char, upper]
        else:
            return None
        variants = [v + option for v in variants for option in options]
        if len(variants) > MAX_CASE_VARIANTS:
            return None
    return variants


def _word_matches(word: str, dialect: str) -> Any:
    matches = or_(_like(Offer.title, word, dialect), _like(Offer.description, word, dialect))
    if dialect == "sqlite" and len(word) >= TRIGRAM:
        return _text_candidates(word) & matches
    return matches


def _text_candidates(word: str) -> Any:
    """Offers whose lowered title or description holds ``word`` by SQLite's trigram index
    (migration 0009): a superset of the LIKE matches, found without a scan."""
    phrase = '"' + word.replace('"', '""') + '"'
    found = select(_TEXT_INDEX.c.rowid).where(literal_column(TEXT_INDEX_TABLE).op("MATCH")(phrase))
    return col(Offer.id).in_(found)


def _all(conditions: list[Any]) -> Any:
    result: Any = true()
    for condition in conditions:
        result = result & condition
    return result


def _rolling() -> Any:
    return col(Offer.rolling_entry).is_(True)


def _stored_is_exact(today: date) -> Any:
    """Whether ``offer.next_start`` (migration 0009) is the next start on or after ``today``:
    it was computed from a day no later than ``today`` and has not passed since."""
    stored = col(Offer.next_start)
    return (col(Offer.next_start_from) <= today) & (stored.is_(None) | (stored >= today))


def _next_start(today: date) -> Any:
    """The next start on or after ``today`` (today for rolling entry), or NULL; the stored
    value where it is exact, else a lookup in ``offer_start``."""
    upcoming = (
        select(func.min(OfferStart.start_date))
        .where(OfferStart.offer_id == Offer.id, col(OfferStart.start_date) >= today)
        .scalar_subquery()
    )
    return case(
        (_rolling(), literal(today, Date)),
        (_stored_is_exact(today), col(Offer.next_start)),
        else_=upcoming,
    )


def _starts_by(before: date, *, today: date) -> Any:
    if before < today:
        return false()
    window = select(OfferStart.offer_id).where(
        col(OfferStart.start_date) >= today, col(OfferStart.start_date) <= before
    )
    stored = col(Offer.next_start)
    by_stored = case(
        (_stored_is_exact(today), stored.is_not(None) & (stored <= before)),
        else_=col(Offer.id).in_(window),
    )
    return or_(_rolling(), by_stored)


def _travel_minutes(origin: District) -> Any:
    minutes = minutes_from(origin)
    by_district = case(
        {district.value: value for district, value in minutes.items()},
        value=col(Offer.district),
        else_=max(minutes.values()),
    )
    return case((col(Offer.format) == OfferFormat.ONLINE.value, 0), else_=by_district)


def _needs_review() -> Any:
    pending = cast(col(Offer.pending_changes), String)
    return or_(
        col(Offer.status) == OfferStatus.SUBMITTED,
        (col(Offer.status) == OfferStatus.APPROVED)
        & col(Offer.pending_changes).is_not(None)
        & (pending != "null"),
    )
