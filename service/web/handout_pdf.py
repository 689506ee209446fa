"""The handout as a PDF (fpdf2 with the bundled DejaVu Sans; Arabic shaped with HarfBuzz).

The texts are the handout catalogue's, in the locale the caller forced; offer data (titles,
provider names, funding notes) stay as the provider wrote them. Arabic pages are set right to
left: HarfBuzz joins the letters and fpdf2's bidi algorithm orders mixed Arabic/Latin lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from flask_babel import gettext
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from service.recommendations.handout import OfferView
from service.web.filters import decimal, enum_label, german_date
from service.web.i18n import RIGHT_TO_LEFT

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
LINE = 5.6
NOT_LISTED = gettext(
    "Dieses Angebot ist derzeit nicht ausgeschrieben. Bitte fragen Sie beim Träger nach."
)


class _Handout(FPDF):
    def __init__(self, lang: str) -> None:
        super().__init__(format="A4")
        self.rtl = lang in RIGHT_TO_LEFT
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        if self.rtl:
            self.set_text_shaping(use_shaping_engine=True, script="arab", language="ar")
        self.set_lang(lang)
        self.set_title(gettext("Ihre Angebote zur Qualifizierung"))
        self.set_creator("qualimatch Krefeld")

    def paragraph(self, text: str, *, size: float = 10.5, bold: bool = False) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(
            0,
            LINE * size / 10.5,
            text,
            align=Align.R if self.rtl else Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def fact(self, label: str, lines: Sequence[str]) -> None:
        lines = [line for line in lines if line]
        if not lines:
            return
        self.paragraph(label, size=9.5, bold=True)
        for line in lines:
            self.paragraph(line)
        self.ln(1)


def _number(pdf: _Handout, phone: str) -> str:
    """In right-to-left text a plain space would split "02151 654321" into two runs shown in
    reverse order; a no-break space joins the digit groups into one left-to-right number."""
    return phone.replace(" ", "\u00a0") if pdf.rtl else phone


def _start(offer: OfferView) -> list[str]:
    if offer.rolling_entry:
        lines = [gettext("laufender Einstieg – Beginn jederzeit nach Absprache")]
    elif offer.next_start:
        lines = [german_date(offer.next_start)]
    else:
        lines = [gettext("Termin bitte beim Träger erfragen")]
    if offer.later_starts:
        later = ", ".join(german_date(d) for d in offer.later_starts)
        lines.append(f"{gettext('weitere Termine')}: {later}")
    return lines


def _registration(offer: OfferView) -> list[str]:
    lines = []
    if offer.registration_deadline:
        lines.append(gettext("bis %(date)s", date=german_date(offer.registration_deadline)))
    if offer.registration_url:
        lines.append(offer.registration_url)
    return lines or [gettext("direkt beim Träger")]


def _cost(offer: OfferView) -> list[str]:
    lines = []
    if offer.cost_eur == 0:
        lines.append(gettext("kostenfrei"))
    elif offer.cost_eur:
        amount = f"{decimal(offer.cost_eur, 2)} €"
        if offer.funding_note:
            amount += " – " + gettext("die Kosten werden bei Förderung übernommen")
        lines.append(amount)
    lines.append(offer.funding_note)
    if offer.azav_measure_number:
        lines.append(f"{gettext('Maßnahmenummer')}: {offer.azav_measure_number}")
    return lines


def _duration(offer: OfferView) -> str:
    text: str = gettext(
        "%(weeks)s Wochen, %(hours)s Stunden pro Woche",
        weeks=offer.duration_weeks,
        hours=offer.hours_per_week,
    )
    if offer.part_time_possible:
        text += "; " + gettext("Teilzeit möglich")
    if offer.childcare:
        text += "; " + gettext("Kinderbetreuung möglich")
    return text


def _offer(pdf: _Handout, offer: OfferView) -> None:
    pdf.paragraph(offer.title, size=13, bold=True)
    pdf.paragraph(enum_label(offer.measure_type, "MeasureType"), size=9.5)
    if offer.status != "approved":
        pdf.paragraph(gettext(NOT_LISTED))
    pdf.ln(1)
    contact = offer.provider
    pdf.fact(
        gettext("Träger"),
        [
            contact.name,
            contact.role,
            ", ".join(
                p for p in (contact.street, f"{contact.postcode} {contact.city}".strip()) if p
            ),
            f"{gettext('Telefon')}: {_number(pdf, contact.phone)}" if contact.phone else "",
            f"{gettext('E-Mail')}: {contact.email}" if contact.email else "",
            f"{gettext('Internet')}: {contact.website}" if contact.website else "",
        ],
    )
    pdf.fact(gettext("Ort"), [gettext("Online-Kurs")] if offer.online else [", ".join(offer.place)])
    pdf.fact(gettext("Beginn"), _start(offer))
    pdf.fact(gettext("Anmeldung"), _registration(offer))
    pdf.fact(gettext("Dauer"), [_duration(offer)])
    pdf.fact(gettext("Kosten und Förderung"), _cost(offer))
    pdf.fact(gettext("Abschluss"), [offer.certificate])
    pdf.fact(
        gettext("Bitte mitbringen"),
        [f"• {gettext(text, **values)}" for text, values in offer.bring],
    )
    pdf.ln(3)


def render_pdf(offers: Sequence[OfferView], *, today: date, lang: str) -> bytes:
    """The handout for ``offers`` as PDF bytes, texts in the currently forced locale."""
    pdf = _Handout(lang)
    pdf.add_page()
    pdf.paragraph(gettext("Ihre Angebote zur Qualifizierung"), size=16, bold=True)
    pdf.paragraph(gettext("Stand: %(date)s", date=german_date(today)), size=9.5)
    pdf.ln(2)
    if not offers:
        pdf.paragraph(gettext("Es ist kein Angebot ausgewählt."))
    for offer in offers:
        _offer(pdf, offer)
    pdf.paragraph(
        gettext(
            "Fragen? Wenden Sie sich an Ihre Beratung im Jobcenter oder in der Agentur für Arbeit."
        ),
        size=9.5,
    )
    return bytes(pdf.output())
