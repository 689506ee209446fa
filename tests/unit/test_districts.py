"""Stadtbezirk from postcode and coordinates (models/data/krefeld_districts.csv)."""

from __future__ import annotations

from models.enums import District
from service.offers.districts import Location, krefeld_postcodes, locate


def test_postcode_in_one_district_decides_alone():
    assert locate("47839", None, None) == Location(District.HUELS)


def test_postcode_spanning_two_districts_is_resolved_by_coordinates():
    assert locate("47805", 51.3272, 6.5668) == Location(District.MITTE)
    assert locate("47805", 51.3185, 6.5725) == Location(District.SUED)


def test_postcode_spanning_two_districts_without_coordinates_is_uncertain():
    assert locate("47809", None, None) == Location(District.OPPUM_LINN, uncertain=True)


def test_coordinates_alone_pick_the_nearest_district():
    assert locate(None, 51.3552, 6.6521) == Location(District.UERDINGEN)


def test_other_postcode_is_outside_krefeld():
    assert locate("40210", 51.2217, 6.7762) == Location(None, outside=True)


def test_far_coordinates_without_postcode_are_outside_krefeld():
    assert locate(None, 51.2217, 6.7762) == Location(None, outside=True)


def test_nothing_known_places_nothing():
    assert locate("", None, None) == Location(None)


def test_all_krefeld_postcodes_are_listed():
    expected = {str(code) for code in range(47798, 47810)} | {"47829", "47839"}

    assert krefeld_postcodes() == expected
