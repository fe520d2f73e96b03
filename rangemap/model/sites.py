"""Launch-site kinds: the one registry of what a site table in a scenario may hold.

A launch site is a TOML table with exactly one kind key and that kind's own keys::

    { point = [36.25, 50.0] }
    { place = "Sumy", country = "Ukraine" }
    { region = "Kharkiv", country = "Ukraine" }
    { country = "Moldova" }
    { border = ["Ukraine", "Russia"], along = ["Sumy"] }
    { file = "front.geojson", layer = "front" }

every kind with an optional ``label``, and any of them with the launch-area
keys ``minus = [sites]``, ``standoff_km = 20`` and ``standoff_from = [sites]``
(see :mod:`rangemap.model.territory`). This module is the only code that knows
that layout: :func:`parse_site` turns a table into a :class:`SiteSpec`
(types and values checked, nothing looked up, read or computed), and
:func:`site_tables` walks the site tables of a scenario's raw TOML (for the
timeline, which rewrites dated file names before parsing).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rangemap.errors import ScenarioError
from rangemap.geodesy.bounds import in_lon_lat_range, range_km_problem


@dataclass(frozen=True)
class SiteKind:
    """One kind of launch site: its key and the other keys a site of that kind may carry.

    Attributes
    ----------
    name : str
        The kind's key in the site table (``"place"``).
    keys : tuple of str
        Keys only a site of this kind may carry, besides ``label`` (``("country",)``).
    value : str
        What the kind's value is, for messages (``"a place name"``).
    parse : callable
        ``parse(kind, site, entry, base_dir)``: the site with its value (and own keys) checked and set.
    """

    name: str
    keys: tuple[str, ...]
    value: str
    parse: Callable[[SiteKind, SiteSpec, dict, Path | str], SiteSpec]


# Launch-area keys; the ones holding a list of nested site tables are SITE_LIST_KEYS.
AREA_KEYS = ("minus", "standoff_km", "standoff_from")
SITE_LIST_KEYS = ("minus", "standoff_from")


@dataclass(frozen=True)
class SiteSpec:
    """One launch-site table, validated: what to look up or read at resolve time, nothing looked up yet.

    Attributes
    ----------
    kind : str
        A key of :data:`KINDS`.
    value : object
        ``(lon, lat)`` for a point, ``(a, b)`` for a border, the file's path
        (joined to the scenario's folder) for a file, else the name.
    where : str
        The site's position (file and field), for messages.
    label : str
        As written; empty: made from the resolved site.
    country : str or None
        A place's or region's country.
    along : tuple of str or None
        A border's regions.
    layer : str or None
        A file's layer.
    minus, standoff_from : tuple of SiteSpec
        Launch-area sites (see :mod:`rangemap.model.territory`).
    standoff_m : float
        Metres.
    area_keys : str
        The launch-area keys as written (for messages); empty when the site has none.
    """

    kind: str
    value: Any  # the kind's value, its type as listed above
    where: str
    label: str = ""
    country: str | None = None
    along: tuple[str, ...] | None = None
    layer: str | None = None
    minus: tuple[SiteSpec, ...] = ()
    standoff_m: float = 0.0
    standoff_from: tuple[SiteSpec, ...] = ()
    area_keys: str = ""


def expect(where: str, value: object, kinds: type | tuple[type, ...], what: str) -> Any:
    """``value`` if it is one of ``kinds`` (a bool only where bool is asked for), else the one-line error.

    The one type check of scenario values (sites here, the other fields in :mod:`rangemap.model.spec`).

    Examples
    --------
    >>> expect("s.toml: min_population", 5, int, "an integer")
    5
    >>> expect("s.toml: min_population", True, int, "an integer")
    Traceback (most recent call last):
    ...
    rangemap.errors.ScenarioError: s.toml: min_population: expected an integer, got True
    """
    if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)) or not isinstance(
            value, kinds):
        raise ScenarioError(f"{where}: expected {what}, got {value!r}")
    return value


def parse_site(entry: object, where: str, base_dir: Path | str = ".") -> SiteSpec:
    """Validate one launch-site table (types, keys, values); looks nothing up and reads no file.

    Parameters
    ----------
    entry : object
        The site table from the scenario's TOML.
    where : str
        Its position (file and field), for messages.
    base_dir : path-like
        A ``file`` site's path is relative to this folder.

    Returns
    -------
    SiteSpec

    Raises
    ------
    ScenarioError
        Naming the file, field and value.

    Examples
    --------
    >>> parse_site({"place": "Sumy", "country": "Ukraine"}, "s.toml: launch[0].sites[0]").country
    'Ukraine'
    """
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where}: expected a table such as {{place = \"Sumy\"}}, got {entry!r}")
    if any(key in entry for key in AREA_KEYS):
        return _parse_area(entry, where, base_dir)
    bad = sorted(set(entry) - _FIELDS)
    if bad:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(bad)}; a site has one of {', '.join(KINDS)}")
    # A kind's own key ("country" on a place) does not count as a second kind.
    own = {key for name in KINDS if name in entry for key in KINDS[name].keys}
    kinds = [name for name in KINDS if name in entry and name not in own]
    if len(kinds) != 1:
        raise ScenarioError(f"{where}: give exactly one of {', '.join(KINDS)}, got {entry!r}")
    kind = KINDS[kinds[0]]
    for key, phrase in _KEY_PHRASE.items():
        if key in entry and key not in kind.keys:
            owner = next(k.name for k in KINDS.values() if key in k.keys)
            raise ScenarioError(f"{where}.{key}: only a {owner} site has {phrase}, got {key} = {entry[key]!r} "
                                f"on a {kind.name} site")
    label = expect(f"{where}.label", entry["label"], str, "a string") if "label" in entry else ""
    country = None
    if "country" in kind.keys and "country" in entry:
        country = expect(f"{where}.country", entry["country"], str, "a country name")
    return kind.parse(kind, SiteSpec(kind.name, None, where, label, country), entry, base_dir)


def _point(kind: SiteKind, site: SiteSpec, entry: dict, base_dir: Path | str) -> SiteSpec:
    value = entry[kind.name]
    ok = isinstance(value, list) and len(value) == 2 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    if not ok or not in_lon_lat_range(value[0], value[1]):
        raise ScenarioError(f"{site.where}.{kind.name}: expected {kind.value}, got {value!r}")
    return replace(site, value=(value[0], value[1]))


def _name(kind: SiteKind, site: SiteSpec, entry: dict, base_dir: Path | str) -> SiteSpec:
    return replace(site, value=expect(f"{site.where}.{kind.name}", entry[kind.name], str, kind.value))


def _border(kind: SiteKind, site: SiteSpec, entry: dict, base_dir: Path | str) -> SiteSpec:
    value = entry[kind.name]
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise ScenarioError(f"{site.where}.{kind.name}: expected {kind.value}, got {value!r}")
    along = None
    if "along" in entry:
        along = expect(f"{site.where}.along", entry["along"], list, "a list of region names")
        if not along or not all(isinstance(a, str) and a.strip() for a in along):
            raise ScenarioError(f"{site.where}.along: expected a non-empty list of region names, got {along!r}")
        along = tuple(along)
    return replace(site, value=(value[0], value[1]), along=along)


def _file(kind: SiteKind, site: SiteSpec, entry: dict, base_dir: Path | str) -> SiteSpec:
    path = Path(base_dir) / expect(f"{site.where}.{kind.name}", entry[kind.name], str, kind.value)
    layer = expect(f"{site.where}.layer", entry["layer"], str, "a layer name") if "layer" in entry else None
    return replace(site, value=path, layer=layer)


KINDS: dict[str, SiteKind] = {k.name: k for k in (
    SiteKind("point", (), "[lon, lat] in degrees", _point),
    SiteKind("place", ("country",), "a place name", _name),
    SiteKind("region", ("country",), "a region name", _name),
    SiteKind("country", (), "a country name", _name),
    SiteKind("border", ("along",), "two country names", _border),
    SiteKind("file", ("layer",), "a path", _file),
)}
# How a message names a kind's own key when a site of another kind carries it.
_KEY_PHRASE = {"layer": "a layer", "along": "'along'"}
_FIELDS = frozenset(KINDS) | {"label"} | {key for kind in KINDS.values() for key in kind.keys}


def _parse_area(entry: dict, where: str, base_dir: Path | str) -> SiteSpec:
    """A site with launch-area keys: the plain site, its ``minus`` and ``standoff_from`` sites, the standoff."""
    if ("standoff_km" in entry) != ("standoff_from" in entry):
        given, missing = ("standoff_km", "standoff_from") if "standoff_km" in entry else ("standoff_from", "standoff_km")
        raise ScenarioError(f"{where}.{given}: needs '{missing}' too (got {given} = {entry[given]!r})")
    standoff_m = _standoff_m(entry["standoff_km"], where) if "standoff_km" in entry else 0.0
    plain = parse_site({k: v for k, v in entry.items() if k not in AREA_KEYS}, where, base_dir)
    lists = {key: _site_list(entry[key], f"{where}.{key}", base_dir) for key in SITE_LIST_KEYS if key in entry}
    shown = {k: entry[k] for k in sorted(AREA_KEYS) if k in entry}
    return replace(plain, minus=lists.get("minus", ()), standoff_m=standoff_m,
                 standoff_from=lists.get("standoff_from", ()), area_keys=repr(shown))


def _standoff_m(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(f"{where}.standoff_km: expected a number of km, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ScenarioError(f"{where}.standoff_km: must be a finite number >= 0, got {value!r}")
    # 0 is no standoff; any other standoff is a footprint's distance, with its limits.
    problem = range_km_problem(value) if value > 0 else None
    if problem:
        raise ScenarioError(f"{where}.standoff_km: {problem}, got {value!r}")
    return float(value) * 1000.0


def _site_list(value: object, where: str, base_dir: Path | str) -> tuple[SiteSpec, ...]:
    if not isinstance(value, list) or not value:
        raise ScenarioError(f"{where}: expected a non-empty list of sites such as [{{ file = \"x.geojson\" }}], "
                            f"got {value!r}")
    return tuple(parse_site(sub, f"{where}[{i}]", base_dir) for i, sub in enumerate(value))


def site_tables(data: dict, label: str) -> Iterator[tuple[str, dict]]:
    """Every site table of a scenario's raw TOML (``launch[i].sites[j]`` and nested site lists), with its position.

    Tables that are not dicts, and lists that are not lists, are passed over:
    :func:`parse_site` reports them.

    Parameters
    ----------
    data : dict
        The scenario's parsed TOML.
    label : str
        The file name, for positions.

    Yields
    ------
    (str, dict)
        The position (``"s.toml: launch[0].sites[1].minus[0]"``) and the table itself (not a copy).
    """
    stack = []
    launches = data.get("launch")
    for i, entry in enumerate(launches if isinstance(launches, list) else []):
        group_sites = entry.get("sites") if isinstance(entry, dict) else None
        for j, site in enumerate(group_sites if isinstance(group_sites, list) else []):
            stack.append((f"{label}: launch[{i}].sites[{j}]", site))
    while stack:
        where, site = stack.pop()
        if not isinstance(site, dict):
            continue
        yield where, site
        for key in SITE_LIST_KEYS:
            nested = site.get(key)
            for k, sub in enumerate(nested if isinstance(nested, list) else []):
                stack.append((f"{where}.{key}[{k}]", sub))


def site_files(site: SiteSpec) -> tuple[str, ...]:
    """Every file a site reads: its own, then its ``minus`` and ``standoff_from`` sites', depth first.

    An output must never replace any of them (:func:`rangemap.io.atomic.check_output_path`).

    Parameters
    ----------
    site : SiteSpec

    Returns
    -------
    tuple of str
        Paths as written in the spec (joined to the scenario's folder).
    """
    own = (str(site.value),) if site.kind == "file" else ()
    return own + tuple(path for sub in (*site.minus, *site.standoff_from) for path in site_files(sub))


__all__ = ["AREA_KEYS", "KINDS", "SITE_LIST_KEYS", "SiteKind", "SiteSpec", "expect", "parse_site", "site_files", "site_tables"]
