"""Scale: many launch points and a very long launch line, end to end, with peak memory.

Each case runs in a fresh process (peak RSS from ``resource.getrusage``):
- 2,000 random launch points in a 500 km box at 300 km: footprint, analysis and
  the offline map (targets: <= 15 s, <= 1 GB peak, map <= 10 MB);
- a 1,000,000-vertex launch line at 300 km: the footprint alone (target <= 60 s).
The baseline, measured in the same run, is the AEQD recipe on the same input
(vectorised planar disks / one planar buffer, no accuracy guarantee), so the
ratio says what exactness costs on this machine. Run: ``python benchmarks/scale.py``.
"""

import json
import subprocess
import sys

POINTS = r"""
import json, resource, sys, tempfile, time
import numpy as np
t0 = time.perf_counter()
from rangemap.model.scenario import parse_scenario
from rangemap.model.results import run_scenario
from rangemap.outputs.page import write_map
rng = np.random.default_rng(1)
n = int(sys.argv[1])
lon = 33.0 + rng.uniform(-3.3, 3.3, n); lat = 49.0 + rng.uniform(-2.25, 2.25, n)
sites = [{"point": [float(x), float(y)]} for x, y in zip(lon, lat)]
scenario = parse_scenario({"name": "many", "weapons": ["atacms"], "regions": ["Kursk", "Crimea"],
                           "min_population": 100000, "launch": [{"id": "many", "sites": sites}]}, "many.toml")
result = run_scenario(scenario)
path = write_map(result, tempfile.mkdtemp() + "/many.html", offline=True)
print(json.dumps({"time_s": time.perf_counter() - t0, "footprints_s": result.timings_s["footprints"],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "map_mb": path.stat().st_size / 1e6, "max_error_m": max(f.max_error_m for f in result.footprints)}))
"""

LINE = r"""
import json, resource, sys, time
import numpy as np, shapely
from rangemap import footprint, footprint_error
n = int(sys.argv[1])
t = np.linspace(0, 1, n)
line = shapely.LineString(np.column_stack([30 + 8 * t + 0.05 * np.sin(t * 4000), 47 + 4 * t + 0.05 * np.cos(t * 3000)]))
t0 = time.perf_counter()
fp = footprint(line, 300_000)
elapsed = time.perf_counter() - t0
err = footprint_error(fp, line, 300_000).max_error_m
print(json.dumps({"time_s": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "max_error_m": err}))
"""

RECIPE = r"""
import json, sys, time
import numpy as np, pyproj, shapely
kind, n = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter()
aeqd = pyproj.Transformer.from_crs("EPSG:4326", "+proj=aeqd +lat_0=49 +lon_0=33 +units=m", always_xy=True)
if kind == "points":
    rng = np.random.default_rng(1)
    lon = 33.0 + rng.uniform(-3.3, 3.3, n); lat = 49.0 + rng.uniform(-2.25, 2.25, n)
    x, y = aeqd.transform(lon, lat)
    shapely.union_all(shapely.buffer(shapely.points(x, y), 300_000, quad_segs=64))
else:
    t = np.linspace(0, 1, n)
    x, y = aeqd.transform(30 + 8 * t + 0.05 * np.sin(t * 4000), 47 + 4 * t + 0.05 * np.cos(t * 3000))
    shapely.buffer(shapely.LineString(np.column_stack([x, y])), 300_000, quad_segs=64)
print(json.dumps({"time_s": time.perf_counter() - t0}))
"""


def _run(code, *args, timeout=900):
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    rows = [("2,000 launch points, 300 km, render", _run(POINTS, 2000), _run(RECIPE, "points", 2000),
             "<= 15 s, <= 1,024 MB, map <= 10 MB"),
            ("1,000,000-vertex line, 300 km, footprint", _run(LINE, 1_000_000), _run(RECIPE, "line", 1_000_000),
             "<= 60 s")]
    print(f"{'case':42s} {'time s':>8s} {'recipe s':>9s} {'ratio':>7s} {'peak MB':>8s} {'map MB':>7s} "
          f"{'max err m':>9s}  target")
    for name, ours, recipe, target in rows:
        if "error" in ours:
            print(f"{name:42s} failed: {ours['error']}")
            continue
        ratio = ours["time_s"] / recipe["time_s"] if "time_s" in recipe else float("nan")
        print(f"{name:42s} {ours['time_s']:8.2f} {recipe.get('time_s', float('nan')):9.3f} {ratio:7.1f} "
              f"{ours['peak_mb']:8.0f} {ours.get('map_mb', float('nan')):7.2f} {ours['max_error_m']:9.3f}  {target}")


if __name__ == "__main__":
    main()
