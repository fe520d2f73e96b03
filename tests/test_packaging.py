"""A regular (not editable) install ships everything the package reads at run time."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_install_finds_its_data(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    wheel = next(wheels.glob("rangemap-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("rangemap/geodata/regions.npz", "rangemap/geodata/borders.npz", "rangemap/geodata/places.npz",
                   "rangemap/geodata/region_names.npz", "rangemap/geodata/countries_basemap.npz",
                   "rangemap/geodata/weapons.toml", "rangemap/geodata/PROVENANCE.md",
                   "rangemap/scenarios/atacms-2024.toml", "rangemap/assets/rangemap.js", "rangemap/assets/rangemap.css",
                   "rangemap/assets/geographiclib-geodesic/geographiclib-geodesic.min.js",
                   "rangemap/assets/geographiclib-geodesic/LICENSE.txt",
                   "rangemap/vendor/leaflet.timedimension.min.js", "rangemap/vendor/leaflet.timedimension.control.css",
                   "rangemap/vendor/iso8601.js", "rangemap/vendor/moment.min.js",
                   "rangemap/vendor/LICENSE.leaflet-timedimension", "rangemap/vendor/LICENSE.moment",
                   "rangemap/vendor/LICENSE.iso8601-js-period", "rangemap/vendor/README.md",
                   "rangemap/outputs/static/__init__.py", "rangemap/outputs/static/framing.py"):
        assert needed in names, needed
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    code = ("import rangemap, rangemap.data.gazetteer as g, rangemap.data.catalog as c, rangemap.model.scenario as s;"
            "print(rangemap.__file__); print(g.region('Kursk').iso_3166_2[0], c.weapon('ATACMS').range_km,"
            " s.load_scenario().name)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": ""},
                         check=True, capture_output=True, text=True).stdout.split("\n")
    assert out[0].startswith(str(target))
    assert out[1] == "RU-KRS 300.0 atacms-2024"
