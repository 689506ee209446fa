"""Quality and duplicate flags for the review queue. Flags inform the reviewer; they never block.

A flag is ``{"code", "message", ...}``; a duplicate flag also names the other offer and a score.
Likely duplicates are offers (of another provider, or of the same one: ``possible_duplicate_own``)
with the same measure type and district, overlapping date ranges and a similar title
(rapidfuzz token-set ratio on normalised titles).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from models.enums import MeasureType, OfferStatus
from models.offer import Offer, OfferBase
from service.offers.fields import content_of

DUPLICATE_THRESHOLD = 0.86
# Offers a duplicate may collide with: visible to jobseekers now or soon.
LIVE_STATUSES = (OfferStatus.SUBMITTED, OfferStatus.APPROVED, OfferStatus.CHANGES_REQUESTED)

# Plausible length in weeks per measure type, generous around DOMAIN.md's typical lengths.
PLAUSIBLE_WEEKS: dict[MeasureType, tuple[int, int]] = {
    MeasureType.UMSCHULUNG: (52, 160),
    MeasureType.TEILQUALIFIZIERUNG: (6, 30),
    MeasureType.ANPASSUNGSQUALIFIZIERUNG: (1, 30),
    MeasureType.AKTIVIERUNG_COACHING: (1, 16),
    MeasureType.BERUFSSPRACHKURS: (8, 32),
    MeasureType.INTEGRATIONSKURS: (16, 45),
    MeasureType.GRUNDBILDUNG: (6, 30),
    MeasureType.EINSTIEGSQUALIFIZIERUNG: (16, 56),
    MeasureType.BERUFSVORBEREITUNG: (8, 56),
    MeasureType.ASSISTIERTE_AUSBILDUNG: (4, 208),
    MeasureType.TEILZEITAUSBILDUNG: (104, 240),
    MeasureType.ANERKENNUNG: (4, 78),
    MeasureType.WIEDEREINSTIEG: (4, 52),
    MeasureType.TEILHABE_AM_ARBEITSMARKT: (26, 260),
}

RECOMMENDED = {
    "description": _("Beschreibung fehlt."),
    "certificate": _("Abschluss/Zertifikat fehlt."),
    "target_occupations": _("Zielberufe (KldB) fehlen."),
    "start_dates": _("Starttermine fehlen."),
}
_NON_WORD = re.compile(r"[^\w]+")
_NUMBER = re.compile(r"\d+")


def flag(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **extra}


def duration_flag(content: OfferBase) -> dict[str, Any] | None:
    low, high = PLAUSIBLE_WEEKS[content.measure_type]
    if low <= content.duration_weeks <= high:
        return None
    return flag(
        "implausible_duration",
        _(
            "Dauer von %(duration_weeks)s Wochen ist für %(measure_type)s ungewöhnlich (üblich: "
            "%(low)s–%(high)s Wochen).",
            duration_weeks=content.duration_weeks,
            measure_type=content.measure_type.value,
            low=low,
            high=high,
        ),
        expected_weeks=[low, high],
    )


def content_flags(content: OfferBase, *, today: date) -> list[dict[str, Any]]:
    """Flags that depend on the offer alone."""
    flags = [
        flag("missing_" + name, message)
        for name, message in RECOMMENDED.items()
        if not getattr(content, name) and not (name == "start_dates" and content.rolling_entry)
    ]
    past = [d for d in content.start_dates if d < today]
    if past:
        flags.append(
            flag(
                "start_in_past",
                _("%(count)s Starttermin(e) liegen in der Vergangenheit.", count=len(past)),
                dates=[d.isoformat() for d in past],
            )
        )
    if content.seats_total == 0 or content.seats_free == 0:
        flags.append(flag("no_seats", _("Keine (freien) Plätze angegeben.")))
    duration = duration_flag(content)
    if duration:
        flags.append(duration)
    return flags


def normalise_title(title: str) -> str:
    return _NON_WORD.sub(" ", title.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Candidate:
    offer_id: int
    provider_id: int
    title: str  # normalised
    first: date | None
    last: date | None
    occupations: frozenset[str]


def date_range(content: OfferBase) -> tuple[date | None, date | None]:
    if not content.start_dates:
        return None, None
    last = content.end_date or content.start_dates[-1] + timedelta(weeks=content.duration_weeks)
    return content.start_dates[0], max(last, content.start_dates[-1])


def _overlap(a: tuple[date | None, date | None], b: tuple[date | None, date | None]) -> bool:
    if None in a or None in b:
        return True  # unknown dates cannot rule a duplicate out
    return a[0] <= b[1] and b[0] <= a[1]  # type: ignore[operator]


def similarity(title_a: str, title_b: str, occ_a: frozenset[str], occ_b: frozenset[str]) -> float:
    """0–1 on normalised titles. Different numbers ("Modul 1" vs "Modul 2") and disjoint target
    occupations (when both are given) point to different offers and lower the score."""
    score = fuzz.token_set_ratio(title_a, title_b) / 100
    if _NUMBER.findall(title_a) != _NUMBER.findall(title_b):
        score *= 0.85
    if occ_a and occ_b and not occ_a & occ_b:
        score *= 0.85
    return score


class DuplicateIndex:
    """Live offers grouped by (measure type, district). Built from a list, or (``load``) empty
    and bound to a session: then each block is read from the database the first time an offer
    of that measure type and district is checked, so a one-row import does not read the whole
    catalogue.
    """

    def __init__(self, offers: Iterable[Offer], *, session: Session | None = None) -> None:
        self._blocks: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        self._session = session
        self._loaded: set[tuple[str, str]] = set()
        for offer in offers:
            self.add(offer)

    @classmethod
    def load(cls, session: Session) -> DuplicateIndex:
        return cls((), session=session)

    def _block(self, key: tuple[str, str]) -> list[Candidate]:
        if self._session is not None and key not in self._loaded:
            self._loaded.add(key)
            query = select(Offer).where(
                col(Offer.status).in_([s.value for s in LIVE_STATUSES]),
                Offer.measure_type == key[0],
                Offer.district == key[1],
            )
            for offer in self._session.exec(query):
                self.add(offer)
        return self._blocks.get(key, [])

    def add(self, offer: Offer) -> None:
        assert offer.id is not None
        content = content_of(offer)
        first, last = date_range(content)
        self._blocks[(str(offer.measure_type), str(offer.district))].append(
            Candidate(
                offer.id,
                offer.provider_id,
                normalise_title(content.title),
                first,
                last,
                frozenset(content.target_occupations),
            )
        )

    def matches(
        self, content: OfferBase, *, provider_id: int, offer_id: int | None = None
    ) -> list[dict[str, Any]]:
        title = normalise_title(content.title)
        span = date_range(content)
        occupations = frozenset(content.target_occupations)
        found = []
        block = self._block((content.measure_type.value, content.district.value))
        for other in block:
            if other.offer_id == offer_id:
                continue
            if not _overlap(span, (other.first, other.last)):
                continue
            score = similarity(title, other.title, occupations, other.occupations)
            if score >= DUPLICATE_THRESHOLD:
                found.append((score, other))
        found.sort(key=lambda pair: -pair[0])
        return [
            _duplicate_flag(score, other, own=other.provider_id == provider_id)
            for score, other in found[:3]
        ]


def _duplicate_flag(score: float, other: Candidate, *, own: bool) -> dict[str, Any]:
    # An own near-copy is as confusing for counsellors as another provider's (three identical
    # cards cannot be told apart), so it is flagged too, with its own code.
    whose = _("eigenes Angebot") if own else _("Angebot eines anderen Trägers")
    return flag(
        "possible_duplicate_own" if own else "possible_duplicate",
        _(
            "Ähnliches %(whose)s (Nr. %(offer_id)s, Ähnlichkeit %(score)s).",
            whose=whose,
            offer_id=other.offer_id,
            score=f"{score:.0%}",
        ),
        offer_id=other.offer_id,
        provider_id=other.provider_id,
        score=round(score, 3),
    )


def compute_flags(
    session: Session,
    content: OfferBase,
    *,
    provider_id: int,
    offer_id: int | None,
    today: date,
    index: DuplicateIndex | None = None,
) -> list[dict[str, Any]]:
    """All flags for one offer's content; pass ``index`` when flagging many offers at once."""
    if index is None:
        index = DuplicateIndex.load(session)
    return content_flags(content, today=today) + index.matches(
        content, provider_id=provider_id, offer_id=offer_id
    )


def warnings_of(flags: list[dict[str, Any]]) -> list[str]:
    return [f["message"] for f in flags]
