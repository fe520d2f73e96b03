"""Weapon catalog: shipped entries, lookups, user catalogs and their validation messages."""

import pytest

from rangemap import LookupFailedError, ScenarioError
from rangemap.data import catalog


def test_shipped_catalog_cites_every_range():
    shipped = catalog.shipped_catalog()
    assert {"atacms", "atacms-165", "gmlrs", "storm-shadow", "taurus"} <= set(shipped)
    for w in shipped.values():
        assert w.source.strip() and w.launchers and w.range_km > 0


def test_atacms_is_the_300_km_one_and_the_165_has_its_own_id():
    assert catalog.weapon("ATACMS").range_km == 300
    assert catalog.weapon("atacms").id == "atacms"
    assert catalog.weapon("atacms-165").range_km == 165
    assert catalog.weapon("Storm Shadow").range_km == 250
    assert "Al Jazeera" in catalog.weapon("ATACMS").source


def test_unknown_weapon_suggests():
    with pytest.raises(LookupFailedError, match="did you mean: atacms"):
        catalog.weapon("atakms")


def test_user_catalog_adds_and_overrides(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[weapons.atacms]\nrange_km = 310\n\n[weapons.neptune]\nname = "R-360 Neptune"\n'
                    'range_km = 280\nsource = "public figure"\n')
    merged = catalog.load_catalog(path)
    assert merged["atacms"].range_km == 310 and merged["atacms"].source == catalog.weapon("atacms").source
    assert catalog.weapon("R-360 Neptune", merged).range_km == 280


@pytest.mark.parametrize("body,expected", [
    ('[weapons.x]\nname = "X"\nrange_km = "far"\nsource = "s"\n', "weapons.x.range_km: bad value 'far'"),
    ('[weapons.x]\nname = "X"\nrange_km = -5\nsource = "s"\n', "weapons.x.range_km: bad value -5"),
    ('[weapons.x]\nname = "X"\nrange_km = 5\n', "weapons.x: missing required field(s) source"),
    ('[weapons.x]\nname = "X"\nrange_km = 5\nsource = "s"\ncolour = "red"\n', "unknown field(s) colour"),
    ('weapons = 3\n', "expected a [weapons.<id>] table"),
    ('[weapons.x\n', "not valid TOML"),
])
def test_user_catalog_errors_name_file_field_and_value(tmp_path, body, expected):
    path = tmp_path / "bad.toml"
    path.write_text(body)
    with pytest.raises(ScenarioError) as exc:
        catalog.load_catalog(path)
    assert str(path) in str(exc.value)
    assert expected in str(exc.value)


def test_find_weapon_looks_in_the_scenario_first_then_the_catalog():
    what_if = catalog.Weapon("atacms-x", "What-if 500", 500.0, "hypothetical", label="ATACMS")
    assert catalog.find_weapon(" atacms ", [what_if]) is what_if  # by label, before the catalog's ATACMS
    assert catalog.find_weapon("what-if 500", [what_if]) is what_if
    assert catalog.find_weapon("Storm Shadow", [what_if]).id == "storm-shadow"
    with pytest.raises(LookupFailedError, match="unknown weapon 'atakms'; did you mean: atacms"):
        catalog.find_weapon("atakms", [what_if])
