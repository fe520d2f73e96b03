"""A scenario as written: its TOML validated into a frozen :class:`ScenarioSpec`, nothing computed.

:func:`parse_scenario` checks types, fields and values and refuses unknown keys
and control characters, with one-line errors naming the file, field and value
(a :class:`~rangemap.errors.ScenarioError`). It reads no file, looks no name up
and draws no geometry: catalog names, gazetteer names and launch files are
resolved by :func:`rangemap.model.scenario.resolve_scenario`. Site tables are
parsed by the registry of site kinds, :mod:`rangemap.model.sites`. The
reference for the file format is in the README ("Scenario files").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from rangemap.data import catalog as catalog_mod
from rangemap.data.catalog import Weapon
from rangemap.errors import ScenarioError
from rangemap.geodesy.bounds import DEFAULT_TOLERANCE_M, tolerance_problem
from rangemap.io.tomlfile import check_text
from rangemap.model.sites import SiteSpec, expect, parse_site

_TOP_FIELDS = {"name", "title", "date", "notes", "sources", "min_population", "catalog", "tolerance_m", "weapons",
               "regions", "launch", "places_in", "places_without_population"}
_LAUNCH_FIELDS = ("id", "label", "sites", "weapons")


@dataclass(frozen=True)
class WeaponsSpec:
    """A list of weapons as written: catalog names (looked up at resolve time) and inline weapons (validated).

    Attributes
    ----------
    field : str
        Its field, for messages (``"weapons"``, ``"launch[0].weapons"``).
    entries : tuple of (str or Weapon)
    """

    field: str
    entries: tuple[str | Weapon, ...]


@dataclass(frozen=True)
class LaunchSpec:
    """One ``[[launch]]`` table: its sites (not resolved) and its own weapons, if any."""

    id: str
    label: str  # as written; empty: made from the resolved sites' labels
    sites: tuple[SiteSpec, ...]
    weapons: WeaponsSpec | None = None  # None: the scenario's weapons


@dataclass(frozen=True)
class RegionSpec:
    """One entry of ``regions``: a region name and its optional country."""

    name: str
    country: str | None
    shown: str  # the entry as written, for messages


@dataclass(frozen=True)
class ScenarioSpec:
    """A validated scenario file, every name and path as written (see :func:`parse_scenario`).

    Immutable all the way down (tuples, strings, numbers, frozen dataclasses), so
    a spec can be hashed, shared between threads and sent to dask workers.
    """

    name: str
    title: str
    launches: tuple[LaunchSpec, ...]
    weapons: WeaponsSpec
    regions: tuple[RegionSpec, ...] = ()
    date: str = ""
    notes: str = ""
    sources: tuple[str, ...] = ()
    min_population: int = 0
    places_in: tuple[str, ...] = ()
    places_without_population: bool = False
    tolerance_m: float = DEFAULT_TOLERANCE_M
    catalog: Path | None = None  # a user catalog, joined to the scenario's folder
    label: str = "<scenario>"  # the file name, for messages


def _text(data: dict, key: str, label: str, required: bool = False) -> str:
    if key not in data:
        if required:
            raise ScenarioError(f"{label}: missing required field '{key}'")
        return ""
    value = data[key]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return expect(f"{label}: field '{key}'", value, str, "a string")


def parse_scenario(data: dict, label: str = "<scenario>", base_dir: Path | str = ".") -> ScenarioSpec:
    """Validate a scenario's parsed TOML: types, fields and values; computes, reads and looks up nothing.

    Parameters
    ----------
    data : dict
        Parsed TOML.
    label : str
        File name for messages.
    base_dir : path-like
        The folder relative file paths in the scenario (launch files, the catalog) are joined to.

    Returns
    -------
    ScenarioSpec
        Resolve it with :func:`rangemap.model.scenario.resolve_scenario`, or run
        it with :func:`rangemap.model.results.run_scenario`.

    Raises
    ------
    ScenarioError
        Naming the file, field and value at fault.

    Examples
    --------
    >>> spec = parse_scenario({"name": "t", "weapons": ["atacms"], "launch": [{"sites": [{"place": "Sumy"}]}]})
    >>> spec.launches[0].sites[0].kind, spec.weapons.entries
    ('place', ('atacms',))
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
    sources = tuple(expect(f"{label}: sources[{i}]", s, str, "a string")
                    for i, s in enumerate(expect(f"{label}: field 'sources'", data.get("sources", []), list, "a list")))
    min_population = expect(f"{label}: field 'min_population'", data.get("min_population", 0), int, "an integer")
    if min_population < 0:
        raise ScenarioError(f"{label}: field 'min_population': must be >= 0, got {min_population!r}")
    tolerance_m = float(expect(f"{label}: field 'tolerance_m'", data.get("tolerance_m", DEFAULT_TOLERANCE_M),
                              (int, float), "a number"))
    problem = tolerance_problem(tolerance_m)
    if problem:
        raise ScenarioError(f"{label}: field 'tolerance_m': {problem}, got {tolerance_m!r}")
    catalog = base_dir / _text(data, "catalog", label) if "catalog" in data else None
    weapons = _weapons(data.get("weapons"), label)
    launches = _launches(data.get("launch"), label, base_dir)
    regions = _regions(expect(f"{label}: field 'regions'", data.get("regions", []), list, "a list"), label)
    places_in = tuple(expect(f"{label}: places_in[{i}]", entry, str, "a country or region name") for i, entry in
                      enumerate(expect(f"{label}: field 'places_in'", data.get("places_in", []), list, "a list")))
    unpopulated = expect(f"{label}: field 'places_without_population'", data.get("places_without_population", False),
                        bool, "true or false")
    return ScenarioSpec(name, title, launches, weapons, regions, _text(data, "date", label),
                        _text(data, "notes", label), sources, min_population, places_in, unpopulated, tolerance_m,
                        catalog, label)


def _weapons(entries: object, label: str, field_name: str = "weapons") -> WeaponsSpec:
    if entries is None:
        raise ScenarioError(f"{label}: missing required field 'weapons' (catalog ids, or {{name, range_km, source}})")
    items: list = expect(f"{label}: field '{field_name}'", entries, list, "a list")
    if not items:
        raise ScenarioError(f"{label}: field '{field_name}' is empty")
    out: list[str | Weapon] = []
    for i, entry in enumerate(items):
        where = f"{label}: {field_name}[{i}]"
        if isinstance(entry, str):
            out.append(entry)
        elif isinstance(entry, dict):
            out.append(_inline_weapon(entry, i, where))
        else:
            raise ScenarioError(f"{where}: expected a catalog id or a table {{name, range_km}}, got {entry!r}")
    return WeaponsSpec(field_name, tuple(out))


def _inline_weapon(entry: dict, index: int, where: str) -> Weapon:
    """A what-if weapon written in the scenario, validated like a catalog entry."""
    if "id" in entry:
        custom_id = expect(f"{where}.id", entry["id"], str, "a string")
        if not custom_id.strip():
            raise ScenarioError(f"{where}.id: must not be empty, got {custom_id!r}")
    else:
        custom_id = weapon_slug(entry["name"]) if isinstance(entry.get("name"), str) else ""
    custom_id = custom_id.strip() or f"custom-{index + 1}"
    fields = {k: v for k, v in entry.items() if k != "id"}
    fields.setdefault("source", "user-defined what-if range (scenario file)")
    try:
        parsed = catalog_mod.parse_catalog({"weapons": {custom_id: fields}}, where)
    except ScenarioError as exc:
        raise ScenarioError(str(exc).replace(f"{where}: weapons.{custom_id}", where)) from None
    return parsed[custom_id]


def weapon_slug(name: str) -> str:
    """An id for a what-if weapon from its name: lower case, words joined by ``-``.

    Examples
    --------
    >>> weapon_slug("What-if 500 km")
    'what-if-500-km'
    """
    return "-".join(re.findall(r"\w+", name.lower()))


def _region(entry: object, where: str) -> RegionSpec:
    if isinstance(entry, str):
        return RegionSpec(entry, None, repr(entry))
    if isinstance(entry, dict):
        bad = sorted(set(entry) - {"name", "country"})
        if bad:
            raise ScenarioError(f"{where}: unknown field(s) {', '.join(bad)}; allowed: name, country")
        if "name" not in entry:
            raise ScenarioError(f"{where}: missing required field 'name'")
        name = expect(f"{where}.name", entry["name"], str, "a region name")
        country = expect(f"{where}.country", entry["country"], str, "a country name") if "country" in entry else None
        return RegionSpec(name, country, repr(entry))
    raise ScenarioError(f"{where}: expected a region name or {{name, country}}, got {entry!r}")


def _regions(entries: list, label: str) -> tuple[RegionSpec, ...]:
    return tuple(_region(entry, f"{label}: regions[{i}]") for i, entry in enumerate(entries))


def _launches(entries: object, label: str, base_dir: Path) -> tuple[LaunchSpec, ...]:
    if entries is None:
        raise ScenarioError(f"{label}: missing required [[launch]] table (launch sites)")
    tables: list = expect(f"{label}: field 'launch'", entries, list, "[[launch]] tables")
    if not tables:
        raise ScenarioError(f"{label}: field 'launch' is empty: give at least one [[launch]] table with sites")
    groups = []
    for i, entry in enumerate(tables):
        where = f"{label}: launch[{i}]"
        expect(where, entry, dict, "a table")
        bad = sorted(set(entry) - set(_LAUNCH_FIELDS))
        if bad:
            raise ScenarioError(f"{where}: unknown field(s) {', '.join(bad)}; allowed: {', '.join(_LAUNCH_FIELDS)}")
        weapons = _weapons(entry["weapons"], label, f"launch[{i}].weapons") if "weapons" in entry else None
        gid = expect(f"{where}.id", entry.get("id", f"launch-{i + 1}"), str, "a string")
        if not gid.strip() or "/" in gid:
            raise ScenarioError(f"{where}.id: must be non-empty and without '/' (footprint ids are "
                                f"<launch id>/<weapon id>), got {gid!r}")
        group_label = expect(f"{where}.label", entry.get("label", ""), str, "a string")
        sites = expect(f"{where}.sites", entry.get("sites"), list, "a list of sites")
        if not sites:
            raise ScenarioError(f"{where}.sites: is empty")
        parsed = tuple(parse_site(s, f"{where}.sites[{j}]", base_dir) for j, s in enumerate(sites))
        groups.append(LaunchSpec(gid, group_label, parsed, weapons))
    ids = [g.id for g in groups]
    if len(set(ids)) != len(ids):
        raise ScenarioError(f"{label}: launch ids must be unique, got {ids}")
    return tuple(groups)


__all__ = ["LaunchSpec", "RegionSpec", "ScenarioSpec", "WeaponsSpec", "parse_scenario", "weapon_slug"]
