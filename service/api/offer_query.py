"""Query parameters of ``GET /api/v1/offers``: the catalogue search, each one bounded."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from models.enums import District, Funding, GermanLevel, MeasureType, OfferFormat, OfferStatus
from service.api.schemas import PageQuery
from service.offers.search import OfferFilters, SortOrder


class OfferQuery(PageQuery):
    status: OfferStatus | None = Field(
        default=None, description=_("Nur für Träger und Koordinierungsstelle wirksam")
    )
    measure_type: MeasureType | None = None
    kldb: str | None = Field(
        default=None,
        pattern=r"^\d{2,5}$",
        description=_("Zielberuf: KldB-Präfix mit 2–5 Ziffern (z. B. 821 oder 82101)"),
    )
    district: District | None = Field(default=None, description=_("Stadtbezirk des Angebots"))
    provider_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    needs_review: bool = Field(
        default=False, description=_("Eingereichte und freigegebene Angebote mit offener Änderung")
    )
    q: str | None = Field(
        default=None,
        min_length=2,
        max_length=100,
        description=_(
            "Volltext über Titel und Beschreibung: jedes Wort muss vorkommen "
            "(Teilwort, ohne Groß-/Kleinschreibung)"
        ),
    )
    starts_before: date | None = Field(
        default=None,
        ge=date(2000, 1, 1),
        le=date(2100, 12, 31),
        description=_(
            "Nächster Start ab heute spätestens an diesem Tag (laufender Einstieg zählt als heute)"
        ),
    )
    format: OfferFormat | None = None
    part_time: bool | None = Field(default=None, description=_("Teilzeit möglich"))
    childcare: bool | None = Field(default=None, description=_("Kinderbetreuung vorhanden"))
    funding: Funding | None = Field(default=None, description=_("Förderart, die das Angebot nennt"))
    max_german_level: GermanLevel | None = Field(
        default=None, description=_("Geforderte Deutschkenntnisse höchstens auf dieser Stufe")
    )
    sort: SortOrder | None = Field(
        default=None,
        description=_(
            "`next_start` (nächster Start), `travel` (Fahrzeit ab `from_district`) oder "
            "`id`; ohne Angabe: mit `q` Treffer im Titel zuerst, sonst nach Nummer"
        ),
    )
    from_district: District | None = Field(
        default=None,
        validate_default=True,
        description=_("Wohnbezirk der Person; nötig für `sort=travel`"),
    )

    @field_validator("from_district")
    @classmethod
    def _origin_for_travel(cls, value: District | None, info: ValidationInfo) -> District | None:
        if value is None and info.data.get("sort") == SortOrder.TRAVEL:
            raise PydanticCustomError(
                "from_district_required", _("Für die Sortierung nach Fahrzeit fehlt der Bezirk.")
            )
        return value

    def filters(self) -> OfferFilters:
        return OfferFilters(
            **{name: getattr(self, name) for name in OfferFilters.__dataclass_fields__}
        )
