"""Cold gazetteer load and lookup times, against baselines measured in the same run.

Each cold measurement is a fresh Python process (so nothing is cached), best
of 5. Baselines: GDAL (pyogrio) reading the raw Natural Earth admin-1
TopoJSON when it is beside this checkout (../shared/geodata), else a GeoJSON
written from the shipped regions; and, for a place name that matches nothing,
``difflib.get_close_matches`` over the display names of the places of 5,000+
people (what the gazetteer did before it had alternate names). Targets: cold
import + first ``region()`` and cold import + first ``place()`` <= 1 s each;
a warm miss with suggestions over every name and alternate name < 50 ms.
Run: ``make bench``.
"""

import difflib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "geodata" / "ne_10m_admin_1_states_provinces.topo.json.gz"
MISSES = ["Kursq", "Zaporizzhia", "Харькив", "Novoshakhtinks", "Xyzzyq", "Bilgorod", "Sudzja", "Kramatorks"]


def cold_s(code: str, repeats: int = 5) -> tuple[float, float]:
    """Best wall time of ``code`` in a fresh process, and best CPU time of that process from its start
    (interpreter start-up included; on a busy shared machine the CPU time is the steadier figure)."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code + "\nprint(time.process_time())"], check=True,
                             capture_output=True, text=True)
        lines = out.stdout.strip().splitlines()
        wall, cpu = min(wall, float(lines[-2])), min(cpu, float(lines[-1]))
    return wall, cpu


def warm_miss_s(lookup, names, repeats: int = 3) -> float:
    """Best-of-``repeats`` mean time of a lookup that fails, over ``names``."""
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for name in names:
            try:
                lookup(name)
            except LookupError:
                pass
        best = min(best, (time.perf_counter() - t) / len(names))
    return best


def main() -> None:
    timer = "import time; t = time.perf_counter()\n{body}\nprint(time.perf_counter() - t)"
    baseline_path = f"/vsigzip/{SHARED}" if SHARED.exists() else None
    tmp = None
    if baseline_path is None:
        import geopandas
        from rangemap.data.gazetteer import _regions_table

        geometries, attrs = _regions_table()
        tmp = tempfile.TemporaryDirectory()
        baseline_path = str(Path(tmp.name) / "regions.geojson")
        columns = {k: v for k, v in attrs.items() if len(v) == len(geometries)}
        geopandas.GeoDataFrame(columns, geometry=list(geometries), crs="EPSG:4326").to_file(baseline_path)
    rows = []
    gdal, gdal_cpu = cold_s(timer.format(body=f"import pyogrio; pyogrio.read_dataframe({baseline_path!r})"))
    rows.append(("GDAL/pyogrio read of the admin-1 layer (baseline)", (gdal, gdal_cpu), gdal))
    rows.append(("rangemap cold import", cold_s(timer.format(body="import rangemap.data.gazetteer")), gdal))
    load = cold_s(timer.format(body="from rangemap import gazetteer; gazetteer._regions_table()"))
    rows.append(("rangemap cold load of all 4,851 regions (import + decode)", load, gdal))
    first = cold_s(timer.format(body="from rangemap import gazetteer; gazetteer.region('Kursk')"))
    rows.append(("rangemap cold import + first region('Kursk')   [target <= 1 s]", first, gdal))
    first = cold_s(timer.format(body="from rangemap import gazetteer; gazetteer.region('Москва')"))
    rows.append(("rangemap cold import + first region('Москва')  [target <= 1 s]", first, gdal))
    place = cold_s(timer.format(body="from rangemap import gazetteer; gazetteer.place('Odesa', 'Ukraine')"))
    rows.append(("rangemap cold import + first place('Odesa')    [target <= 1 s]", place, gdal))
    place = cold_s(timer.format(body="from rangemap import gazetteer; gazetteer.place('Москва')"))
    rows.append(("rangemap cold import + first place('Москва')   [target <= 1 s]", place, gdal))
    miss = cold_s(timer.format(body="from rangemap import gazetteer\ntry:\n    gazetteer.place('Kursq')\n"
                                    "except LookupError:\n    pass"), repeats=3)
    rows.append(("rangemap cold import + first place miss ('Kursq', suggestions)", miss, gdal))
    from rangemap.data import gazetteer

    gazetteer.region("Kursk")
    names = ["Kursk", "RU-KRS", "Kursk Oblast", "Belgorod", "Bryansk", "Crimea"] * 50
    t = time.perf_counter()
    for n in names:
        gazetteer.region(n)
    warm = (time.perf_counter() - t) / len(names)
    table = gazetteer.places_table()
    primary = sorted(set(table[table.population >= 5000].name_en))
    difflib_miss = warm_miss_s(lambda n: difflib.get_close_matches(n, primary, n=5, cutoff=0.6) and None, MISSES[:3], 1)
    place_miss = warm_miss_s(gazetteer.place, MISSES)
    region_miss = warm_miss_s(gazetteer.region, MISSES)
    keys = len(gazetteer._place_key_list()["keys"])
    print(f"{'measurement':66s} {'time s':>9s} {'ratio':>9s} {'cpu s':>7s}")
    for label, (seconds, cpu), base in rows:
        print(f"{label:66s} {seconds:9.3f} {seconds / base:9.2f} {cpu:7.3f}")
    print(f"{'warm region lookup (mean over 300, Crimea a union of two)':66s} {warm:9.5f} {warm / gdal:9.5f}")
    print(f"{f'difflib miss over {len(primary):,} primary names of 5,000+ (baseline)':66s} {difflib_miss:9.4f} {1:9.2f}")
    print(f"{f'warm place miss + suggestions over {keys:,} names  [target < 0.05 s]':66s} {place_miss:9.4f} "
          f"{place_miss / difflib_miss:9.3f}")
    print(f"{'warm region miss + suggestions':66s} {region_miss:9.4f} {region_miss / difflib_miss:9.3f}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
