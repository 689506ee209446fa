"""Krefeld's Stadtbezirk of a place, from its postcode and (where known) its coordinates.

One data file, ``models/data/krefeld_districts.csv``, lists each Krefeld postcode with the
district(s) it reaches into and an approximate centroid of that part. A postcode in one district
decides alone; a postcode spanning two is resolved by the nearest centroid when coordinates are
given, else the first listed district is taken and marked uncertain. Without a postcode the
coordinates decide (nearest centroid), as long as they lie within Krefeld's reach.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import models
from models.enums import District

DATA_FILE: Path = Path(models.__file__).parent / "data" / "krefeld_districts.csv"
# Farther than this from every centroid is not in Krefeld (the city is about 13 km across).
MAX_DISTANCE_KM = 6.0


@dataclass(frozen=True, slots=True)
class Area:
    postcode: str
    district: District
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Location:
    """``district`` is None when the place is outside Krefeld or cannot be placed at all."""

    district: District | None
    uncertain: bool = False
    outside: bool = False


@lru_cache(maxsize=1)
def areas() -> tuple[Area, ...]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Area(
                row["postcode"],
                District(row["district"]),
                float(row["latitude"]),
                float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        )


def krefeld_postcodes() -> frozenset[str]:
    return frozenset(a.postcode for a in areas())


def distance_km(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> float:
    """Equirectangular approximation; plenty for distances within a city."""
    x = math.radians(lon_b - lon_a) * math.cos(math.radians((lat_a + lat_b) / 2))
    y = math.radians(lat_b - lat_a)
    return 6371.0 * math.hypot(x, y)


def _nearest(candidates: tuple[Area, ...], lat: float, lon: float) -> tuple[Area, float]:
    scored = [(distance_km(lat, lon, a.latitude, a.longitude), a) for a in candidates]
    best = min(scored, key=lambda pair: pair[0])
    return best[1], best[0]


def locate(postcode: str | None, latitude: float | None, longitude: float | None) -> Location:
    """The district of a place; see the module docstring for the rules."""
    code = (postcode or "").strip()
    has_point = latitude is not None and longitude is not None
    if code:
        candidates = tuple(a for a in areas() if a.postcode == code)
        if not candidates:
            return Location(None, outside=True)
        if len(candidates) == 1:
            return Location(candidates[0].district)
        if has_point:
            area, _ = _nearest(candidates, latitude, longitude)  # type: ignore[arg-type]
            return Location(area.district)
        return Location(candidates[0].district, uncertain=True)
    if has_point:
        area, km = _nearest(areas(), latitude, longitude)  # type: ignore[arg-type]
        if km > MAX_DISTANCE_KM:
            return Location(None, outside=True)
        return Location(area.district)
    return Location(None)
