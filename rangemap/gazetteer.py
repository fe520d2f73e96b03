"""Regions, countries, land borders and places from the shipped geodata (Natural Earth).

Lookups accept names in any case and spelling the data or the alias table knows
("Kursk", "Kursk Oblast", "RU-KRS"; "Odesa"/"Odessa"), and fail with a
:class:`~rangemap.errors.LookupFailedError` that lists the candidates (for an
ambiguous name) or the closest known names (for an unknown one).

Crimea is one region here, ``"Crimea"``: Natural Earth's UA-43 (Autonomous
Republic of Crimea) and UA-40 (Sevastopol). Its label is neutral and its
``status_note`` states its status; regions and places follow one convention
(see geodata/PROVENANCE.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import shapely

from rangemap.geostore import unpack_geometries
from rangemap.names import ambiguous, normalise, not_found

CRIMEA_NOTE = ("Internationally recognised as part of Ukraine; occupied by Russia since 2014. "
               "rangemap names it Crimea and takes no position beyond that.")

# Composite regions and spelling variants, by normalised name -> ISO 3166-2 codes.
REGION_ALIASES = {
    "crimea": ("UA-43", "UA-40"),
    "crimean peninsula": ("UA-43", "UA-40"),
    "krym": ("UA-43", "UA-40"),
    "sevastopol": ("UA-40",),
    "odesa": ("UA-51",),
    "zaporizhzhia": ("UA-23",),
    "mykolaiv": ("UA-48",),
    "kyiv": ("UA-32",),
    "kyiv city": ("UA-30",),
    "kharkiv": ("UA-63",),
    "kherson": ("UA-65",),
    "sumy": ("UA-59",),
}
REGION_LABELS = {("UA-40", "UA-43"): "Crimea"}
STATUS_NOTES = {("UA-40", "UA-43"): CRIMEA_NOTE, ("UA-43",): CRIMEA_NOTE, ("UA-40",): CRIMEA_NOTE}
# Place spelling variants (Ukrainian national transliteration vs Natural Earth), normalised.
PLACE_ALIASES = {
    "odesa": "odessa",
    "zaporizhzhia": "zaporizhzhya",
    "zaporozhye": "zaporizhzhya",
    "mykolayiv": "mykolaiv",
    "nikolaev": "mykolaiv",
    "kyiv": "kiev",
    "kharkov": "kharkiv",
    "sevastopol": "sevastapol",
    "dnipro": "dnipropetrovsk",
}
COUNTRY_ALIASES = {"russian federation": "russia", "usa": "united states of america", "us": "united states of america",
                   "united states": "united states of america", "uk": "united kingdom"}


@dataclass(frozen=True)
class Region:
    """An admin-1 region, or a named group of them (Crimea).

    Attributes
    ----------
    name : str
        Display label.
    iso_3166_2 : tuple of str
        Natural Earth codes of the admin-1 units it is made of.
    country : str
    geometry : shapely.Polygon or shapely.MultiPolygon
        Lon/lat degrees.
    status_note : str
        A neutral note on disputed status, or "".
    """

    name: str
    iso_3166_2: tuple[str, ...]
    country: str
    geometry: object
    status_note: str = ""


@dataclass(frozen=True)
class Country:
    """A country as the union of its admin-1 regions."""

    name: str
    adm0_a3: str
    geometry: object


@dataclass(frozen=True)
class Place:
    """A populated place (Natural Earth), with its country and region from the admin-1 layer."""

    name: str
    country: str
    region: str
    population: int
    lon: float
    lat: float


def _data_file(name: str):
    return resources.files("rangemap.geodata").joinpath(name)


@lru_cache(maxsize=None)
def _packed(name: str):
    """Geometries and attributes of one shipped archive (``geodata/<name>``), decoded once."""
    with resources.as_file(_data_file(name)) as path:
        return unpack_geometries(path)


def _regions_table():
    return _packed("regions.npz")


@lru_cache(maxsize=1)
def places_table() -> pd.DataFrame:
    """Every shipped populated place, one row each.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, name_en, nameascii, country, adm0_a3, region,
        iso_3166_2, source_adm0name, featurecla, population, lon, lat, wikidataid``.
    """
    with resources.as_file(_data_file("places.csv.gz")) as path:
        table = pd.read_csv(path, keep_default_na=False, na_values=[])
    return table


def region_table() -> pd.DataFrame:
    """Every shipped admin-1 region (without geometry), for listings.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, iso_3166_2, country, adm0_a3``.
    """
    _, a = _regions_table()
    return pd.DataFrame({"name": a["name"], "iso_3166_2": a["iso_3166_2"], "country": a["admin"],
                         "adm0_a3": a["adm0_a3"]})


@lru_cache(maxsize=1)
def _region_name_index() -> dict[str, list[int]]:
    _, a = _regions_table()
    index: dict[str, list[int]] = {}
    for i, name in enumerate(a["name"]):
        index.setdefault(normalise(name), []).append(i)
    return index


def _code_rows(codes) -> list[int]:
    _, a = _regions_table()
    wanted = {c.upper() for c in codes}
    return [int(i) for i in np.flatnonzero(np.isin(np.char.upper(a["iso_3166_2"].astype(str)), list(wanted)))]


def _region_from_rows(rows: list[int], label: str | None = None) -> Region:
    geometries, a = _regions_table()
    codes = tuple(sorted(str(a["iso_3166_2"][i]) for i in rows))
    geometry = geometries[rows[0]] if len(rows) == 1 else shapely.union_all(geometries[rows])
    name = label or REGION_LABELS.get(codes) or str(a["name"][rows[0]])
    countries = sorted({str(a["admin"][i]) for i in rows})
    return Region(name, codes, ", ".join(countries), geometry, STATUS_NOTES.get(codes, ""))


def region(name: str, country: str | None = None) -> Region:
    """Look up a region by name, ISO 3166-2 code or alias.

    Parameters
    ----------
    name : str
        ``"Kursk"``, ``"Kursk Oblast"``, ``"RU-KRS"``, ``"Crimea"`` ...
    country : str, optional
        Restrict to one country (name or ISO code), to pick among same-named regions.

    Returns
    -------
    Region

    Raises
    ------
    LookupFailedError
        Unknown (with suggestions) or ambiguous (with candidates) name.

    Examples
    --------
    >>> region("RU-KRS").name
    'Kursk'
    >>> region("Crimea").iso_3166_2
    ('UA-40', 'UA-43')
    """
    _, a = _regions_table()
    query = str(name).strip()
    rows = _code_rows([query]) if len(query) > 3 and query[2] == "-" else []
    key = normalise(query)
    if not rows and key in REGION_ALIASES:
        rows = _code_rows(REGION_ALIASES[key])
        if len(rows) > 1:
            return _region_from_rows(rows)
    if not rows:
        rows = _region_name_index().get(key, [])
    if country is not None and rows:
        wanted = _country_code(country)
        rows = [i for i in rows if a["adm0_a3"][i] == wanted]
    if not rows:
        known = sorted(set(a["name"].tolist()) | {k.title() for k in REGION_ALIASES})
        where = f" in {country}" if country else ""
        raise not_found(f"region{where}", query, known, "Regions are Natural Earth admin-1 units; "
                        "`rangemap regions --country NAME` lists them.")
    if len(rows) > 1:
        candidates = [f"{a['name'][i]} ({a['iso_3166_2'][i]}, {a['admin'][i]})" for i in rows]
        raise ambiguous("region", query, candidates, "Pass the ISO 3166-2 code or a country.")
    return _region_from_rows(rows)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    _, a = _regions_table()
    names = {}
    for code, admin, a2 in zip(a["adm0_a3"], a["admin"], a["iso_a2"]):
        names[normalise(admin)] = str(code)
        names[normalise(code)] = str(code)
        if a2 and a2 != "-1":
            names.setdefault(normalise(a2), str(code))
    return names


def _country_code(name: str) -> str:
    key = normalise(name)
    key = COUNTRY_ALIASES.get(key, key)
    names = _country_names()
    if key not in names:
        _, a = _regions_table()
        raise not_found("country", name, sorted(set(a["admin"].tolist())))
    return names[key]


@lru_cache(maxsize=64)
def country(name: str) -> Country:
    """Look up a country by name or ISO code; its geometry is the union of its admin-1 regions.

    Parameters
    ----------
    name : str
        ``"Ukraine"``, ``"UKR"``, ``"UA"``, ``"Russian Federation"`` ...

    Returns
    -------
    Country

    Examples
    --------
    >>> country("UA").name
    'Ukraine'
    """
    code = _country_code(name)
    geometries, a = _regions_table()
    rows = np.flatnonzero(a["adm0_a3"] == code)
    geometry = shapely.union_all(geometries[rows])
    return Country(str(a["admin"][rows[0]]), code, geometry)


def _borders_table():
    return _packed("borders.npz")


def border(country_a: str, country_b: str, *, include_disputed: bool = False):
    """The land border between two countries, as lines (lon/lat degrees).

    Parameters
    ----------
    country_a, country_b : str
        Country names or ISO codes.
    include_disputed : bool, optional
        Also return lines Natural Earth marks "Disputed". Off by default: the
        border lines follow a different convention than the admin-1 regions for
        some of them (the line between Crimea and Kherson is marked as a
        disputed Russia-Ukraine line there, while the regions put Crimea in Ukraine).

    Returns
    -------
    shapely.MultiLineString

    Raises
    ------
    LookupFailedError
        If either country is unknown or the two share no land border.

    Examples
    --------
    >>> round(shapely.length(border("Ukraine", "Russia")), 0) > 10
    True
    """
    a, b = _country_code(country_a), _country_code(country_b)
    geometries, attrs = _borders_table()
    pair = ((attrs["adm0_a3_l"] == a) & (attrs["adm0_a3_r"] == b)) | ((attrs["adm0_a3_l"] == b) & (attrs["adm0_a3_r"] == a))
    if not include_disputed:
        pair &= ~np.char.startswith(attrs["featurecla"].astype(str), "Disputed")
    rows = np.flatnonzero(pair)
    if len(rows) == 0:
        raise not_found("land border", f"{country_a} / {country_b}", [],
                        "Natural Earth has no land boundary line between these two countries.")
    lines = shapely.get_parts(geometries[rows])
    return shapely.line_merge(shapely.multilinestrings(lines)) if len(lines) > 1 else shapely.multilinestrings(lines)


@lru_cache(maxsize=1)
def _place_name_index() -> dict[str, list[int]]:
    table = places_table()
    index: dict[str, list[int]] = {}
    for column in ("name", "name_en", "nameascii"):
        for i, value in enumerate(table[column].astype(str)):
            rows = index.setdefault(normalise(value), [])
            if i not in rows:
                rows.append(i)
    return index


def place(name: str, country: str | None = None) -> Place:
    """Look up a populated place by name, spelling variant or alias.

    Parameters
    ----------
    name : str
        ``"Odesa"``, ``"Odessa"``, ``"Zaporizhzhia"``, ``"Mykolaiv"`` ...
    country : str, optional
        Country name or ISO code, to pick among same-named places
        ("Odessa" is in Ukraine and in Texas).

    Returns
    -------
    Place

    Raises
    ------
    LookupFailedError

    Examples
    --------
    >>> place("Odesa", country="Ukraine").population > 500_000
    True
    """
    table = places_table()
    key = normalise(name)
    index = _place_name_index()
    rows = index.get(key, []) or index.get(PLACE_ALIASES.get(key, key), [])
    if country is not None and rows:
        code = _country_code(country)
        rows = [i for i in rows if table["adm0_a3"].iat[i] == code]
    if not rows:
        where = f" in {country}" if country else ""
        raise not_found(f"place{where}", name, table["name"].astype(str).tolist())
    if len(rows) > 1:
        candidates = [f"{table['name'].iat[i]} ({table['region'].iat[i]}, {table['country'].iat[i]}, "
                      f"pop. {table['population'].iat[i]:,})" for i in rows]
        raise ambiguous("place", name, candidates, "Pass a country to pick one.")
    row = table.iloc[rows[0]]
    return Place(str(row["name_en"]), str(row["country"]), str(row["region"]), int(row["population"]),
                 float(row["lon"]), float(row["lat"]))


def _basemap_countries():
    return _packed("countries_basemap.npz")


def basemap_layers(bounds_deg, *, region_tolerance_deg: float = 0.01):
    """Country and admin-1 outlines around an area, simplified for drawing (the offline basemap).

    Parameters
    ----------
    bounds_deg : (float, float, float, float)
        West, south, east, north of the area, degrees.
    region_tolerance_deg : float, optional
        Simplification of the admin-1 outlines.

    Returns
    -------
    (list of (str, shapely.Geometry), list of (str, shapely.Geometry))
        Countries and regions that intersect the area, with their names.
    """
    box = shapely.box(*bounds_deg)
    geometries, attrs = _basemap_countries()
    hit = shapely.intersects(geometries, box)
    countries = [(str(n), g) for n, g in zip(attrs["admin"][hit], geometries[hit])]
    regions_geom, a = _regions_table()
    tree = shapely.STRtree(regions_geom)
    rows = tree.query(box, predicate="intersects")
    simplified = shapely.simplify(regions_geom[rows], region_tolerance_deg, preserve_topology=True)
    regions = [(str(a["name"][i]), g) for i, g in zip(rows, simplified)]
    return countries, regions
