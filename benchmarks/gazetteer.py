"""Cold gazetteer load and lookup times, against GDAL reading the same regions in the same run.

Each cold measurement is a fresh Python process (so nothing is cached), best
of 5. The baseline is GDAL (pyogrio) reading the raw Natural Earth TopoJSON when
it is beside this checkout (../shared/geodata), else a GeoJSON written from the
shipped regions. Run: ``make bench``.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "geodata" / "ne_10m_admin_1_states_provinces.topo.json.gz"


def cold_s(code: str, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        best = min(best, float(out.stdout.strip().splitlines()[-1]))
    return best


def main() -> None:
    timer = "import time; t = time.perf_counter()\n{body}\nprint(time.perf_counter() - t)"
    baseline_path = f"/vsigzip/{SHARED}" if SHARED.exists() else None
    tmp = None
    if baseline_path is None:
        import geopandas
        from rangemap.gazetteer import _regions_table

        geometries, attrs = _regions_table()
        tmp = tempfile.TemporaryDirectory()
        baseline_path = str(Path(tmp.name) / "regions.geojson")
        geopandas.GeoDataFrame(attrs, geometry=list(geometries), crs="EPSG:4326").to_file(baseline_path)
    rows = []
    gdal = cold_s(timer.format(body=f"import pyogrio; pyogrio.read_dataframe({baseline_path!r})"))
    rows.append(("GDAL/pyogrio read of the admin-1 layer (baseline)", gdal))
    load = cold_s(timer.format(body="from rangemap import gazetteer; gazetteer._regions_table()"))
    rows.append(("rangemap cold load of all 4,855 regions (import + decode)", load))
    first = cold_s(timer.format(body="from rangemap import gazetteer; gazetteer.region('Kursk')"))
    rows.append(("rangemap cold import + first region('Kursk')", first))
    place = cold_s(timer.format(body="from rangemap import gazetteer; gazetteer.place('Odesa', 'Ukraine')"))
    rows.append(("rangemap cold import + first place('Odesa')", place))
    from rangemap import gazetteer

    gazetteer.region("Kursk")
    names = ["Kursk", "RU-KRS", "Kursk Oblast", "Belgorod", "Bryansk", "Crimea"] * 50
    t = time.perf_counter()
    for n in names:
        gazetteer.region(n)
    warm = (time.perf_counter() - t) / len(names)
    print(f"{'measurement':62s} {'time s':>9s} {'ratio to baseline':>18s}")
    for label, seconds in rows:
        print(f"{label:62s} {seconds:9.3f} {seconds / gdal:18.2f}")
    print(f"{'warm region lookup (mean over 300, Crimea a union of two)':62s} {warm:9.5f} {warm / gdal:18.5f}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
