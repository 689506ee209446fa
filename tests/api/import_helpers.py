"""CSV building and upload shared by the offer import tests."""

from __future__ import annotations

import io

HEADER = (
    "Referenz;Titel;Maßnahmeart;Zielberufe (KldB);Wochenstunden;Dauer (Wochen);"
    "Starttermine;Plätze gesamt;Plätze frei;Stadtbezirk;Kosten (EUR);Teilzeit möglich"
)


def row(ref="A-1", title="Staplerschein kompakt", **cells):
    values = {
        "kldb": "51312",
        "hours": "30",
        "weeks": "4",
        "starts": "01.03.2030",
        "total": "10",
        "free": "5",
        "district": "Süd",
        "cost": "1.250,50",
        "part": "ja",
    } | cells
    return ";".join(
        [
            ref,
            title,
            "Anpassungsqualifizierung",
            values["kldb"],
            values["hours"],
            values["weeks"],
            values["starts"],
            values["total"],
            values["free"],
            values["district"],
            values["cost"],
            values["part"],
        ]
    )


def csv_text(*rows, header=HEADER):
    return "\r\n".join([header, *rows]) + "\r\n"


def upload(client, actor, data, **form):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return client.post(
        "/api/v1/offers/import",
        data={"file": (io.BytesIO(data), "angebote.csv"), **form},
        headers=actor.headers,
        content_type="multipart/form-data",
    )
