"""rangemap.geodesy.cache: the on-disk footprint cache, keyed by geometry, range and tolerance."""

import shapely

from rangemap.geodesy.cache import CACHE_VERSION, FootprintCache, footprint_key
from rangemap.geodesy.footprints import footprint

SITE = shapely.Point(36.2, 50.0)


def test_a_hit_returns_the_same_footprint(tmp_path):
    first = FootprintCache(tmp_path)
    computed = first.footprint(SITE, 50_000.0)
    assert (first.computed, first.reused) == (1, 0)
    assert len(list(tmp_path.glob("*.wkb"))) == 1
    second = FootprintCache(tmp_path)
    reused = second.footprint(SITE, 50_000.0)
    assert (second.computed, second.reused) == (0, 1)
    assert shapely.equals_exact(reused, computed, 0)
    assert shapely.equals_exact(reused, footprint(SITE, 50_000.0), 0)


def test_the_key_changes_with_tolerance_distance_and_geometry():
    base = footprint_key(SITE, 50_000.0, 1.0)
    others = {footprint_key(SITE, 50_000.0, 0.5), footprint_key(SITE, 50_001.0, 1.0),
              footprint_key(shapely.Point(36.2, 50.000001), 50_000.0, 1.0),
              footprint_key(shapely.MultiPoint([(36.2, 50.0)]), 50_000.0, 1.0)}
    assert base not in others and len(others) == 4
    # The same numbers as int or float are the same key; the key is 64 hex digits.
    assert footprint_key(SITE, 50_000, 1) == base
    assert len(base) == 64 and int(base, 16) >= 0


def test_the_key_changes_with_the_cache_version(monkeypatch):
    from rangemap.geodesy import cache

    before = footprint_key(SITE, 50_000.0, 1.0)
    monkeypatch.setattr(cache, "CACHE_VERSION", CACHE_VERSION + "-next")
    assert footprint_key(SITE, 50_000.0, 1.0) != before


def test_different_tolerances_are_different_entries(tmp_path):
    cache = FootprintCache(tmp_path)
    coarse = cache.footprint(SITE, 50_000.0, tolerance_m=10.0)
    fine = cache.footprint(SITE, 50_000.0, tolerance_m=0.5)
    assert (cache.computed, cache.reused) == (2, 0)
    assert shapely.get_num_coordinates(fine) > shapely.get_num_coordinates(coarse)


def test_no_folder_computes_every_time():
    cache = FootprintCache(None)
    a, b = cache.footprint(SITE, 20_000.0), cache.footprint(SITE, 20_000.0)
    assert (cache.computed, cache.reused) == (2, 0)
    assert shapely.equals_exact(a, b, 0)


def test_a_corrupt_cache_file_is_computed_again_and_replaced(tmp_path):
    path = tmp_path / f"{footprint_key(SITE, 50_000.0, 1.0)}.wkb"
    for damage in (b"not wkb at all", b"", shapely.to_wkb(footprint(SITE, 50_000.0), byte_order=1)[:40]):
        path.write_bytes(damage)
        cache = FootprintCache(tmp_path)
        result = cache.footprint(SITE, 50_000.0)
        assert (cache.computed, cache.reused) == (1, 0)
        assert shapely.equals_exact(result, footprint(SITE, 50_000.0), 0)
        assert shapely.equals_exact(shapely.from_wkb(path.read_bytes()), result, 0)
