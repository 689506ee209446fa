"""Counsellors' catalogue search (a plain GET form over the API's search) and the result cards
that the override picker on the recommendation page shows too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from pydantic import ValidationError
from sqlmodel import Session, col, select
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, Optional

from models.enums import District, Funding, GermanLevel, MeasureType, OfferFormat, Role
from models.offer import Offer
from models.provider import Provider
from service.api.offer_query import OfferQuery
from service.core.clock import local_today
from service.core.db import get_session
from service.core.domain_errors import validation_details
from service.offers.csv_format import CellError, parse_date
from service.offers.search import search_offers
from service.web.auth import role_required, web_user
from service.web.forms import CHOOSE, GermanForm, options
from service.web.labels import choices

bp = Blueprint("catalogue", __name__, url_prefix="/beratung")
PAGE_SIZE = 20
OCCUPATION = re.compile(r"^\s*(\d{2,5})\b")
SORTS = [
    ("next_start", _("nächster Start")),
    ("travel", _("Fahrzeit ab Wohnbezirk")),
    ("id", _("Nummer")),
]


def _optional(label: str, enum: Any) -> SelectField:
    return SelectField(
        label,
        choices=options([("", "alle"), *choices(enum)]),
        validators=[Optional()],
        invalid_choice_message=CHOOSE,
    )


def _text(label: str, max_length: int, description: str = "") -> StringField:
    return StringField(
        label, description=description, validators=[Optional(), Length(max=max_length)]
    )


class SearchForm(GermanForm):
    """The filters of ``GET /api/v1/offers``, as a GET form (nothing changes, so no CSRF)."""

    class Meta:
        csrf = False
        locales = ("de_DE", "de")

    q = _text(_("Suchbegriff"), 100)
    occupation = _text(
        _("Zielberuf"),
        200,
        _("Beruf eintippen und aus der Liste wählen, oder 2–5 Ziffern der KldB."),
    )
    measure_type = _optional(_("Art der Maßnahme"), MeasureType)
    district = _optional(_("Stadtbezirk des Angebots"), District)
    starts_before = _text(
        _("Start spätestens am"), 10, _("TT.MM.JJJJ; laufender Einstieg zählt als sofort.")
    )
    format = _optional(_("Durchführungsform"), OfferFormat)
    funding = _optional(_("Finanzierung"), Funding)
    max_german_level = _optional(_("Deutschkenntnisse höchstens"), GermanLevel)
    part_time = BooleanField(_("Teilzeit möglich"))
    childcare = BooleanField(_("Kinderbetreuung angeboten"))
    sort = SelectField(_("Sortierung"), choices=options(SORTS), validators=[Optional()])
    from_district = _optional(_("Wohnbezirk der Person"), District)

    def query_values(self) -> dict[str, Any]:
        """Values for :class:`OfferQuery`; raises ``ValueError`` naming a field it cannot read."""
        values: dict[str, Any] = {
            name: getattr(self, name).data or None
            for name in ("q", "measure_type", "district", "format", "funding", "sort")
        }
        values |= {
            "max_german_level": self.max_german_level.data or None,
            "from_district": self.from_district.data or None,
            "part_time": True if self.part_time.data else None,
            "childcare": True if self.childcare.data else None,
        }
        text = (self.occupation.data or "").strip()
        if text:
            match = OCCUPATION.match(text)
            if match is None:
                raise FieldProblem(
                    "occupation", _("Bitte einen Beruf aus der Vorschlagsliste wählen.")
                )
            values["kldb"] = match.group(1)
        when = (self.starts_before.data or "").strip()
        if when:
            try:
                values["starts_before"] = parse_date(when)
            except CellError:
                raise FieldProblem("starts_before", _("Datum als TT.MM.JJJJ angeben.")) from None
        return {k: v for k, v in values.items() if v is not None}


class FieldProblem(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Card:
    id: int
    title: str
    provider: str
    district: str
    next_start: date | None
    rolling_entry: bool
    format: str
    funding: list[str]
    measure_type: str


@dataclass(frozen=True, slots=True)
class Results:
    cards: list[Card]
    total: int
    offset: int


def run_search(form: SearchForm, *, offset: int = 0, limit: int = PAGE_SIZE) -> Results | None:
    """The search the form asks for; ``None`` (and errors on the form) when it is invalid."""
    try:
        query = OfferQuery.model_validate(form.query_values() | {"limit": limit, "offset": offset})
    except FieldProblem as exc:
        getattr(form, exc.field).errors = [exc.message]
        return None
    except ValidationError as exc:
        for detail in validation_details(exc):
            field = getattr(form, str(detail["field"] or "q"), form.q)
            message = detail["message"]
            if detail["code"] == "from_district_required":
                message = _("Für die Sortierung nach Fahrzeit den Wohnbezirk wählen.")
            field.errors = [*list(field.errors or []), message]
        return None
    session = get_session()
    rows, total = search_offers(
        session, query.filters(), user=web_user(), limit=query.limit, offset=query.offset
    )
    return Results(cards=cards_of(session, rows), total=total, offset=query.offset)


def cards_of(session: Session, rows: list[Offer], *, today: date | None = None) -> list[Card]:
    today = today or local_today()
    ids = {o.provider_id for o in rows}
    names = dict(
        session.execute(select(Provider.id, Provider.name).where(col(Provider.id).in_(ids))).all()
    )
    return [
        Card(
            id=int(o.id or 0),
            title=o.title,
            provider=str(names.get(o.provider_id, "")),
            district=str(o.district),
            next_start=next((d for d in o.start_dates if d >= today), None),
            rolling_entry=bool(o.rolling_entry),
            format=str(o.format),
            funding=[str(f) for f in o.funding],
            measure_type=str(o.measure_type),
        )
        for o in rows
    ]


def _page() -> int:
    raw = request.args.get("seite", "1")
    return max(1, min(int(raw), 500)) if raw.isdigit() else 1


@bp.route("/katalog")
@role_required(Role.COUNSELLOR)
def search() -> Any:
    form = SearchForm(formdata=request.args or None)
    searched = bool(request.args)
    results = None
    page = _page()
    if form.validate():
        results = run_search(form, offset=(page - 1) * PAGE_SIZE)
    status = 422 if form.errors else 200
    args = MultiDict(request.args)
    args.pop("seite", None)
    return render_template(
        "counsellor/catalogue.html",
        form=form,
        results=results,
        searched=searched,
        page=page,
        page_size=PAGE_SIZE,
        args=args,
    ), status
