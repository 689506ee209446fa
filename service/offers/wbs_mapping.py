"""One course-database run (*Termin*) as offer content, provider data and review flags.

Pure translation, no database: :mod:`service.offers.wbs_import` matches providers and stores.
Mapping (reference: docs/offer-import.md): teaching form → format, lesson time → hours and part
time, duration band → weeks (upper bound of the band), dates, cost, funding, the organisation's
contact channels. A contact person's name is never read; an e-mail address that contains it is
dropped too, because it would carry the name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from models.contact import EMAIL_PATTERN, PHONE_PATTERN, POSTCODE_PATTERN, WEB_URL_PATTERN
from models.enums import District, Funding, MeasureType, OfferFormat
from service.offers.districts import locate
from service.offers.wbs_classify import Classification, classify
from service.offers.wbs_format import RawRun, get, integer, iso_date, number, text

REF_PREFIX = "WBS-"
F = OfferFormat
TEACHING_FORMS: dict[int, OfferFormat] = (
    {i: F.IN_PERSON for i in range(101, 106)}
    | {i: F.ONLINE for i in (201, 202, 203, 204, 205, 206)}
    | {i: F.BLENDED for i in range(301, 305)}
    | {i: F.ONLINE for i in range(401, 404)}  # distance learning: no classroom in Krefeld
)
# Upper bound of each duration band in weeks (0 "on request" has none).
DURATION_WEEKS: dict[int, int] = {2: 1, 3: 5, 4: 13, 5: 26, 6: 52, 7: 104, 8: 156, 9: 208}
FULL_TIME_HOURS, PART_TIME_HOURS, EVENING_HOURS = 35, 20, 10
DEFAULT_WEEKS = 4
MAX_COST_EUR = 1_000_000.0
LIMITS = {"title": 200, "description": 5000, "certificate": 200, "funding_note": 500}


@dataclass(frozen=True, slots=True)
class ProviderData:
    name: str
    street: str
    postcode: str
    city: str
    latitude: float | None
    longitude: float | None
    phone: str
    email: str
    website: str
    contact_role: str

    def as_values(self) -> dict[str, Any]:
        """The contact columns; the name is how a provider is matched, so it is set apart."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "name"}


@dataclass
class Run:
    """What one Termin becomes; ``errors`` non-empty means the run is not imported."""

    row: int
    source: str
    ref: str | None
    values: dict[str, Any] = field(default_factory=dict)
    provider: ProviderData | None = None
    classification: Classification | None = None
    flags: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def error(self, column: str | None, code: str, message: str) -> None:
        self.errors.append({"column": column, "code": code, "message": message})

    def flag(self, code: str, message: str, **extra: Any) -> None:
        self.flags.append({"code": code, "message": message, **extra})


def shaped(value: str, pattern: str, limit: int) -> str:
    """``value`` if it has the shape the models accept, else empty (a channel left out)."""
    return value if len(value) <= limit and re.fullmatch(pattern, value) else ""


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def plain(html: str) -> str:
    """Course descriptions come as HTML fragments; keep the text."""
    # striptags only reads the markup; the result is plain text, never rendered as HTML.
    return " ".join(Markup(html).striptags().split())  # noqa: S704


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if c.isalnum())


def _person_words(contact: dict[str, Any]) -> list[str]:
    names = [text(contact, key) for key in ("vorname", "nachname", "name", "titel")]
    words = [w for n in names for w in re.split(r"[\s\-.]+", n)]
    return [_fold(w) for w in words if len(_fold(w)) >= 3]


def contacts(termin: dict[str, Any]) -> tuple[str, str, str, str]:
    """Phone, e-mail, web page and role of the first contact that has a channel."""
    found = get(termin, "ansprechpartner")
    entries = [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []
    for contact in entries:
        phone = " ".join(
            p for p in (text(contact, "telefonVorwahl"), text(contact, "telefonDurchwahl")) if p
        )
        email = text(contact, "email")
        local = _fold(email.split("@")[0])
        if any(word in local for word in _person_words(contact)):
            email = ""  # a personal address: it carries the staff member's name
        website = text(contact, "homepage")
        if website.startswith("www."):
            website = "https://" + website
        phone = shaped(phone, PHONE_PATTERN, 40)
        email = shaped(email, EMAIL_PATTERN, 200)
        website = shaped(website, WEB_URL_PATTERN, 300)
        if phone or email or website:
            return phone, email, website, _role(contact)[:100]
    return "", "", "", ""


def _role(contact: dict[str, Any]) -> str:
    roles = get(contact, "rollen")
    if isinstance(roles, list):
        return ", ".join(text(r, "bezeichnung") for r in roles if text(r, "bezeichnung"))
    return text(roles, "bezeichnung") if isinstance(roles, dict) else ""


def _provider(termin: dict[str, Any]) -> ProviderData | None:
    name = text(termin, "angebot", "bildungsanbieter", "name") or text(
        termin, "adresse", "bezeichnung"
    )
    if len(name) < 2:
        return None
    place = get(termin, "adresse", "ortStraße") or get(termin, "adresse", "ortStrasse")
    phone, email, website, role = contacts(termin)
    return ProviderData(
        name=name[:200],
        street=text(termin, "adresse", "strasse")[:200],
        postcode=shaped(text(place, "plz"), POSTCODE_PATTERN, 10),
        city=text(place, "name")[:100],
        latitude=_within(number(get(termin, "adresse", "koordinaten", "lat")), 90),
        longitude=_within(number(get(termin, "adresse", "koordinaten", "lon")), 180),
        phone=phone,
        email=email,
        website=website,
        contact_role=role,
    )


def _within(value: float | None, bound: float) -> float | None:
    return value if value is not None and -bound <= value <= bound else None


def map_run(raw: RawRun) -> Run:
    termin = raw.data
    termin_id = integer(termin.get("id"))
    run = Run(raw.row, raw.source, f"{REF_PREFIX}{termin_id}" if termin_id is not None else None)
    if termin_id is None or termin_id < 0:
        run.error("id", "missing_id", _("Termin ohne gültige id – nicht importierbar."))
        return run
    run.provider = _provider(termin)
    if run.provider is None:
        run.error("angebot.bildungsanbieter.name", "missing_provider", _("Anbieter fehlt."))
        return run
    if not _place(run):
        return run
    title = text(termin, "angebot", "titel")
    certificate = text(termin, "angebot", "abschlussbezeichnung") or text(
        termin, "angebot", "abschlussart"
    )
    content = plain(text(termin, "angebot", "inhalt"))
    kind = f"{text(termin, 'angebot', 'abschlussart')} {certificate}"
    run.classification = classify(title, kind, content)
    run.values |= {
        "external_ref": run.ref,
        "title": _clip(title, LIMITS["title"]),
        "description": _clip(content, LIMITS["description"]),
        "certificate": _clip(certificate, LIMITS["certificate"]),
        "measure_type": run.classification.measure_type,
        "language": "de",
        "registration_url": shaped(text(termin, "link"), WEB_URL_PATTERN, 500),
        "funding_note": _clip(text(termin, "angebot", "foerderung"), LIMITS["funding_note"]),
    }
    _format(run, termin)
    _schedule(run, termin)
    _dates(run, termin)
    _money(run, termin)
    _seats(run, termin)
    if not run.classification.confident:
        hint = run.classification.suggestion
        run.flag(
            "wbs_unclassified",
            _("Maßnahmeart nicht sicher erkennbar")
            + (_(" (Hinweis im Inhalt: %(hint)s)", hint=hint.value) if hint else "")
            + _(
                "; vorläufig %(measure_type)s – bitte prüfen.",
                measure_type=run.classification.measure_type.value,
            ),
        )
    return run


def _place(run: Run) -> bool:
    provider = run.provider
    assert provider is not None
    where = locate(provider.postcode or None, provider.latitude, provider.longitude)
    if where.outside:
        place = " ".join(p for p in (provider.postcode, provider.city) if p)
        run.error(
            "adresse.ortStraße.plz",
            "outside_krefeld",
            _("außerhalb Krefelds (%(place)s).", place=place),
        )
        return False
    if where.district is None:
        run.error("adresse", "missing_place", _("Kursort fehlt (weder PLZ noch Koordinaten)."))
        return False
    if where.uncertain:
        run.flag(
            "wbs_district_uncertain",
            _(
                "PLZ %(postcode)s reicht in mehrere Stadtbezirke; ohne Koordinaten vorläufig "
                "%(district)s – bitte prüfen.",
                postcode=provider.postcode,
                district=where.district.value,
            ),
        )
    run.values["district"] = District(where.district)
    return True


def _format(run: Run, termin: dict[str, Any]) -> None:
    form_id = integer(get(termin, "unterrichtsform", "id"))
    known = TEACHING_FORMS.get(form_id) if form_id is not None else None
    if known is None:
        label = text(termin, "unterrichtsform", "bezeichnung") or _("keine Angabe")
        run.flag(
            "wbs_unknown_teaching_form",
            _(
                "Unbekannte Unterrichtsform (%(form_id)s, %(label)s); vorläufig Präsenz – bitte "
                "prüfen.",
                form_id=form_id,
                label=label,
            ),
        )
    run.values["format"] = known or F.IN_PERSON


def _schedule(run: Run, termin: dict[str, Any]) -> None:
    time_id = integer(get(termin, "unterrichtszeit", "id"))
    if time_id == 1:
        hours, part_time = FULL_TIME_HOURS, False
    elif time_id == 2:
        hours, part_time = PART_TIME_HOURS, True
    elif time_id is not None:  # evenings, weekends, alongside work
        hours, part_time = EVENING_HOURS, True
    else:
        hours, part_time = FULL_TIME_HOURS, False
        run.flag(
            "wbs_assumed_hours", _("Unterrichtszeit fehlt; Vollzeit angenommen – bitte prüfen.")
        )
    weeks = DURATION_WEEKS.get(integer(get(termin, "dauer", "id")) or -1)
    if weeks is None:
        weeks = _weeks_between(iso_date(termin.get("beginn")), iso_date(termin.get("ende")))
    if weeks is None:
        weeks = DEFAULT_WEEKS
        run.flag(
            "wbs_assumed_duration",
            _(
                "Dauer fehlt; %(default_weeks)s Wochen angenommen – bitte prüfen.",
                default_weeks=DEFAULT_WEEKS,
            ),
        )
    run.values |= {"hours_per_week": hours, "part_time_possible": part_time}
    run.values["duration_weeks"] = min(weeks, 260)


def _weeks_between(start: date | None, end: date | None) -> int | None:
    if start is None or end is None or end < start:
        return None
    return max(1, -(-((end - start).days + 1) // 7))


def _dates(run: Run, termin: dict[str, Any]) -> None:
    rolling = termin.get("individuellerEinstieg") is True
    start = iso_date(termin.get("beginn"))
    run.values |= {
        "rolling_entry": rolling,
        "start_dates": [start] if start and not rolling else [],
        "end_date": iso_date(termin.get("ende")) if not rolling else None,
        "registration_deadline": iso_date(termin.get("anmeldeschluss")),
    }


def _money(run: Run, termin: dict[str, Any]) -> None:
    cost = number(termin.get("kostenWert"))
    currency = text(termin, "kostenWaehrung").upper()
    if cost is not None and (cost < 0 or cost > MAX_COST_EUR or currency not in ("", "EUR")):
        run.flag("wbs_cost_ignored", _("Kostenangabe unplausibel oder nicht in Euro; weggelassen."))
        cost = None
    run.values["cost_eur"] = round(cost, 2) if cost is not None else None
    funding: list[Funding] = []
    if termin.get("foerderung") is True:
        coaching = run.values["measure_type"] == MeasureType.AKTIVIERUNG_COACHING
        funding.append(Funding.AVGS if coaching else Funding.BILDUNGSGUTSCHEIN)
    run.values["funding"] = funding


def _seats(run: Run, termin: dict[str, Any]) -> None:
    seats = integer(termin.get("teilnehmerMax"))
    seats = seats if seats is not None and 0 <= seats <= 10_000 else 0
    run.values |= {"seats_total": seats, "seats_free": seats}
