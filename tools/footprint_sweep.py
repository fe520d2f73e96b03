"""Random robustness sweep of rangemap.footprint: accuracy, validity and time per case.

Cases: lines, polygons (up to 1,000 vertices, some spiky), point groups (some
with circles that nearly touch), worldwide, at ranges from 1 m to 9,000 km.
Each case is timed, checked for validity and measured at every output edge and
at dense samples (every boundary edge split to 0.001 degrees; see
dense_error_m for the distance methods and the sample budget).
A case that raises, takes longer than the time limit, strays past 1 m or is
invalid is a failure. The report ends with the slowest ten cases, so a
regression in speed is as visible as one in accuracy.

Not part of the test suite (it takes minutes). Run:
``python tools/footprint_sweep.py SEED CASES [TIME_LIMIT_S]``.
"""

import signal
import sys
import time
from pathlib import Path

import numpy as np
import pyproj
import shapely

from rangemap import footprint
from rangemap.geodesy.accuracy import boundary_samples_deg
from rangemap.geodesy.nearest import SourceIndex

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import independent  # noqa: E402  (the brute-force check lives with the tests)

GEOD = pyproj.Geod(ellps="WGS84")
KINDS = ("line", "polygon", "spiky polygon", "point group", "touching circles")


class _TimeLimit(Exception):
    pass


def _on_alarm(signum, frame):
    raise _TimeLimit()


def random_range_m(rng) -> float:
    """A range from 1 m to 9,000 km, log-uniform."""
    return float(np.exp(rng.uniform(np.log(1.0), np.log(9e6))))


def random_case(rng):
    """A random launch geometry and range; the geometry is None where the draw is unusable."""
    kind = KINDS[int(rng.integers(len(KINDS)))]
    lon, lat = rng.uniform(-180, 180), rng.uniform(-80, 80)
    distance_m = random_range_m(rng)
    if kind == "line":
        n = int(rng.integers(1, 40))
        step_m = float(np.exp(rng.uniform(np.log(10.0), np.log(4e5))))
        pts = [(lon, lat)]
        for _ in range(n):
            x, y, _ = GEOD.fwd(*pts[-1], rng.uniform(0, 360), step_m * rng.uniform(0.2, 1))
            pts.append((x, y))
        return kind, shapely.LineString(pts), distance_m
    if kind in ("polygon", "spiky polygon"):
        n = int(rng.integers(3, 60)) if kind == "polygon" else int(rng.integers(60, 1001))
        low = 0.3 if kind == "polygon" else 0.05
        radius_m = float(np.exp(rng.uniform(np.log(100.0), np.log(3e5))))
        x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), np.arange(n) * 360 / n,
                           radius_m * rng.uniform(low, 1, n))
        x = lon + (x - lon + 180) % 360 - 180
        polygon = shapely.Polygon(np.column_stack([x, y]))
        usable = np.abs(x).max() <= 180 and polygon.is_valid
        return kind, (polygon if usable else None), distance_m
    if kind == "point group":
        n = int(rng.integers(2, 12))
        spread = float(np.exp(rng.uniform(np.log(1e-4), np.log(3.0))))
        pts = np.column_stack([np.clip(lon + rng.uniform(-spread, spread, n), -180, 180),
                               np.clip(lat + rng.uniform(-spread, spread, n), -89, 89)])
        return kind, shapely.MultiPoint(pts), distance_m
    # Two circles whose gap is a few metres, and a third point nearby.
    distance_m = float(np.exp(rng.uniform(np.log(50.0), np.log(3e5))))
    x1, y1, _ = GEOD.fwd(lon, lat, rng.uniform(0, 360), 2 * distance_m + rng.uniform(-5.0, 20.0))
    x2, y2, _ = GEOD.fwd(lon, lat, rng.uniform(0, 360), rng.uniform(0.5, 4) * distance_m)
    return kind, shapely.MultiPoint([(lon, lat), (x1, y1), (x2, y2)]), distance_m


DENSE_SPACING_DEG = 0.001
# The distance index densifies the launch geometry so that it overestimates distances by at most
# this much (a short range on a long geometry otherwise needs millions of points); the worst points
# are measured again by the independent brute force.
SLACK_M = 0.02
SEGMENT_CHECK_BELOW_M = 20_000.0
# Most dense samples per case: a footprint whose boundary is longer than this many times the spacing
# (about 100,000 x 111 m = 11,000 km) is sampled more coarsely, and the report says so.
MAX_DENSE_SAMPLES = 100_000


def dense_spacing_deg(fp) -> float:
    """The dense sampling spacing for a footprint: 0.001 degrees, or coarser for very long boundaries."""
    return max(DENSE_SPACING_DEG, float(fp.boundary.length) / MAX_DENSE_SAMPLES)


def dense_error_m(fp, geometry, distance_m) -> tuple[float, float]:
    """Largest error, and the spacing used, over every output edge (8 points each) and dense samples.

    Dense samples: every edge split to the spacing, each piece measured at its middle. Under
    SEGMENT_CHECK_BELOW_M of range every sample is measured by tests/independent.py's exact
    distance to geodesic segments (densifying a long geometry for a short range needs millions of
    points); above it, by rangemap's SourceIndex, and its worst 50 again by the independent brute force.
    """
    spacing = dense_spacing_deg(fp)
    edge_lon, edge_lat = boundary_samples_deg(fp)
    lon, lat = boundary_samples_deg(fp, fractions=(0.5,), max_spacing_deg=spacing)
    lon, lat = np.r_[edge_lon, lon], np.r_[edge_lat, lat]
    if distance_m < SEGMENT_CHECK_BELOW_M:
        return float(np.abs(independent.segment_distances_m(lon, lat, geometry) - distance_m).max()), spacing
    error_m = np.abs(SourceIndex(geometry, distance_m, densify_error_m=SLACK_M).distance_m(lon, lat) - distance_m)
    worst = np.argsort(error_m)[-50:]
    brute_m = np.abs(independent.distances_m(lon[worst], lat[worst], geometry, distance_m) - distance_m)
    return max(float(error_m.max()), float(brute_m.max())), spacing


def run_case(geometry, distance_m, time_limit_s: int):
    """Time one footprint; returns (seconds, error_m, valid, vertices, problem or None)."""
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(time_limit_s)
    start = time.perf_counter()
    try:
        fp = footprint(geometry, distance_m)
        seconds = time.perf_counter() - start
        signal.alarm(0)
    except _TimeLimit:
        return time.perf_counter() - start, float("nan"), False, 0, f"over {time_limit_s} s", float("nan")
    except Exception as exc:  # report and go on: the point is to find them all
        signal.alarm(0)
        return time.perf_counter() - start, float("nan"), False, 0, repr(exc), float("nan")
    error_m, spacing = dense_error_m(fp, geometry, distance_m)
    problem = None if fp.is_valid and error_m <= 1.0 else f"error {error_m:.3f} m, valid {fp.is_valid}"
    return seconds, error_m, fp.is_valid, int(shapely.get_num_coordinates(fp)), problem, spacing


def main(seed: int, cases: int, time_limit_s: int = 60) -> int:
    rng = np.random.default_rng(seed)
    failures, times, spacings = 0, [], []
    worst_m = 0.0
    for i in range(cases):
        kind, geometry, distance_m = random_case(rng)
        if geometry is None:
            continue
        seconds, error_m, valid, vertices, problem, spacing = run_case(geometry, distance_m, time_limit_s)
        spacings.append(spacing)
        times.append((seconds, i, kind, shapely.get_num_coordinates(geometry), distance_m, geometry))
        if not np.isnan(error_m):
            worst_m = max(worst_m, error_m)
        print(f"case {i:5d} {kind:16} {shapely.get_num_coordinates(geometry):5d} vertices at {distance_m:14.1f} m: "
              f"{seconds:7.2f} s, error {error_m:.3f} m, {vertices} vertices out, dense spacing {spacing:.4f} deg",
              flush=True)
        if problem:
            failures += 1
            print(f"FAIL case {i}: {problem}: {geometry.wkt} at {distance_m!r} m", flush=True)
    seconds = np.array([t[0] for t in times])
    print(f"seed {seed}: {len(times)} cases checked, {failures} failures, worst error {worst_m:.3f} m, "
          f"time median {np.median(seconds):.2f} s, 95th percentile {np.percentile(seconds, 95):.2f} s, "
          f"max {seconds.max():.2f} s, over 2 s: {int((seconds > 2).sum())}")
    spacing = np.array(spacings)
    coarse = spacing[spacing > DENSE_SPACING_DEG]
    print(f"dense samples every {DENSE_SPACING_DEG} deg in {int((spacing <= DENSE_SPACING_DEG).sum())} cases; "
          f"{len(coarse)} cases with boundaries over {MAX_DENSE_SAMPLES:,} spacings long were sampled more coarsely"
          + (f" (at most {coarse.max():.4f} deg)" if len(coarse) else ""))
    print("slowest ten:")
    for seconds_, i, kind, n, distance_m, geometry in sorted(times, key=lambda t: t[0], reverse=True)[:10]:
        print(f"  {seconds_:7.2f} s  case {i:5d} {kind:16} {n:5d} vertices at {distance_m:12.1f} m  "
              f"{geometry.wkt[:120]}")
    return 1 if failures else 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    sys.exit(main(*(args + [0, 200][len(args):])))
