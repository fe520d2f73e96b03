"""Gazetteer lookups and their error messages, against the shipped Natural Earth data."""

import numpy as np
import pyproj
import pytest
import shapely

from rangemap import LookupFailedError, gazetteer

GEOD = pyproj.Geod(ellps="WGS84")


@pytest.mark.parametrize("name", ["Kursk", "RU-KRS", "Kursk Oblast", "kursk oblast", "ru-krs"])
def test_kursk_by_name_code_and_alias(name):
    r = gazetteer.region(name)
    assert (r.name, r.iso_3166_2, r.country) == ("Kursk", ("RU-KRS",), "Russia")


def test_crimea_is_ua43_plus_sevastopol_with_a_neutral_note():
    r = gazetteer.region("Crimea")
    assert r.name == "Crimea"
    assert r.iso_3166_2 == ("UA-40", "UA-43")
    assert "internationally recognised as part of ukraine" in r.status_note.lower()
    assert "occupied by Russia since 2014" in r.status_note
    parts = [gazetteer.region("UA-43").geometry, gazetteer.region("UA-40").geometry]
    assert r.geometry.symmetric_difference(shapely.union_all(parts)).area < 1e-9


@pytest.mark.parametrize("name,code", [("Belgorod", "RU-BEL"), ("Bryansk", "RU-BRY"), ("Sevastopol", "UA-40")])
def test_other_regions(name, code):
    assert gazetteer.region(name).iso_3166_2 == (code,)


@pytest.mark.parametrize("name,country,expected", [
    ("Odesa", "Ukraine", "Odessa"), ("Odessa", "UA", "Odessa"),
    ("Zaporizhzhia", None, "Zaporizhzhya"), ("Zaporizhzhya", None, "Zaporizhzhya"),
    ("Mykolaiv", None, "Mykolaiv"), ("Mykolayiv", None, "Mykolaiv"),
    ("Sumy", None, "Sumy"), ("Kharkiv", None, "Kharkiv"), ("Kherson", None, "Kherson"),
])
def test_place_spellings(name, country, expected):
    p = gazetteer.place(name, country)
    assert p.name == expected
    assert p.country == "Ukraine"
    assert 22 < p.lon < 41 and 44 < p.lat < 53


def test_ambiguous_place_lists_candidates():
    with pytest.raises(LookupFailedError) as exc:
        gazetteer.place("Odessa")
    message = str(exc.value)
    assert "ambiguous" in message and "Texas" in message and "Ukraine" in message
    assert len(exc.value.candidates) == 2


def test_unknown_names_suggest_the_closest():
    with pytest.raises(LookupFailedError) as exc:
        gazetteer.region("Kurks")
    assert "Kursk" in exc.value.candidates
    with pytest.raises(LookupFailedError, match="did you mean: Kursk"):
        gazetteer.place("Kursq")
    with pytest.raises(LookupFailedError, match="unknown country"):
        gazetteer.country("Atlantis")


def test_ambiguous_region_name_and_country_filter():
    # Natural Earth has more than one admin-1 unit named "Distrito Federal".
    with pytest.raises(LookupFailedError, match="ambiguous") as exc:
        gazetteer.region("Distrito Federal")
    assert len(exc.value.candidates) >= 2
    assert gazetteer.region("Distrito Federal", country="Brazil").country == "Brazil"


def test_places_in_crimea_follow_the_regions_convention():
    for name in ("Simferopol", "Sevastopol"):
        p = gazetteer.place(name)
        assert p.country == "Ukraine" and p.region in ("Crimea", "Sevastopol")


def test_country_is_the_union_of_its_regions():
    ukraine = gazetteer.country("Ukraine")
    assert gazetteer.country("UKR") == ukraine and gazetteer.country("UA").name == "Ukraine"
    assert ukraine.geometry.contains(shapely.Point(30.52, 50.45))  # Kyiv
    assert gazetteer.country("Russian Federation").adm0_a3 == "RUS"


def test_border_is_the_shared_land_line():
    line = gazetteer.border("Ukraine", "Russia")
    assert line.geom_type in ("LineString", "MultiLineString")
    assert gazetteer.border("Russia", "Ukraine").equals(line)
    # Length against an independent geodesic sum over its vertices.
    length_km = sum(GEOD.line_length(*np.asarray(p.coords).T) for p in shapely.get_parts(line)) / 1000
    # About 1,520 km at 1:10m generalisation, from the Belarus tripoint to the Sea of Azov.
    assert 1400 < length_km < 2000, length_km
    ends = shapely.get_coordinates(line)[[0, -1]]
    assert np.allclose(sorted(ends[:, 1]), [47.1, 52.1], atol=0.1)
    # Every vertex lies on both countries' outlines (within the data's ~40 m quantization).
    ua, ru = gazetteer.country("Ukraine").geometry, gazetteer.country("Russia").geometry
    pts = shapely.points(shapely.get_coordinates(line)[::25])
    assert np.all(shapely.distance(ua.boundary, pts) < 0.01)
    assert np.all(shapely.distance(ru.boundary, pts) < 0.01)
    # The Crimea-Kherson line (marked disputed in the source) is left out by default.
    assert not line.intersects(shapely.box(33.3, 45.9, 35.5, 46.3))
    with_disputed = gazetteer.border("Ukraine", "Russia", include_disputed=True)
    assert with_disputed.intersects(shapely.box(33.3, 45.9, 35.5, 46.3))


def test_no_border_between_countries_that_share_none():
    with pytest.raises(LookupFailedError, match="no land boundary"):
        gazetteer.border("Ukraine", "Japan")


def test_region_listing_is_worldwide():
    table = gazetteer.region_table()
    assert len(table) == 4855
    assert table["country"].nunique() > 200
