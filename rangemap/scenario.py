"""Scenarios: launch sites, weapons and regions of interest, loaded from TOML and validated.

Every error names the file, the field and the bad value (a
:class:`~rangemap.errors.ScenarioError`); names that the gazetteer or catalog
do not know are reported with their closest matches. The reference for the
file format is in the README ("Scenario files"); the default scenario is
``rangemap/scenarios/atacms-2024.toml``.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import shapely

from rangemap import catalog as catalog_mod
from rangemap import gazetteer, territory
from rangemap.catalog import Weapon
from rangemap.errors import LookupFailedError, ScenarioError
from rangemap.gazetteer import Region

DEFAULT_SCENARIO = "atacms-2024.toml"
_TOP_FIELDS = {"name", "title", "date", "notes", "sources", "min_population", "catalog", "tolerance_m", "weapons",
               "regions", "launch"}
_SITE_KINDS = ("point", "place", "region", "country", "border", "file")
_SITE_FIELDS = set(_SITE_KINDS) | {"label", "layer"}


@dataclass(frozen=True)
class LaunchSite:
    """One resolved launch site: where it came from and its lon/lat geometry."""

    kind: str
    label: str
    geometry: object


@dataclass(frozen=True)
class LaunchGroup:
    """Launch sites that fire together; one footprint per weapon is drawn around their union."""

    id: str
    label: str
    sites: tuple[LaunchSite, ...]

    @property
    def geometry(self):
        """The union of the sites' geometries, as a GeometryCollection (lon/lat)."""
        return shapely.GeometryCollection([s.geometry for s in self.sites])


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
    tolerance_m: float = 1.0
    path: str = field(default="", compare=False)


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
    label = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"{label}: scenario file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{label}: not valid TOML: {exc}") from None
    return parse_scenario(data, label, path.parent)


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
    unknown = sorted(set(data) - _TOP_FIELDS)
    if unknown:
        raise ScenarioError(f"{label}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_TOP_FIELDS))}")
    name = _text(data, "name", label, required=True)
    title = _text(data, "title", label) or name
    sources = tuple(_want(f"{label}: sources[{i}]", s, str, "a string")
                    for i, s in enumerate(_want(f"{label}: field 'sources'", data.get("sources", []), list, "a list")))
    min_population = _want(f"{label}: field 'min_population'", data.get("min_population", 0), int, "an integer")
    if min_population < 0:
        raise ScenarioError(f"{label}: field 'min_population': must be >= 0, got {min_population!r}")
    tolerance_m = float(_want(f"{label}: field 'tolerance_m'", data.get("tolerance_m", 1.0), (int, float), "a number"))
    if not math.isfinite(tolerance_m) or tolerance_m < 0.01:
        raise ScenarioError(f"{label}: field 'tolerance_m': must be at least 0.01 (m), got {tolerance_m!r}")
    catalog = catalog_mod.load_catalog(base_dir / _text(data, "catalog", label)) if "catalog" in data else None
    weapons = _weapons(data.get("weapons"), label, catalog)
    launches = _launches(data.get("launch"), label, base_dir)
    regions = tuple(_region(r, f"{label}: regions[{i}]")
                    for i, r in enumerate(_want(f"{label}: field 'regions'", data.get("regions", []), list, "a list")))
    return Scenario(name, title, launches, weapons, regions, _text(data, "date", label), _text(data, "notes", label),
                    sources, min_population, tolerance_m, label)


def _weapons(entries, label: str, catalog) -> tuple[Weapon, ...]:
    if entries is None:
        raise ScenarioError(f"{label}: missing required field 'weapons' (catalog ids, or {{name, range_km, source}})")
    entries = _want(f"{label}: field 'weapons'", entries, list, "a list")
    if not entries:
        raise ScenarioError(f"{label}: field 'weapons' is empty")
    out = []
    for i, entry in enumerate(entries):
        where = f"{label}: weapons[{i}]"
        if isinstance(entry, str):
            try:
                out.append(catalog_mod.weapon(entry, catalog))
            except LookupFailedError as exc:
                raise ScenarioError(f"{where}: {exc}") from None
        elif isinstance(entry, dict):
            custom_id = str(entry.get("id", entry.get("name", f"custom-{i}")))
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
    if len(set(ids)) != len(ids):
        raise ScenarioError(f"{label}: field 'weapons' lists {sorted({i for i in ids if ids.count(i) > 1})} twice")
    return tuple(out)


def _region(entry, where: str) -> Region:
    try:
        if isinstance(entry, str):
            return gazetteer.region(entry)
        if isinstance(entry, dict) and "name" in entry:
            return gazetteer.region(entry["name"], entry.get("country"))
    except LookupFailedError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
    raise ScenarioError(f"{where}: expected a region name or {{name, country}}, got {entry!r}")


def _launches(entries, label: str, base_dir: Path) -> tuple[LaunchGroup, ...]:
    if entries is None:
        raise ScenarioError(f"{label}: missing required [[launch]] table (launch sites)")
    entries = _want(f"{label}: field 'launch'", entries, list, "[[launch]] tables")
    groups = []
    for i, entry in enumerate(entries):
        where = f"{label}: launch[{i}]"
        _want(where, entry, dict, "a table")
        bad = sorted(set(entry) - {"id", "label", "sites"})
        if bad:
            raise ScenarioError(f"{where}: unknown field(s) {', '.join(bad)}; allowed: id, label, sites")
        gid = _want(f"{where}.id", entry.get("id", f"launch-{i + 1}"), str, "a string")
        sites = _want(f"{where}.sites", entry.get("sites"), list, "a list of sites")
        if not sites:
            raise ScenarioError(f"{where}.sites: is empty")
        resolved = tuple(resolve_site(s, f"{where}.sites[{j}]", base_dir) for j, s in enumerate(sites))
        groups.append(LaunchGroup(gid, str(entry.get("label", "") or ", ".join(s.label for s in resolved)), resolved))
    ids = [g.id for g in groups]
    if len(set(ids)) != len(ids):
        raise ScenarioError(f"{label}: launch ids must be unique, got {ids}")
    return tuple(groups)


def resolve_site(entry, where: str, base_dir: Path | str = ".") -> LaunchSite:
    """Turn one launch-site table into a geometry.

    Parameters
    ----------
    entry : dict
        Exactly one of ``point = [lon, lat]``, ``place = "Sumy"`` (with an
        optional ``country``), ``region = "Kharkiv"``, ``country = "Ukraine"``,
        ``border = ["Ukraine", "Russia"]``, ``file = "front.geojson"`` (with an
        optional ``layer``); an optional ``label``.
    where : str
        Position in the file, for messages.
    base_dir : path-like
        Relative ``file`` paths are read from here.

    Returns
    -------
    LaunchSite
    """
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where}: expected a table such as {{place = \"Sumy\"}}, got {entry!r}")
    if territory.SITE_KEYS & entry.keys():  # launch area: minus / standoff_km / standoff_from (rangemap.territory)
        return territory.resolve_territory(entry, where, lambda e, w: resolve_site(e, w, base_dir))
    bad = sorted(set(entry) - _SITE_FIELDS)
    if bad:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(bad)}; a site has one of {', '.join(_SITE_KINDS)}")
    kinds = [k for k in _SITE_KINDS if k in entry and not (k == "country" and ("place" in entry or "region" in entry))]
    if len(kinds) != 1:
        raise ScenarioError(f"{where}: give exactly one of {', '.join(_SITE_KINDS)}, got {entry!r}")
    kind = kinds[0]
    value = entry[kind]
    label = entry.get("label")
    try:
        if kind == "point":
            ok = isinstance(value, list) and len(value) == 2 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            if not ok or not (-180 <= value[0] <= 180 and -90 <= value[1] <= 90):
                raise ScenarioError(f"{where}.point: expected [lon, lat] in degrees, got {value!r}")
            return LaunchSite("point", label or f"{value[0]:.4f}, {value[1]:.4f}", shapely.Point(value))
        if kind == "place":
            p = gazetteer.place(_want(f"{where}.place", value, str, "a place name"), entry.get("country"))
            return LaunchSite("place", label or p.name, shapely.Point(p.lon, p.lat))
        if kind == "region":
            r = gazetteer.region(_want(f"{where}.region", value, str, "a region name"), entry.get("country"))
            return LaunchSite("region", label or r.name, r.geometry)
        if kind == "country":
            c = gazetteer.country(_want(f"{where}.country", value, str, "a country name"))
            return LaunchSite("country", label or c.name, c.geometry)
        if kind == "border":
            if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
                raise ScenarioError(f"{where}.border: expected two country names, got {value!r}")
            return LaunchSite("border", label or f"{value[0]}–{value[1]} border", gazetteer.border(*value))
        return LaunchSite("file", label or Path(str(value)).name,
                          read_launch_file(Path(base_dir) / _want(f"{where}.file", value, str, "a path"),
                                           entry.get("layer"), f"{where}.file"))
    except LookupFailedError as exc:
        raise ScenarioError(f"{where}.{kind}: {exc}") from None


def read_launch_file(path: Path | str, layer: str | None = None, where: str = "launch file"):
    """Read a user's GeoJSON / GeoPackage / any OGR file as one lon/lat launch geometry.

    Parameters
    ----------
    path : path-like
    layer : str, optional
        Layer name, for multi-layer files such as GeoPackage.
    where : str
        Position in the scenario, for messages.

    Returns
    -------
    shapely.Geometry
        All features' geometries as one collection, in EPSG:4326.
    """
    import geopandas
    import pyogrio.errors

    path = Path(path)
    if not path.exists():
        raise ScenarioError(f"{where}: file {str(path)!r} not found")
    try:
        frame = geopandas.read_file(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        raise ScenarioError(f"{where}: cannot read {str(path)!r} as a GIS file: {exc}") from None
    geoms = [g for g in frame.geometry.values if g is not None and not g.is_empty]
    if not geoms:
        raise ScenarioError(f"{where}: {str(path)!r} has no non-empty geometries")
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
        geoms = [g for g in frame.geometry.values if g is not None and not g.is_empty]
    xy = shapely.get_coordinates(geoms)
    if (abs(xy[:, 0]) > 180).any() or (abs(xy[:, 1]) > 90).any():
        raise ScenarioError(f"{where}: {str(path)!r} has coordinates outside lon/lat range and no CRS: "
                            "it looks projected; save it as EPSG:4326 (lon/lat degrees) or with its CRS")
    return shapely.GeometryCollection(geoms)
