"""The default scenario's static PNG at 1600 px: time, against a bare geopandas plot of the same layers.

Each run is a fresh process that computes the default scenario and then times
``rangemap.static_map(result, "map.png")`` (1600 px wide), with its steps. The
baseline, measured in the same run, is a fresh process that plots the same
layers (countries and admin-1 outlines of the basemap, the four footprints and
the regions of interest) with plain ``GeoSeries.plot`` in the same projection
and saves a PNG of the same size: no labels, legend, scale bar or graticule.
Best of 3 each. Target: the static PNG in <= 10 s on 2 cores. Run:
``python benchmarks/static.py`` (also ``make bench``).
"""

import json
import subprocess
import sys

CHILD = r"""
import json, tempfile, time
t0 = time.perf_counter()
from rangemap.model.results import run_scenario
from rangemap.model.scenario import load_scenario
from rangemap.outputs.static import static_map
t1 = time.perf_counter()
result = run_scenario(load_scenario())
t2 = time.perf_counter()
path = static_map(result, tempfile.mkdtemp() + "/map.png")
t3 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "scenario (footprints + analysis)": t2 - t1, "static PNG 1600 px": t3 - t2,
                  "png_kb": path.stat().st_size / 1e3}))
"""

BASELINE = r"""
import tempfile, time
import geopandas as gpd
from matplotlib.figure import Figure
from rangemap.data.gazetteer import basemap_layers
from rangemap.model.results import run_scenario
from rangemap.model.scenario import load_scenario
from rangemap.outputs.static import map_crs
result = run_scenario(load_scenario())
t0 = time.perf_counter()
crs = map_crs(result)
countries, regions = basemap_layers((22.0, 41.0, 46.0, 57.0))
fig = Figure(figsize=(10, 8.9), dpi=160)
ax = fig.add_axes((0, 0, 1, 1))
gpd.GeoSeries([g for _, g in countries], crs=4326).to_crs(crs).plot(ax=ax, facecolor="#f2efe9", edgecolor="#888")
gpd.GeoSeries([g for _, g in regions], crs=4326).to_crs(crs).boundary.plot(ax=ax, color="#bbb", linewidth=0.4)
gpd.GeoSeries([f.geometry for f in result.footprints], crs=4326).to_crs(crs).plot(ax=ax, alpha=0.1, edgecolor="r")
gpd.GeoSeries([r.geometry for r in result.scenario.regions], crs=4326).to_crs(crs).plot(ax=ax, alpha=0.4)
fig.savefig(tempfile.mkdtemp() + "/bare.png", dpi=160)
print(time.perf_counter() - t0)
"""


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def main() -> None:
    runs = [json.loads(_run(CHILD).splitlines()[-1]) for _ in range(3)]
    best = min(runs, key=lambda r: r["static PNG 1600 px"])
    baseline = min(float(_run(BASELINE).splitlines()[-1]) for _ in range(3))
    print(f"{'step (best of 3 fresh processes)':42s} {'time s':>8s}")
    for key, value in best.items():
        if key != "png_kb":
            print(f"{key:42s} {value:8.2f}")
    print(f"{'PNG size':42s} {best['png_kb']:7.0f} kB")
    print(f"{'baseline: bare geopandas plot, same layers':42s} {baseline:8.2f}")
    ratio = best["static PNG 1600 px"] / baseline
    print(f"{'static PNG / baseline':42s} {ratio:8.1f}x   (target: static PNG <= 10 s)")


if __name__ == "__main__":
    main()
