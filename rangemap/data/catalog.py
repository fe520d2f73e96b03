"""Weapon systems and their documented ranges: the shipped catalog plus users' TOML catalogs.

A catalog file has one ``[weapons.<id>]`` table per system::

    [weapons.atacms]
    name = "ATACMS (M57 / Block IA, unitary)"
    aliases = ["ATACMS"]
    range_km = 300
    approximate = false
    launchers = ["HIMARS", "M270 MLRS"]
    source = "Al Jazeera, November 2024: ..."

``name``, ``range_km`` and ``source`` are required; an entry in a user's file
with the id of a shipped one overrides it field by field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any
from pathlib import Path

from rangemap.errors import ScenarioError
from rangemap.geodesy.bounds import range_km_problem
from rangemap.data.names import ambiguous, normalise, not_found
from rangemap.io.tomlfile import check_text, read_toml

_FIELDS: dict[str, Any] = {"name": str, "label": str, "aliases": list, "range_km": (int, float), "approximate": bool, "launchers": list,
           "source": str}
_REQUIRED = ("name", "range_km", "source")


@dataclass(frozen=True)
class Weapon:
    """A weapon system and its documented range.

    Attributes
    ----------
    id : str
        Catalog id, e.g. ``"atacms"``.
    name : str
    range_km : float
    source : str
        Where the range figure comes from, to cite.
    approximate : bool
        The figure is a public approximation ("70+ km").
    launchers : tuple of str
    aliases : tuple of str
    label : str
        Short display label for map layers ("ATACMS"); defaults to ``name``.
    """

    id: str
    name: str
    range_km: float
    source: str
    approximate: bool = False
    launchers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=())
    label: str = ""

    @property
    def short_label(self) -> str:
        """The label for map layers and tables: ``label`` or else ``name``."""
        return self.label or self.name

    @property
    def range_m(self) -> float:
        """The range in metres."""
        return self.range_km * 1000.0


def parse_catalog(data: dict[str, Any], label: str, base: dict[str, Weapon] | None = None) -> dict[str, Weapon]:
    """Validate catalog entries and merge them over a base catalog.

    Parameters
    ----------
    data : dict
        Parsed TOML with a ``weapons`` table.
    label : str
        The file name, for error messages.
    base : dict of str to Weapon, optional
        Entries that these add to or override.

    Returns
    -------
    dict of str to Weapon

    Raises
    ------
    ScenarioError
        Naming the file, the field and the bad value.
    """
    merged = dict(base or {})
    if not isinstance(data, dict):
        raise ScenarioError(f"{label}: expected a [weapons.<id>] table, got {type(data).__name__}")
    check_text(data, label)
    extra = sorted(set(data) - {"weapons"})
    if extra:
        raise ScenarioError(f"{label}: unknown top-level field(s) {', '.join(map(repr, extra))}; a catalog has only "
                            "[weapons.<id>] tables")
    weapons = data.get("weapons")
    if not isinstance(weapons, dict) or not weapons:
        raise ScenarioError(f"{label}: expected a [weapons.<id>] table, found none")
    for wid, entry in weapons.items():
        where = f"{label}: weapons.{wid}"
        if not wid.strip():
            raise ScenarioError(f"{label}: weapons: an id must not be empty, got {wid!r}")
        if not isinstance(entry, dict):
            raise ScenarioError(f"{where}: expected a table, got {entry!r}")
        unknown = sorted(set(entry) - set(_FIELDS))
        if unknown:
            raise ScenarioError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(_FIELDS)}")
        for key, value in entry.items():
            kinds = _FIELDS[key]
            if isinstance(value, bool) and kinds != bool or not isinstance(value, kinds):
                raise ScenarioError(f"{where}.{key}: bad value {value!r} ({type(value).__name__})")
            if kinds is list:
                for i, item in enumerate(value):
                    if not isinstance(item, str) or not item.strip():
                        raise ScenarioError(f"{where}.{key}[{i}]: expected a non-empty string, got {item!r}")
            if kinds is str and key in ("name", "source") and not value.strip():
                raise ScenarioError(f"{where}.{key}: must not be empty, got {value!r}")
        old = merged.get(wid)
        values: dict[str, Any] = {} if old is None else {"name": old.name, "range_km": old.range_km, "source": old.source,
                                         "approximate": old.approximate, "launchers": list(old.launchers),
                                         "aliases": list(old.aliases), "label": old.label}
        values.update(entry)
        missing = [k for k in _REQUIRED if k not in values]
        if missing:
            raise ScenarioError(f"{where}: missing required field(s) {', '.join(missing)}")
        problem = range_km_problem(values["range_km"])
        if problem:
            raise ScenarioError(f"{where}.range_km: bad value {values['range_km']!r}; {problem}")
        range_km = float(values["range_km"])
        if not str(values["source"]).strip():
            raise ScenarioError(f"{where}.source: must name the source of the range figure")
        merged[wid] = Weapon(str(wid), str(values["name"]), range_km, str(values["source"]),
                             bool(values.get("approximate", False)), tuple(map(str, values.get("launchers", []))),
                             tuple(map(str, values.get("aliases", []))), str(values.get("label", "")))
    return merged


@lru_cache(maxsize=1)
def shipped_catalog() -> dict[str, Weapon]:
    """The catalog that ships in ``geodata/weapons.toml``.

    Returns
    -------
    dict of str to Weapon
    """
    resource = resources.files("rangemap.geodata").joinpath("weapons.toml")
    return parse_catalog(tomllib.loads(resource.read_text(encoding="utf-8")), "geodata/weapons.toml")


def load_catalog(path: Path | str | None = None) -> dict[str, Weapon]:
    """The shipped catalog, with a user's TOML catalog merged over it.

    Parameters
    ----------
    path : path-like, optional
        A user catalog; entries add to or override the shipped ones.

    Returns
    -------
    dict of str to Weapon
    """
    if path is None:
        return dict(shipped_catalog())
    return parse_catalog(read_toml(path, "catalog file"), str(path), shipped_catalog())


def weapon(name: str, catalog: dict[str, Weapon] | None = None) -> Weapon:
    """Look up a weapon by id, name or alias.

    Parameters
    ----------
    name : str
        ``"atacms"``, ``"ATACMS"`` (the 300 km one), ``"atacms-165"``, ``"Storm Shadow"`` ...
    catalog : dict, optional
        Defaults to the shipped catalog.

    Returns
    -------
    Weapon

    Raises
    ------
    LookupFailedError

    Examples
    --------
    >>> weapon("ATACMS").range_km
    300.0
    """
    catalog = shipped_catalog() if catalog is None else catalog
    if name in catalog:
        return catalog[name]
    key = normalise(name)
    hits = [w for w in catalog.values() if key in {normalise(w.id), normalise(w.name), *map(normalise, w.aliases)}]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise ambiguous("weapon", name, [f"{w.id} ({w.name}, {w.range_km:g} km)" for w in hits],
                        "Use the catalog id.")
    known = [w.id for w in catalog.values()] + [a for w in catalog.values() for a in w.aliases]
    raise not_found("weapon", name, known, "`rangemap weapons` lists the catalog.")


def find_weapon(name: str, first: Iterable[Weapon] = (), catalog: dict[str, Weapon] | None = None) -> Weapon:
    """A weapon by id, name or label among ``first`` (a scenario's weapons), else by :func:`weapon` in the catalog.

    Parameters
    ----------
    name : str
    first : iterable of Weapon, optional
        Searched first, case-insensitively, by id, name and short label.
    catalog : dict, optional
        Defaults to the shipped catalog.

    Returns
    -------
    Weapon

    Raises
    ------
    LookupFailedError
        From :func:`weapon`, when neither holds it.

    Examples
    --------
    >>> what_if = Weapon("what-if", "What-if 500", 500.0, "hypothetical", label="W500")
    >>> find_weapon("w500", [what_if]).range_km, find_weapon("ATACMS", [what_if]).id
    (500.0, 'atacms')
    """
    wanted = name.strip().casefold()
    for w in first:
        if wanted in (w.id.casefold(), w.name.casefold(), w.short_label.casefold()):
            return w
    return weapon(name, catalog)
