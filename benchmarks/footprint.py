"""Footprint speed and accuracy: rangemap vs the AEQD recipe, as a scaling table.

Each row runs in its own forked process (so peak memory is the row's own)
with rangemap and then the AEQD recipe (project to an azimuthal equidistant
projection centred on the geometry, planar buffer with a segment count that
meets the same 1 m tolerance on a circle, project back) in the same run, so
the ratio compares like with like on a shared machine. Columns:

- ``rangemap s`` / ``AEQD s``: best of up to three runs (one for slow rows);
- ``ratio``: rangemap time / AEQD time;
- ``max err m``: rangemap.footprint_error (every boundary edge, as drawn,
  sampled at 8 points against Geod.inv distances); the AEQD recipe's own
  error is in ``AEQD err m``;
- ``vertices`` / ``AEQD vert``: output vertex counts (what the tolerance needs
  is about the AEQD recipe's count, which meets it on circles);
- ``peak MB``: the row's peak resident memory above the process's start.

Rows: a point, a 500 km line and the Ukraine outline at 10 m to 9,000 km; a
polygon outline resampled to 100 - 100k vertices at 300 km; a held-territory
shape (Ukraine minus a generated front, about 4,000 vertices) at 20 and 300 km; 10 - 10,000
random launch points in a 500 km box at 300 km; a 1,000,000-vertex launch line
and 2,000 launch points at 300 km (issue 9). Run: ``make bench`` or
``python benchmarks/footprint.py [ROW_FILTER]``.
"""

import multiprocessing as mp
import resource
import sys
import time

import numpy as np
import pyproj
import shapely

from rangemap import footprint, footprint_error
from rangemap.geodesy.footprints import arc_step_rad, centre_deg
from rangemap.geodesy.nearest import densify_geodesic_deg

GEOD = pyproj.Geod(ellps="WGS84")
ROW_TIME_LIMIT_S = 300
RANGES_M = (10.0, 1_000.0, 100_000.0, 300_000.0, 1_000_000.0, 3_000_000.0, 9_000_000.0)


def ukraine_mainland():
    from rangemap.data import gazetteer

    return max(shapely.get_parts(gazetteer.country("Ukraine").geometry), key=lambda p: p.area)


def line_500km():
    """A 500 km geodesic line with a bend, across eastern Ukraine."""
    return shapely.LineString([(33.0, 50.0), GEOD.fwd(33.0, 50.0, 80.0, 250_000.0)[:2],
                               GEOD.fwd(*GEOD.fwd(33.0, 50.0, 80.0, 250_000.0)[:2], 120.0, 250_000.0)[:2]])


def resampled_outline(n_vertices: int):
    """The Ukraine outline resampled geodesically to about n vertices (a real, wiggly shape at every size)."""
    ring = np.asarray(ukraine_mainland().exterior.coords)
    _, _, length_m = GEOD.inv(ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1])
    if n_vertices <= len(ring):
        keep = np.unique(np.linspace(0, len(ring) - 1, n_vertices).astype(int))
        return shapely.Polygon(ring[keep])
    lon, lat = densify_geodesic_deg(ring[:, 0], ring[:, 1], length_m.sum() / n_vertices)
    return shapely.Polygon(np.column_stack([lon, lat]))


def held_territory():
    """The shape of a launch area: Ukraine's outline minus a generated 3,000-vertex occupied area.

    The occupied area is week 0 of ``benchmarks/timeline.py`` (a wiggly front line, not real data);
    the largest part of the difference is a polygon of about 4,000 vertices with a long wiggly side.
    """
    from timeline import occupied

    held = ukraine_mainland().difference(occupied(0))
    return max(shapely.get_parts(held), key=lambda p: p.area)


def random_points(n: int, seed: int = 0):
    """n random launch points in a 500 km box around Kharkiv."""
    rng = np.random.default_rng(seed)
    x, y, _ = GEOD.fwd(np.full(n, 36.2), np.full(n, 50.0), np.zeros(n), rng.uniform(-250e3, 250e3, n))
    x, y, _ = GEOD.fwd(x, y, np.full(n, 90.0), rng.uniform(-250e3, 250e3, n))
    return shapely.MultiPoint(np.column_stack([x, y]))


def long_line(n: int):
    """An n-vertex launch line: a 1,000 km wiggle (a front line drawn at metre resolution)."""
    t = np.linspace(0.0, 1.0, n)
    return shapely.LineString(np.column_stack([30.0 + 10.0 * t, 48.0 + 0.3 * np.sin(40 * t) + 1e-4 * np.sin(7e3 * t)]))


def aeqd_recipe(geometry, distance_m, quad_segs):
    lon0, lat0 = centre_deg(geometry)
    crs = pyproj.CRS.from_dict({"proj": "aeqd", "lon_0": lon0, "lat_0": lat0, "ellps": "WGS84"})
    t = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    planar = shapely.transform(geometry, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    # Vectorised: one buffer per part and one cascaded union (buffering a collection as one is far slower).
    buffered = shapely.union_all(shapely.buffer(shapely.get_parts(planar), distance_m, quad_segs=quad_segs))
    return shapely.transform(buffered, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1], direction="INVERSE")))


def rows():
    """(name, geometry factory, range) for every row of the table."""
    out = []
    for label, make in (("point", lambda: shapely.Point(36.19, 51.73)), ("500 km line", line_500km),
                        ("Ukraine outline", ukraine_mainland)):
        out += [(f"{label} @ {_km(d)}", make, d) for d in RANGES_M]
    out += [(f"outline {n:,} vertices @ 300 km", (lambda n=n: resampled_outline(n)), 300_000.0)
            for n in (100, 1_000, 10_000, 100_000)]
    out += [(f"held territory @ {_km(d)}", held_territory, d) for d in (20_000.0, 300_000.0)]
    out += [(f"{n:,} launch points @ 300 km", (lambda n=n: random_points(n)), 300_000.0)
            for n in (10, 100, 1_000, 2_000, 10_000)]
    out.append(("1,000,000-vertex line @ 300 km", lambda: long_line(1_000_000), 300_000.0))
    return out


def _km(distance_m):
    return f"{distance_m:,.0f} m" if distance_m < 1000 else f"{distance_m / 1000:,.0f} km"


def _best_time_s(fn, budget_s=3.0):
    times, result = [], None
    while len(times) < 3 and sum(times) < budget_s:
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _row(make, distance_m, out):
    geometry = make()
    start_mb = _peak_mb()
    ours_s, fp = _best_time_s(lambda: footprint(geometry, distance_m))
    peak_mb = _peak_mb() - start_mb
    quad_segs = int(np.clip(np.ceil((np.pi / 2) / arc_step_rad(distance_m, 1.0)), 2, 4000))
    aeqd_s, aeqd = _best_time_s(lambda: aeqd_recipe(geometry, distance_m, quad_segs))
    error_m = footprint_error(fp, geometry, distance_m).max_error_m
    aeqd_error_m = footprint_error(aeqd, geometry, distance_m).max_error_m
    out.put((ours_s, aeqd_s, error_m, aeqd_error_m, int(shapely.get_num_coordinates(fp)),
             int(shapely.get_num_coordinates(aeqd)), peak_mb, fp.is_valid))


def main(pattern: str = ""):
    ctx = mp.get_context("fork")
    header = (f"{'case':36} {'rangemap s':>10} {'AEQD s':>8} {'ratio':>7} {'max err m':>9} {'AEQD err m':>10} "
              f"{'vertices':>9} {'AEQD vert':>9} {'peak MB':>8}")
    print(header, flush=True)
    for name, make, distance_m in rows():
        if pattern not in name:
            continue
        out = ctx.Queue()
        proc = ctx.Process(target=_row, args=(make, distance_m, out))
        proc.start()
        proc.join(ROW_TIME_LIMIT_S)
        if proc.is_alive():
            proc.terminate()
            proc.join()
            print(f"{name:36} over {ROW_TIME_LIMIT_S} s", flush=True)
            continue
        if out.empty():
            print(f"{name:36} failed (exit code {proc.exitcode})", flush=True)
            continue
        ours_s, aeqd_s, error_m, aeqd_error_m, vertices, aeqd_vertices, peak_mb, valid = out.get()
        print(f"{name:36} {ours_s:10.3f} {aeqd_s:8.3f} {ours_s / aeqd_s:7.1f} {error_m:9.3f} {aeqd_error_m:10.1f} "
              f"{vertices:9d} {aeqd_vertices:9d} {peak_mb:8.0f}" + ("" if valid else "  INVALID"), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
