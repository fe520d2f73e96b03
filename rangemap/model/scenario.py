"""Resolved scenarios: a :class:`~rangemap.model.spec.ScenarioSpec`'s names looked up, files read, areas drawn.

Reading a scenario is two steps: :func:`rangemap.model.spec.parse_scenario`
validates the TOML and computes nothing; :func:`resolve_scenario` looks names
up in the gazetteer and the catalog, reads launch files and draws launch areas
(standoff margins within the scenario's ``tolerance_m``). :func:`load_scenario`
does both for a file. Every error names the file, the field and the bad value
(a :class:`~rangemap.errors.ScenarioError`); names that the gazetteer or
catalog do not know are reported with their closest matches. The reference
for the file format is in the README ("Scenario files"); the default scenario
is ``rangemap/scenarios/atacms-2024.toml``.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import numpy as np
import shapely

from rangemap.data import catalog as catalog_mod
from rangemap.data import gazetteer
from rangemap.data.catalog import Weapon
from rangemap.data.gazetteer import Region
from rangemap.errors import LookupFailedError, ScenarioError
from rangemap.geodesy.bounds import DEFAULT_TOLERANCE_M, in_lon_lat_range
from rangemap.geodesy.footprints import footprint
from rangemap.io.tomlfile import check_text, read_toml
from rangemap.model import territory
from rangemap.model.sites import SiteSpec, site_files
from rangemap.model.spec import LaunchSpec, RegionSpec, ScenarioSpec, WeaponsSpec, parse_scenario, weapon_slug

DEFAULT_SCENARIO = "atacms-2024.toml"


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
    tolerance_m: float = DEFAULT_TOLERANCE_M
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
    """Read, parse and resolve a scenario file (the default scenario when ``path`` is None).

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
    scenario = resolve_scenario(parse_scenario(read_toml(path, "scenario file"), str(path), path.parent))
    return replace(scenario, inputs=(str(path), *scenario.inputs))


def resolve_scenario(spec: ScenarioSpec, *, make_footprint: Callable = footprint) -> Scenario:
    """Look up a spec's names, read its launch files and draw its launch areas.

    Parameters
    ----------
    spec : ScenarioSpec
        From :func:`rangemap.model.spec.parse_scenario`.
    make_footprint : callable, optional
        ``make_footprint(geometry, distance_m, tolerance_m=...)`` draws the
        standoff margins (:func:`rangemap.geodesy.footprints.footprint`, or a
        cached one such as :meth:`rangemap.geodesy.cache.FootprintCache.footprint`);
        it is called with the scenario's ``tolerance_m``.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Naming the file, field and value: unknown names (with their closest
        matches), unreadable launch files or catalogs, duplicate weapons or
        regions, a launch area with nothing left.
    """
    label = spec.label
    catalog = None if spec.catalog is None else catalog_mod.load_catalog(spec.catalog)
    weapons = _weapons(spec.weapons, label, catalog)
    launches = tuple(_launch(group, label, catalog, spec.tolerance_m, make_footprint) for group in spec.launches)
    regions = _regions(spec.regions, label)
    places_in = tuple(_places_in(name, f"{label}: places_in[{i}]") for i, name in enumerate(spec.places_in))
    files = [path for group in spec.launches for site in group.sites for path in site_files(site)]
    inputs = ([] if spec.catalog is None else [str(spec.catalog)]) + list(dict.fromkeys(files))
    return Scenario(spec.name, spec.title, launches, weapons, regions, spec.date, spec.notes, spec.sources,
                    spec.min_population, places_in, spec.places_without_population, spec.tolerance_m, label,
                    tuple(inputs))


def _weapons(spec: WeaponsSpec, label: str, catalog: dict[str, Weapon] | None) -> tuple[Weapon, ...]:
    out = []
    for i, entry in enumerate(spec.entries):
        if isinstance(entry, Weapon):
            out.append(entry)
            continue
        try:
            out.append(catalog_mod.weapon(entry, catalog))
        except LookupFailedError as exc:
            raise ScenarioError(f"{label}: {spec.field}[{i}]: {exc}") from None
    ids = [w.id for w in out]
    for i, wid in enumerate(ids):
        if "/" in wid:
            raise ScenarioError(f"{label}: {spec.field}[{i}]: a weapon id may not contain '/' (footprint ids are "
                                f"<launch id>/<weapon id>), got {wid!r}")
    if len(set(ids)) != len(ids):
        raise ScenarioError(f"{label}: field '{spec.field}' lists {sorted({i for i in ids if ids.count(i) > 1})} twice")
    return tuple(out)


def _regions(specs: tuple[RegionSpec, ...], label: str) -> tuple[Region, ...]:
    out: list[Region] = []
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for i, spec in enumerate(specs):
        try:
            r = gazetteer.region(spec.name, spec.country)
        except LookupFailedError as exc:
            raise ScenarioError(f"{label}: regions[{i}]: {exc}") from None
        key = (r.name, r.iso_3166_2)
        if key in seen:
            raise ScenarioError(f"{label}: regions[{i}]: {spec.shown} is {r.name} again (regions[{seen[key]}]); "
                                "list each region once")
        seen[key] = i
        out.append(r)
    return tuple(out)


def _places_in(name: str, where: str) -> PlacesArea:
    """A country or region that limits places in range: a country name first, else a region name."""
    try:
        c = gazetteer.country(name)
        return PlacesArea(c.name, "country", c.geometry)
    except LookupFailedError:
        pass
    try:
        r = gazetteer.region(name)
    except LookupFailedError as exc:
        raise ScenarioError(f"{where}: no country or region named {name!r} ({exc})") from None
    return PlacesArea(r.name, "region", r.geometry)


def _auto_label(labels: list[str], shown: int = 3) -> str:
    """A group label from its sites' labels: the first few, then how many more."""
    if len(labels) <= shown + 1:
        return ", ".join(labels)
    return f"{', '.join(labels[:shown])} and {len(labels) - shown:,} more"


def _launch(group: LaunchSpec, label: str, catalog: dict[str, Weapon] | None, tolerance_m: float,
            make_footprint: Callable) -> LaunchGroup:
    weapons = () if group.weapons is None else _weapons(group.weapons, label, catalog)
    sites = tuple(resolve_site(s, tolerance_m=tolerance_m, make_footprint=make_footprint) for s in group.sites)
    return LaunchGroup(group.id, group.label.strip() or _auto_label([s.label for s in sites]), sites, weapons)


def resolve_site(site: SiteSpec, *, tolerance_m: float = DEFAULT_TOLERANCE_M,
                 make_footprint: Callable = footprint) -> LaunchSite:
    """Turn one parsed launch site into a geometry: look its name up or read its file, then its launch area.

    Parameters
    ----------
    site : SiteSpec
        From :func:`rangemap.model.sites.parse_site`.
    tolerance_m : float, optional
        Error bound of a standoff margin's edge, metres (the scenario's ``tolerance_m``).
    make_footprint : callable, optional
        Draws the standoff margin (see :func:`resolve_scenario`).

    Returns
    -------
    LaunchSite
        With ``minus`` / ``standoff_from``, its geometry is the launch area
        (:func:`rangemap.model.territory.launch_area`).
    """
    plain = _plain_site(site)
    if not site.area_keys:
        return plain
    minus = [resolve_site(s, tolerance_m=tolerance_m, make_footprint=make_footprint).geometry for s in site.minus]
    standoff_from = [resolve_site(s, tolerance_m=tolerance_m, make_footprint=make_footprint).geometry
                     for s in site.standoff_from]
    area = territory.launch_area(plain.geometry, minus=minus, standoff_m=site.standoff_m, standoff_from=standoff_from,
                                 tolerance_m=tolerance_m, make_footprint=make_footprint)
    if area.is_empty:
        raise ScenarioError(f"{site.where}: nothing is left of the site after {site.area_keys}")
    return replace(plain, geometry=area)


def _plain_site(site: SiteSpec) -> LaunchSite:
    """The site's own geometry: a point, a gazetteer name or a launch file."""
    where, value, label = site.where, site.value, site.label
    try:
        if site.kind == "point":
            return LaunchSite("point", label or f"{value[0]:.4f}, {value[1]:.4f}", shapely.Point(value))
        if site.kind == "place":
            p = gazetteer.place(value, site.country)
            return LaunchSite("place", label or p.name, shapely.Point(p.lon, p.lat))
        if site.kind == "region":
            r = gazetteer.region(value, site.country)
            return LaunchSite("region", label or r.name, r.geometry)
        if site.kind == "country":
            c = gazetteer.country(value)
            return LaunchSite("country", label or c.name, c.geometry)
        if site.kind == "border":
            along = None if site.along is None else list(site.along)
            default = f"{value[0]}–{value[1]} border" + (f" along {', '.join(along)}" if along else "")
            return LaunchSite("border", label or default, gazetteer.border(*value, along=along))
        geoms, names = launch_file_features(value, site.layer, f"{where}.file")
        return LaunchSite("file", label or value.name, shapely.GeometryCollection(geoms), str(value), names)
    except LookupFailedError as exc:
        raise ScenarioError(f"{where}.{site.kind}: {exc}") from None


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


_READ_CACHE: collections.OrderedDict = collections.OrderedDict()
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
    if not in_lon_lat_range(xy[:, 0], xy[:, 1]):
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


# parse_scenario, ScenarioSpec and weapon_slug live in rangemap.model.spec; importable from here too.
__all__ = ["DEFAULT_SCENARIO", "LaunchGroup", "LaunchSite", "PlacesArea", "Scenario", "ScenarioSpec",
           "default_scenario_path", "launch_file_features", "load_scenario", "parse_scenario", "read_launch_file",
           "resolve_scenario", "resolve_site", "weapon_slug"]
