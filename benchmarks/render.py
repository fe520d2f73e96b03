"""End-to-end render of the default scenario in a fresh process, with a breakdown.

Cold start (imports), data load (scenario, gazetteer), footprints, analysis and
the offline HTML, each timed; best of 3 fresh processes. The baseline, measured
in the same run, is a fresh process that only imports folium and writes an
empty folium map, so the ratio says how much rangemap's own work adds on this
machine. Run: ``make bench``.
"""

import json
import subprocess
import sys

CHILD = r"""
import json, sys, tempfile, time
t0 = time.perf_counter()
from rangemap.model.scenario import load_scenario
from rangemap.model.results import run_scenario
from rangemap.outputs.page import write_map
t1 = time.perf_counter()
scenario = load_scenario()
t2 = time.perf_counter()
result = run_scenario(scenario)
t3 = time.perf_counter()
out = tempfile.mkdtemp()
path = write_map(result, out + "/map.html", offline=True)
t4 = time.perf_counter()
print(json.dumps({"cold start (imports)": t1 - t0, "data load (scenario + gazetteer)": t2 - t1,
                  "footprints (+ measured error)": result.timings_s["footprints"],
                  "analysis (coverage, places, gains)": result.timings_s["analysis"],
                  "offline HTML": t4 - t3, "total": t4 - t0, "html_mb": path.stat().st_size / 1e6}))
"""

BASELINE = r"""
import tempfile, time
t0 = time.perf_counter()
import folium
folium.Map(tiles=None).save(tempfile.mkdtemp() + "/empty.html")
print(time.perf_counter() - t0)
"""


def main() -> None:
    runs = [json.loads(subprocess.run([sys.executable, "-c", CHILD], check=True, capture_output=True,
                                      text=True).stdout.strip().splitlines()[-1]) for _ in range(3)]
    best = min(runs, key=lambda r: r["total"])
    baseline = min(float(subprocess.run([sys.executable, "-c", BASELINE], check=True, capture_output=True,
                                        text=True).stdout.strip()) for _ in range(3))
    print(f"{'step (best of 3 fresh processes)':40s} {'time s':>8s}")
    for key, value in best.items():
        if key != "html_mb":
            print(f"{key:40s} {value:8.2f}")
    print(f"{'offline HTML size':40s} {best['html_mb']:7.2f} MB")
    print(f"{'baseline: import folium + empty map':40s} {baseline:8.2f}")
    print(f"{'total / baseline':40s} {best['total'] / baseline:8.1f}x   (target: total <= 10 s)")


if __name__ == "__main__":
    main()
