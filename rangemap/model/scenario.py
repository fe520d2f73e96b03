"""Scenarios: launch sites, weapons and regions of interest, loaded from TOML and validated.

Every error names the file, the field and the bad value (a
:class:`~rangemap.errors.ScenarioError`); names that the gazetteer or catalog
do not know are reported with their closest matches. The reference for the
file format is in the README ("Scenario files"); the default scenario is
``rangemap/scenarios/atacms-2024.toml``.
"""

from __future__ import annotations

import collections

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np
import shapely

from rangemap.data import catalog as catalog_mod
from rangemap.data import gazetteer
from rangemap.model import territory
from rangemap.data.catalog import Weapon
from rangemap.errors import LookupFailedError, ScenarioError
from rangemap.data.gazetteer import Region
from rangemap.geodesy.bounds import DEFAULT_TOLERANCE_M, tolerance_problem
from rangemap.io.tomlfile import check_text, read_toml

DEFAULT_SCENARIO = "atacms-2024.toml"
_TOP_FIELDS = {"name", "title", "date", "notes", "sources", "min_population", "catalog", "tolerance_m", "weapons",
               "regions", "launch", "places_in", "places_without_population"}
_SITE_KINDS = ("point", "place", "region", "country", "border", "file")
_SITE_FIELDS = set(_SITE_KINDS) | {"label", "layer", "along"}


@dataclass(frozen=True)
class LaunchSite:
    """One resolved launch site: where it came from and its lon/lat geometry."""

    kind: str
    label: str
    geometry: object
    source: str = ""  # the file a ``file`` site was read from
    part_labels: tuple[str, ...] = ()  # a file site's features' ``name`` / ``label`` attribute, one per part


@dataclass(frozen=True)
class LaunchGroup:
    """Launch sites that fire together; one footprint per weapon is drawn around their union."""

    id: str
    label: str
    sites: tuple[LaunchSite, ...]
    weapons: tuple[Weapon, ...] = ()  # empty: the scenario's weapons

    @property
    def geometry(self):
        """The union of the sites' geometries, as a GeometryCollection (lon/lat)."""
        return shapely.GeometryCollection([s.geometry for s in self.sites])


@dataclass(frozen=True)
class PlacesArea:
    """A country or region that places in range are limited to (``places_in``)."""

    name: str
    kind: str  # "country" or "region"
    geometry: object


@dataclass(frozen=True)
class Scenario:
    """A validated scenario, every name resolved against the gazetteer and the catalog."""

    name: str
    title: str
    launches: tuple[LaunchGroup, ...]
    weapons: tuple[Weapon, ...]
    regions: tuple[Region, ...] = ()
    date: str = ""
    notes: str = ""
    sources: tuple[str, ...] = ()
    min_population: int = 0
    places_in: tuple[PlacesArea, ...] = ()  # empty: places anywhere in range
    places_without_population: bool = False
    tolerance_m: float = 1.0
    path: str = field(default="", compare=False)
    inputs: tuple[str, ...] = field(default=(), compare=False)


def default_scenario_path() -> Path:
    """Path of the default scenario file that ships with the package.

    Returns
    -------
    pathlib.Path
    """
    return Path(str(resources.files("rangemap.scenarios").joinpath(DEFAULT_SCENARIO)))


def load_scenario(path: Path | str | None = None) -> Scenario:
    """Read and validate a scenario file (the default scenario when ``path`` is None).

    Parameters
    ----------
    path : path-like, optional

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Naming the file, field and value at fault.
    """
    path = default_scenario_path() if path is None else Path(path)
    scenario = parse_scenario(read_toml(path, "scenario file"), str(path), path.parent)
    return replace(scenario, inputs=(str(path), *scenario.inputs))


def _want(where: str, value, kinds, what: str):
    if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)) or not isinstance(
            value, kinds):
        raise ScenarioError(f"{where}: expected {what}, got {value!r}")
    return value


def _text(data: dict, key: str, label: str, required: bool = False) -> str:
    if key not in data:
        if required:
            raise ScenarioError(f"{label}: missing required field '{key}'")
        return ""
    value = data[key]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return _want(f"{label}: field '{key}'", value, str, "a string")


def parse_scenario(data: dict, label: str = "<scenario>", base_dir: Path | str = ".") -> Scenario:
    """Validate parsed scenario TOML and resolve its names.

    Parameters
    ----------
    data : dict
        Parsed TOML.
    label : str
        File name for messages.
    base_dir : path-like
        Where relative file paths in the scenario are read from.

    Returns
    -------
    Scenario
    """
    base_dir = Path(base_dir)
    if not isinstance(data, dict):
        raise ScenarioError(f"{label}: expected a table of scenario fields, got {type(data).__name__}")
    check_text(data, label)
    unknown = sorted(set(data) - _TOP_FIELDS)
    if unknown:
        raise ScenarioError(f"{label}: unknown field(s) {', '.join(map(repr, unknown))}; "
                            f"allowed: {', '.join(sorted(_TOP_FIELDS))}")
    name = _text(data, "name", label, required=True)
    title = _text(data, "title", label) or name
    sources = tuple(_want(f"{label}: sources[{i}]", s, str, "a string")
                    for i, s in enumerate(_want(f"{label}: field 'sources'", data.get("sources", []), list, "a list")))
    min_population = _want(f"{label}: field 'min_population'", data.get("min_population", 0), int, "an integer")
    if min_population < 0:
        raise ScenarioError(f"{label}: field 'min_population': must be >= 0, got {min_population!r}")
    tolerance_m = float(_want(f"{label}: field 'tolerance_m'", data.get("tolerance_m", DEFAULT_TOLERANCE_M),
                              (int, float), "a number"))
    problem = tolerance_problem(tolerance_m)
    if problem:
        raise ScenarioError(f"{label}: field 'tolerance_m': {problem}, got {tolerance_m!r}")
    inputs = []
    catalog = None
    if "catalog" in data:
        catalog_path = base_dir / _text(data, "catalog", label)
        inputs.append(str(catalog_path))
        catalog = catalog_mod.load_catalog(catalog_path)
    weapons = _weapons(data.get("weapons"), label, catalog)
    launches = _launches(data.get("launch"), label, base_dir, catalog, tolerance_m)
    inputs += [s.source for g in launches for s in g.sites if s.source]
    regions = _regions(_want(f"{label}: field 'regions'", data.get("regions", []), list, "a list"), label)
    places_in = _places_in(_want(f"{label}: field 'places_in'", data.get("places_in", []), list, "a list"), label)
    unpopulated = _want(f"{label}: field 'places_without_population'", data.get("places_without_population", False),
                        bool, "true or false")
    return Scenario(name, title, launches, weapons, regions, _text(data, "date", label), _text(data, "notes", label),
                    sources, min_population, places_in, unpopulated, tolerance_m, label, tuple(inputs))


def _weapons(entries, label: str, catalog, field_name: str = "weapons") -> tuple[Weapon, ...]:
    if entries is None:
        raise ScenarioError(f"{label}: missing required field 'weapons' (catalog ids, or {{name, range_km, source}})")
    entries = _want(f"{label}: field '{field_name}'", entries, list, "a list")
    if not entries:
        raise ScenarioError(f"{label}: field '{field_name}' is empty")
    out = []
    for i, entry in enumerate(entries):
        where = f"{label}: {field_name}[{i}]"
        if isinstance(entry, str):
            try:
                out.append(catalog_mod.weapon(entry, catalog))
            except LookupFailedError as exc:
                raise ScenarioError(f"{where}: {exc}") from None
        elif isinstance(entry, dict):
            if "id" in entry:
                custom_id = _want(f"{where}.id", entry["id"], str, "a string")
                if not custom_id.strip():
                    raise ScenarioError(f"{where}.id: must not be empty, got {custom_id!r}")
            else:
                custom_id = weapon_slug(entry["name"]) if isinstance(entry.get("name"), str) else ""
            custom_id = custom_id.strip() or f"custom-{i + 1}"
            fields = {k: v for k, v in entry.items() if k != "id"}
            fields.setdefault("source", "user-defined what-if range (scenario file)")
            try:
                parsed = catalog_mod.parse_catalog({"weapons": {custom_id: fields}}, where)
            except ScenarioError as exc:
                raise ScenarioError(str(exc).replace(f"{where}: weapons.{custom_id}", where)) from None
            out.append(parsed[custom_id])
        else:
            raise ScenarioError(f"{where}: expected a catalog id or a table {{name, range_km}}, got {entry!r}")
    ids = [w.id for w in out]
    for i, wid in enumerate(ids):
        if "/" in wid:
            raise ScenarioError(f"{label}: {field_name}[{i}]: a weapon id may not contain '/' (footprint ids are "
                                f"<launch id>/<weapon id>), got {wid!r}")
    if len(set(ids)) != len(ids):
        raise ScenarioError(f"{label}: field '{field_name}' lists {sorted({i for i in ids if ids.count(i) > 1})} twice")
    return tuple(out)


def weapon_slug(name: str) -> str:
    """An id for a what-if weapon from its name: lower case, words joined by ``-``.

    Examples
    --------
    >>> weapon_slug("What-if 500 km")
    'what-if-500-km'
    """
    return "-".join(re.findall(r"\w+", name.lower()))


def _region(entry, where: str) -> Region:
    try:
        if isinstance(entry, str):
            return gazetteer.region(entry)
        if isinstance(entry, dict):
            bad = sorted(set(entry) - {"name", "country"})
            if bad:
                raise ScenarioError(f"{where}: unknown field(s) {', '.join(bad)}; allowed: name, country")
            if "name" not in entry:
                raise ScenarioError(f"{where}: missing required field 'name'")
            name = _want(f"{where}.name", entry["name"], str, "a region name")
            country = _want(f"{where}.country", entry["country"], str, "a country name") if "country" in entry else None
            return gazetteer.region(name, country)
    except LookupFailedError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    raise ScenarioError(f"{where}: expected a region name or {{name, country}}, got {entry!r}")


def _regions(entries: list, label: str) -> tuple[Region, ...]:
    out, seen = [], {}
    for i, entry in enumerate(entries):
        r = _region(entry, f"{label}: regions[{i}]")
        key = (r.name, r.iso_3166_2)
        if key in seen:
            raise ScenarioError(f"{label}: regions[{i}]: {entry!r} is {r.name} again (regions[{seen[key]}]); "
                                "list each region once")
        seen[key] = i
        out.append(r)
    return tuple(out)


def _places_in(entries: list, label: str) -> tuple[PlacesArea, ...]:
    """Countries or regions that limit places in range: a country name first, else a region name."""
    out = []
    for i, entry in enumerate(entries):
        where = f"{label}: places_in[{i}]"
        name = _want(where, entry, str, "a country or region name")
        try:
            c = gazetteer.country(name)
            out.append(PlacesArea(c.name, "country", c.geometry))
            continue
        except LookupFailedError:
            pass
        try:
            r = gazetteer.region(name)
        except LookupFailedError as exc:
            raise ScenarioError(f"{where}: no country or region named {name!r} ({exc})") from None
        out.append(PlacesArea(r.name, "region", r.geometry))
    return tuple(out)


def _auto_label(labels: list[str], shown: int = 3) -> str:
    """A group label from its sites' labels: the first few, then how many more."""
    if len(labels) <= shown + 1:
        return ", ".join(labels)
    return f"{', '.join(labels[:shown])} and {len(labels) - shown:,} more"


def _launches(entries, label: str, base_dir: Path, catalog=None,
              tolerance_m: float = DEFAULT_TOLERANCE_M) -> tuple[LaunchGroup, ...]:
    if entries is None:
        raise ScenarioError(f"{label}: missing required [[launch]] table (launch sites)")
    entries = _want(f"{label}: field 'launch'", entries, list, "[[launch]] tables")
    if not entries:
        raise ScenarioError(f"{label}: field 'launch' is empty: give at least one [[launch]] table with sites")
    groups = []
    for i, entry in enumerate(entries):
        where = f"{label}: launch[{i}]"
        _want(where, entry, dict, "a table")
        bad = sorted(set(entry) - {"id", "label", "sites", "weapons"})
        if bad:
            raise ScenarioError(f"{where}: unknown field(s) {', '.join(bad)}; allowed: id, label, sites, weapons")
        weapons = _weapons(entry["weapons"], label, catalog, f"launch[{i}].weapons") if "weapons" in entry else ()
        gid = _want(f"{where}.id", entry.get("id", f"launch-{i + 1}"), str, "a string")
        if not gid.strip() or "/" in gid:
            raise ScenarioError(f"{where}.id: must be non-empty and without '/' (footprint ids are "
                                f"<launch id>/<weapon id>), got {gid!r}")
        group_label = _want(f"{where}.label", entry.get("label", ""), str, "a string")
        sites = _want(f"{where}.sites", entry.get("sites"), list, "a list of sites")
        if not sites:
            raise ScenarioError(f"{where}.sites: is empty")
        resolved = tuple(resolve_site(s, f"{where}.sites[{j}]", base_dir, tolerance_m) for j, s in enumerate(sites))
        groups.append(LaunchGroup(gid, group_label.strip() or _auto_label([s.label for s in resolved]), resolved,
                                  weapons))
    ids = [g.id for g in groups]
    if len(set(ids)) != len(ids):
        raise ScenarioError(f"{label}: launch ids must be unique, got {ids}")
    return tuple(groups)


def resolve_site(entry, where: str, base_dir: Path | str = ".", tolerance_m: float = DEFAULT_TOLERANCE_M) -> LaunchSite:
    """Turn one launch-site table into a geometry.

    Parameters
    ----------
    entry : dict
        Exactly one of ``point = [lon, lat]``, ``place = "Sumy"`` (with an
        optional ``country``), ``region = "Kharkiv"`` (with an optional
        ``country``), ``country = "Ukraine"``, ``border = ["Ukraine",
        "Russia"]``, ``file = "front.geojson"`` (with ``layer`` for a
        multi-layer file); an optional ``label``.
    where : str
        Position in the file, for messages.
    base_dir : path-like
        Relative ``file`` paths are read from here.
    tolerance_m : float, optional
        Error bound of a standoff margin's edge, metres (the scenario's ``tolerance_m``).

    Returns
    -------
    LaunchSite
    """
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where}: expected a table such as {{place = \"Sumy\"}}, got {entry!r}")
    if territory.SITE_KEYS & entry.keys():  # launch area: minus / standoff_km / standoff_from (rangemap.model.territory)
        return territory.resolve_territory(entry, where, lambda e, w: resolve_site(e, w, base_dir, tolerance_m),
                                           tolerance_m=tolerance_m)
    bad = sorted(set(entry) - _SITE_FIELDS)
    if bad:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(bad)}; a site has one of {', '.join(_SITE_KINDS)}")
    kinds = [k for k in _SITE_KINDS if k in entry and not (k == "country" and ("place" in entry or "region" in entry))]
    if len(kinds) != 1:
        raise ScenarioError(f"{where}: give exactly one of {', '.join(_SITE_KINDS)}, got {entry!r}")
    kind = kinds[0]
    if "layer" in entry and kind != "file":
        raise ScenarioError(f"{where}.layer: only a file site has a layer, got layer = {entry['layer']!r} on a {kind} site")
    if "along" in entry and kind != "border":
        raise ScenarioError(f"{where}.along: only a border site has 'along', got along = {entry['along']!r} on a {kind} site")
    value = entry[kind]
    label = _want(f"{where}.label", entry["label"], str, "a string") if "label" in entry else ""
    country = None
    if kind in ("place", "region") and "country" in entry:
        country = _want(f"{where}.country", entry["country"], str, "a country name")
    try:
        if kind == "point":
            ok = isinstance(value, list) and len(value) == 2 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)
            if not ok or not (-180 <= value[0] <= 180 and -90 <= value[1] <= 90):
                raise ScenarioError(f"{where}.point: expected [lon, lat] in degrees, got {value!r}")
            return LaunchSite("point", label or f"{value[0]:.4f}, {value[1]:.4f}", shapely.Point(value))
        if kind == "place":
            p = gazetteer.place(_want(f"{where}.place", value, str, "a place name"), country)
            return LaunchSite("place", label or p.name, shapely.Point(p.lon, p.lat))
        if kind == "region":
            r = gazetteer.region(_want(f"{where}.region", value, str, "a region name"), country)
            return LaunchSite("region", label or r.name, r.geometry)
        if kind == "country":
            c = gazetteer.country(_want(f"{where}.country", value, str, "a country name"))
            return LaunchSite("country", label or c.name, c.geometry)
        if kind == "border":
            if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
                raise ScenarioError(f"{where}.border: expected two country names, got {value!r}")
            along = None
            if "along" in entry:
                along = _want(f"{where}.along", entry["along"], list, "a list of region names")
                if not along or not all(isinstance(a, str) and a.strip() for a in along):
                    raise ScenarioError(f"{where}.along: expected a non-empty list of region names, got {along!r}")
            default = f"{value[0]}–{value[1]} border" + (f" along {', '.join(along)}" if along else "")
            return LaunchSite("border", label or default, gazetteer.border(*value, along=along))
        path = Path(base_dir) / _want(f"{where}.file", value, str, "a path")
        layer = _want(f"{where}.layer", entry["layer"], str, "a layer name") if "layer" in entry else None
        geoms, names = launch_file_features(path, layer, f"{where}.file")
        return LaunchSite("file", label or path.name, shapely.GeometryCollection(geoms), str(path), names)
    except LookupFailedError as exc:
        raise ScenarioError(f"{where}.{kind}: {exc}") from None


def read_launch_file(path: Path | str, layer: str | None = None, where: str = "launch file"):
    """Read a user's GeoJSON / GeoPackage / any OGR vector file as one lon/lat launch geometry.

    Parameters
    ----------
    path : path-like
    layer : str, optional
        Layer name; required when the file has more than one layer.
    where : str
        Position in the scenario, for messages.

    Returns
    -------
    shapely.GeometryCollection
        All features' geometries, in EPSG:4326 (see :func:`launch_file_features`).
    """
    return shapely.GeometryCollection(launch_file_features(path, layer, where)[0])


def launch_file_features(path: Path | str, layer: str | None = None, where: str = "launch file"):
    """Read a user's GeoJSON / GeoPackage / any OGR vector file: its geometries and their names.

    Parameters
    ----------
    path : path-like
    layer : str, optional
        Layer name; required when the file has more than one layer.
    where : str
        Position in the scenario, for messages.

    Returns
    -------
    (list of shapely.Geometry, tuple of str)
        The non-empty geometries in EPSG:4326, and each one's ``name`` (or
        ``label``) attribute as text where the file has one (else empty).

    Raises
    ------
    ScenarioError
        For a missing or unreadable file, a file with several layers and no
        ``layer``, an unknown layer, no geometries, invalid coordinates, a
        declared CRS that cannot be read, or projected coordinates without a CRS.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise ScenarioError(f"{where}: file {name!r} not found" if not path.exists() else
                            f"{where}: {name!r} is not a file")
    _check_launch_file_kind(path, where)
    # A timeline reads one file per date for several sites (minus, standoff_from): the same file, unchanged,
    # is read once. Only successful reads are kept; the key changes with the file.
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino, layer)
    try:
        geoms, names = _READ_CACHE[key]
        return list(geoms), names
    except KeyError:
        pass
    geoms, names = _read_launch_file(path, layer, where)
    _READ_CACHE[key] = (tuple(geoms), names)
    while len(_READ_CACHE) > _READ_CACHE_SIZE:
        try:
            _READ_CACHE.popitem(last=False)
        except KeyError:  # emptied by another thread
            break
    return geoms, names


_READ_CACHE: "collections.OrderedDict" = collections.OrderedDict()
_READ_CACHE_SIZE = 8


def _read_launch_file(path: Path, layer, where: str):
    """The uncached read of :func:`launch_file_features` (after the file's existence and kind are checked)."""
    import warnings

    import pyogrio

    name = str(path)
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except Exception as exc:  # noqa: BLE001 - GDAL's reasons vary by driver; all mean "not a GIS file"
        raise ScenarioError(f"{where}: cannot read {name!r} as a GIS file: {_one_line(exc)}") from None
    if layer is None and len(layers) > 1:
        raise ScenarioError(f"{where}: {name!r} has {len(layers)} layers ({', '.join(layers[:8])}); "
                            "say which with layer = \"...\"")
    if layer is not None and layer not in layers:
        raise ScenarioError(f"{where}: {name!r} has no layer {layer!r}; it has {', '.join(layers[:8])}")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # noqa: BLE001
        raise ScenarioError(f"{where}: cannot read {name!r} as a GIS file: {_one_line(exc)}") from None
    crs_warnings = [str(w.message) for w in caught if "crs" in str(w.message).lower()
                    or "srs" in str(w.message).lower()]
    declared = _declared_geojson_crs(path)
    if declared is not None:
        import pyproj

        try:
            frame = frame.set_crs(pyproj.CRS.from_user_input(declared), allow_override=True)
        except (pyproj.exceptions.CRSError, TypeError, ValueError):
            crs_warnings.append(f"crs {declared!r} is not a coordinate reference system rangemap knows")
    if crs_warnings:
        # A file with no CRS at all is read as lon/lat degrees (RFC 7946), and refused below if it is not.
        reason = crs_warnings[0]
        raise ScenarioError(f"{where}: {name!r}: unknown coordinate reference system ({_one_line(reason)}); "
                            "save it as EPSG:4326 (lon/lat degrees)")
    if "geometry" not in frame or not len(frame):
        raise ScenarioError(f"{where}: {name!r} has no geometries (is it a table without geometry?)")
    try:
        if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
            frame = frame.to_crs("EPSG:4326")
        keep = [g is not None and not g.is_empty for g in frame.geometry.values]
        geoms = list(frame.geometry.values[keep])
    except Exception as exc:  # noqa: BLE001 - pyproj / GEOS errors on a user's data
        raise ScenarioError(f"{where}: {name!r}: cannot use its geometries: {_one_line(exc)}") from None
    if not geoms:
        raise ScenarioError(f"{where}: {name!r} has no non-empty geometries")
    xy = shapely.get_coordinates(geoms)
    if not np.isfinite(xy).all():
        raise ScenarioError(f"{where}: {name!r} has non-finite (NaN or infinite) coordinates")
    if (abs(xy[:, 0]) > 180).any() or (abs(xy[:, 1]) > 90).any():
        raise ScenarioError(f"{where}: {name!r} has coordinates outside lon/lat range and no CRS: "
                            "it looks projected; save it as EPSG:4326 (lon/lat degrees) or with its CRS")
    column = next((c for c in frame.columns if str(c).lower() in ("name", "label")), None)
    names = () if column is None else tuple("" if v is None or v != v else str(v) for v in frame[column][keep])
    check_text(list(names), name, f"{where}: attribute '{column}'")
    return geoms, names


# Launch files are read only in formats that hold their data themselves: a GDAL VRT, a /vsi path or a KML
# network link would make GDAL read other files or fetch URLs named by a shared (untrusted) file.
_LAUNCH_FILE_MAGIC = {".geojson": (b"{", b"["), ".json": (b"{", b"["), ".gpkg": (b"SQLite format 3\x00",),
                      ".shp": (b"\x00\x00\x27\x0a",), ".fgb": (b"fgb",)}


def _check_launch_file_kind(path: Path, where: str) -> None:
    """Refuse launch files whose extension or first bytes are not one of the self-contained formats."""
    suffix = path.suffix.lower()
    if suffix not in _LAUNCH_FILE_MAGIC:
        raise ScenarioError(f"{where}: {str(path)!r}: launch files must be GeoJSON (.geojson, .json), GeoPackage "
                            f"(.gpkg), Shapefile (.shp) or FlatGeobuf (.fgb), got {suffix or 'no extension'!r}")
    with open(path, "rb") as fh:
        head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(_LAUNCH_FILE_MAGIC[suffix]):
        raise ScenarioError(f"{where}: {str(path)!r}: its content is not {suffix[1:]} (it starts with {head[:16]!r})")


def _declared_geojson_crs(path: Path):
    """The ``crs`` member of a (pre-RFC 7946) GeoJSON file, or None; GDAL falls back to lon/lat for names it
    does not know, so rangemap reads the member itself."""
    if path.suffix.lower() not in (".geojson", ".json") or path.stat().st_size > 200_000_000:
        return None
    import json

    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    crs = data.get("crs") if isinstance(data, dict) else None
    if crs is None:
        return None
    props = crs.get("properties") if isinstance(crs, dict) else None
    return props.get("name") if isinstance(props, dict) and "name" in props else crs


def _one_line(exc) -> str:
    return " ".join(str(exc).split())[:300]
