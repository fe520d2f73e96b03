"""Move a footprint ring onto the exact boundary and refine it until every edge is within the tolerance.

The boundary of a footprint is where the geodesic distance ``d`` to the launch
geometry equals the range ``R``. :class:`SourceIndex` answers ``d`` with the
launch geometry densified into vertices (sources); ``d`` is the smallest of the
distances ``d_s`` to single sources.

Why an edge test is sound
-------------------------
An edge ``P -> Q`` has both ends on the boundary; ``A`` and ``B`` are their
nearest sources. Along a geodesic, the distance ``d_s`` to a point source is
convex (for ``d_s`` under a quarter meridian) and its second derivative is at
most the curvature ``k`` of a geodesic circle of radius ``d_s``
(:func:`curvature_bound_per_m`). From that:

* **outward** (the chord leaves the footprint, ``d > R``): ``d <= min(d_A, d_B)``
  and the larger of two convex functions' minimum lies where they cross, so
  the bisector crossing bounds ``d`` on the whole chord
  (:func:`outward_excess_m`). This does not depend on the end normals: a
  concave kink between two circles whose normals at the ends are parallel is
  found like any other.
* **inward** (the chord cuts into the footprint, ``d < R``): a source's disk
  can dip below a chord of length ``L`` by at most ``k L**2 / 8``; with samples
  ``h`` apart on the chord, by at most the deepest sample's depth plus
  ``k h**2 / 8`` (at the deepest point ``d_s`` is flat, and the nearest sample is
  within ``h / 2``).

The edge is drawn as a straight lon/lat segment, not the geodesic chord: both
bounds get a margin of :data:`~rangemap.geodesy.bounds.BOW_MARGIN` times how far
the two lie apart at the middle (:func:`lonlat_bow_m`). An edge passes when both
bounds are within :attr:`RefineSettings.edge_limit_m`; the index's densification
adds at most its ``densify_error_m`` on top (how the tolerance is split:
:mod:`rangemap.geodesy.bounds`).

All geodesic math is ``pyproj.Geod`` (GeographicLib), called on whole arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from rangemap.geodesy.bounds import (BOW_MARGIN, EDGE_ERROR_SHARE, GEOD, ON_BOUNDARY_SHARE, RADIUS_MAX_M,
                                      RADIUS_MIN_M)
from rangemap.geodesy.nearest import SourceIndex

# Points measured on an edge, at most (one less than a power of two, so that halving keeps old points).
MAX_SAMPLES = 15
MAX_ROUNDS = 60
# A move onto the boundary shorter than this share of the edge means the boundary is smooth there.
SMOOTH_MOVE_SHARE = 0.1
# A ring with more vertices than this many times what its length needs has stalled (see vertex_budget).
STALL_FACTOR = 8.0
# Rounds in a row with an edge measured beyond the range that no kink closed: two arcs that the
# planar start joined do not touch in truth (a neck with no boundary path across).
STUCK_ROUNDS = 6


class NotConverged(RuntimeError):
    """The boundary refinement ran out of rounds or stalled.

    ``at_neck`` says whether it stalled at a neck (see :data:`STUCK_ROUNDS`),
    where refining again with other moves cannot help.
    """

    def __init__(self, message: str, at_neck: bool = False):
        super().__init__(message)
        self.at_neck = at_neck


@dataclass(frozen=True)
class RefineSettings:
    """What every refinement step needs: the launch geometry's index, the range and the tolerance.

    Parameters
    ----------
    index : SourceIndex
        Distances to the launch geometry.
    distance_m : float
        The range, metres.
    tolerance_m : float
        Bound on the error of the boundary as drawn, metres: the caller's
        tolerance, split as :mod:`rangemap.geodesy.bounds` says.
    """

    index: SourceIndex
    distance_m: float
    tolerance_m: float

    @property
    def edge_limit_m(self) -> float:
        """Largest error bound an edge may have, metres (``EDGE_ERROR_SHARE`` of the tolerance)."""
        return EDGE_ERROR_SHARE * self.tolerance_m

    @property
    def on_boundary_m(self) -> float:
        """A point this close to the range counts as on the boundary, metres (``ON_BOUNDARY_SHARE`` of tolerance)."""
        return ON_BOUNDARY_SHARE * self.tolerance_m

    @property
    def distinct_m(self) -> float:
        """Points closer than this are the same point, metres."""
        return 1e-3 * self.tolerance_m

    @property
    def bracket_m(self) -> float:
        """Bisections along geodesics stop when the bracket is this narrow, metres."""
        return 1e-4 * self.tolerance_m

    @cached_property
    def curvature_per_m(self) -> float:
        """Bound on the distance's second derivative along a geodesic near the boundary, 1/m."""
        return curvature_bound_per_m(max(self.distance_m - self.edge_limit_m, 0.5 * self.distance_m))


def curvature_bound_per_m(radius_m: float) -> float:
    """Largest geodesic curvature of a geodesic circle of this radius on WGS84, 1/m.

    On a sphere of radius ``rho`` a circle of radius ``r`` has geodesic
    curvature ``cot(r / rho) / rho`` (``1 / r`` for small ``r``); the bound takes
    the larger over the ellipsoid's extreme radii of curvature and adds 2 %.
    It is also the bound on the second derivative of the distance to a point
    along a geodesic, at that distance.

    Parameters
    ----------
    radius_m : float

    Returns
    -------
    float

    Examples
    --------
    >>> round(1 / curvature_bound_per_m(1000.0))
    980
    """
    rho = np.array([RADIUS_MIN_M, RADIUS_MAX_M])
    x = np.minimum(radius_m / rho, np.pi / 2 - 1e-6)
    return float(1.02 * np.max(1.0 / (np.tan(x) * rho)))


def snap_to_range_deg(lon_deg, lat_deg, s: RefineSettings, rounds: int = 8):
    """Move points onto the true footprint boundary along geodesics from their nearest launch point.

    A point moved *inwards* (towards its nearest launch point ``p``) to exactly
    the range from ``p`` needs no second look: no other launch point can be
    closer than the range. A point moved outwards by ``delta`` may have come
    within ``2 delta`` of another launch point, so it is measured again.

    Parameters
    ----------
    lon_deg, lat_deg : array_like
        Points near the boundary, degrees.
    s : RefineSettings
    rounds : int
        Moves at most; a point stops once it is on the boundary.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Longitudes in [-180, 180] and latitudes of the moved points, then the
        lon/lat of each point's nearest launch vertex, degrees.
    """
    lon = np.array(lon_deg, dtype=float)
    lat = np.array(lat_deg, dtype=float)
    src_lon = np.full(len(lon), np.nan)
    src_lat = np.full(len(lon), np.nan)
    start_lon, start_lat = lon.copy(), lat.copy()
    first_lon, first_lat = src_lon.copy(), src_lat.copy()
    outside = np.zeros(len(lon), dtype=bool)
    todo = np.arange(len(lon))
    for round_ in range(rounds):
        near = s.index.nearest(lon[todo], lat[todo])
        src_lon[todo], src_lat[todo] = near.lon_deg, near.lat_deg
        gap_m = s.distance_m - near.distance_m
        if round_ == 0:
            first_lon, first_lat, outside = src_lon.copy(), src_lat.copy(), gap_m < 0
        off = np.abs(gap_m) > s.on_boundary_m
        todo, gap_m = todo[off], gap_m[off]
        if len(todo) == 0:
            break
        az, _, _ = GEOD.inv(src_lon[todo], src_lat[todo], lon[todo], lat[todo])
        lon[todo], lat[todo], _ = GEOD.fwd(src_lon[todo], src_lat[todo], az, np.full(len(todo), s.distance_m))
        todo = todo[2 * gap_m > s.on_boundary_m]
    stuck = todo[outside[todo]] if len(todo) else todo
    if len(stuck):
        # Bouncing between two arcs near a sharp kink: along the geodesic from the
        # first nearest launch vertex, the distance to the geometry is below the
        # range on its circle and above it at the starting point; bisect.
        out = _bisect_ray_deg(first_lon[stuck], first_lat[stuck], start_lon[stuck], start_lat[stuck], s)
        lon[stuck], lat[stuck], src_lon[stuck], src_lat[stuck] = out
    return lon, lat, src_lon, src_lat


def _bisect_to_boundary_m(lon, lat, az_deg, lo_m, hi_m, lo_outside, s: RefineSettings, iterations: int = 60):
    """Bisect along geodesics from points for where the distance to the geometry crosses the range.

    Parameters
    ----------
    lon, lat, az_deg : numpy.ndarray
        Start points and the azimuths to walk along, degrees.
    lo_m, hi_m : numpy.ndarray
        Bracket, metres from the start; the boundary lies between them.
    lo_outside : numpy.ndarray of bool
        Whether the ``lo_m`` end is outside the footprint (farther than the range).
    s : RefineSettings
    iterations : int

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The shrunk bracket, narrower than :attr:`RefineSettings.bracket_m` where it converged.
    """
    for _ in range(iterations):
        mid_m = 0.5 * (lo_m + hi_m)
        x, y, _ = GEOD.fwd(lon, lat, az_deg, mid_m)
        same_side = (s.index.nearest(x, y).distance_m > s.distance_m) == lo_outside
        lo_m = np.where(same_side, mid_m, lo_m)
        hi_m = np.where(same_side, hi_m, mid_m)
        if np.all(hi_m - lo_m < s.bracket_m):
            break
    return lo_m, hi_m


def _bisect_ray_deg(src_lon, src_lat, lon, lat, s: RefineSettings):
    """The boundary point on the geodesic ray from a launch vertex through an outside point."""
    az, _, far_m = GEOD.inv(src_lon, src_lat, lon, lat)
    _, hi_m = _bisect_to_boundary_m(src_lon, src_lat, az, np.full(len(src_lon), s.distance_m), far_m,
                                    np.zeros(len(src_lon), dtype=bool), s)
    x, y, _ = GEOD.fwd(src_lon, src_lat, az, hi_m)
    near = s.index.nearest(x, y)
    return x, y, near.lon_deg, near.lat_deg


def rewrap_near(lon_deg, reference_deg):
    """Longitudes shifted by whole turns to lie within 180 degrees of a reference.

    Examples
    --------
    >>> float(rewrap_near(-179.0, 179.0))
    181.0
    """
    return reference_deg + (np.asarray(lon_deg) - reference_deg + 180.0) % 360.0 - 180.0


def on_one_circle(lon, lat, nxt_lon, nxt_lat, src_lon, src_lat, nxt_src_lon, nxt_src_lat, on_circle_m: float):
    """Whether both ends of each edge lie on one launch vertex's circle.

    A kink vertex lies on two circles but records one source, so each end is
    also measured from the other end's source. The test is absolute: a relative
    one let a smooth junction 2.8 m off a circle pass as one circle at 2,839 km.

    Parameters
    ----------
    lon, lat, nxt_lon, nxt_lat : numpy.ndarray
        Edge ends, degrees.
    src_lon, src_lat, nxt_src_lon, nxt_src_lat : numpy.ndarray
        Their nearest launch vertices, degrees.
    on_circle_m : float
        How close to the first end's distance the other end must be, metres.

    Returns
    -------
    numpy.ndarray of bool
    """
    _, _, end_from_start_src_m = GEOD.inv(src_lon, src_lat, nxt_lon, nxt_lat)
    _, _, start_from_end_src_m = GEOD.inv(nxt_src_lon, nxt_src_lat, lon, lat)
    _, _, start_m = GEOD.inv(src_lon, src_lat, lon, lat)
    return (
        ((src_lon == nxt_src_lon) & (src_lat == nxt_src_lat))
        | (np.abs(end_from_start_src_m - start_m) <= on_circle_m)
        | (np.abs(start_from_end_src_m - start_m) <= on_circle_m)
    )


def outward_excess_m(lon, lat, az_deg, length_m, t0, t1, a_lon, a_lat, b_lon, b_lat, distance_m,
                     iterations: int = 24):
    """Upper bound on how far beyond the range a stretch of a geodesic chord goes, given two sources.

    On the stretch from fraction ``t0`` (nearest source ``A``) to ``t1``
    (``B``), ``d <= min(d_A, d_B)``. Bisection looks for where ``d_A - d_B``
    changes sign; for any split ``t0 <= lo < hi <= t1``, convexity bounds
    ``d_A`` on ``[t0, lo]`` by its ends, ``d_B`` on ``[hi, t1]`` likewise, and
    the smaller of the two on ``[lo, hi]``: the bound holds whatever the signs,
    and is tight once the bracket is narrow.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Chord starts, degrees.
    az_deg, length_m : numpy.ndarray
        Chord azimuths (degrees) and lengths (metres).
    t0, t1 : numpy.ndarray
        The stretch, as fractions of the chord.
    a_lon, a_lat, b_lon, b_lat : numpy.ndarray
        Sources nearest to the stretch's start and end, degrees.
    distance_m : float
    iterations : int

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The bound minus the range, metres (negative: the stretch stays inside
        both circles), and the fraction of the chord where the two distances
        cross (where the stretch strays farthest out).
    """

    def dist_ab(t):
        x, y, _ = GEOD.fwd(lon, lat, az_deg, length_m * t)
        _, _, to_a = GEOD.inv(a_lon, a_lat, x, y)
        _, _, to_b = GEOD.inv(b_lon, b_lat, x, y)
        return to_a, to_b

    lo, hi = np.array(t0, dtype=float), np.array(t1, dtype=float)
    a_lo, b_lo = dist_ab(lo)
    a_hi, b_hi = dist_ab(hi)
    a_start, b_end = a_lo, b_hi
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        a_mid, b_mid = dist_ab(mid)
        left = a_mid <= b_mid
        lo, a_lo, b_lo = np.where(left, mid, lo), np.where(left, a_mid, a_lo), np.where(left, b_mid, b_lo)
        hi, a_hi, b_hi = np.where(left, hi, mid), np.where(left, a_hi, a_mid), np.where(left, b_hi, b_mid)
    bound = np.maximum.reduce([
        np.maximum(a_start, a_lo),
        np.maximum(b_hi, b_end),
        np.minimum(np.maximum(a_lo, a_hi), np.maximum(b_lo, b_hi)),
    ])
    return bound - distance_m, 0.5 * (lo + hi)


def lonlat_bow_m(lon, lat, nxt_lon, nxt_lat, az_deg=None, edge_m=None):
    """How far a straight lon/lat edge (as drawn) lies from the geodesic between its ends, at the middle.

    Grows with the edge's length squared and with latitude: about 4 m for a
    27 km east-west edge at 16 degrees.

    Parameters
    ----------
    lon, lat, nxt_lon, nxt_lat : numpy.ndarray
        Edge ends, degrees (the second longitude unwrapped next to the first).
    az_deg, edge_m : numpy.ndarray, optional
        The edges' geodesic azimuths and lengths, if already known.

    Returns
    -------
    numpy.ndarray
        Metres.
    """
    if az_deg is None or edge_m is None:
        az_deg, _, edge_m = GEOD.inv(lon, lat, nxt_lon, nxt_lat)
    mid_lon, mid_lat, _ = GEOD.fwd(lon, lat, az_deg, edge_m / 2.0)
    _, _, bow_m = GEOD.inv(mid_lon, mid_lat, (lon + nxt_lon) / 2.0, (lat + nxt_lat) / 2.0)
    return bow_m


def samples_needed(edge_m: np.ndarray, bow_margin_m: np.ndarray, s: RefineSettings) -> np.ndarray:
    """How many points to measure on an edge (0, 1, 3, 7 or 15).

    None where the disk bound ``k L**2 / 8`` alone passes; otherwise the fewest
    points whose spacing ``h`` leaves ``k h**2 / 8`` at most half the limit
    (what can hide between measured points, inwards and outwards alike).

    Parameters
    ----------
    edge_m : numpy.ndarray
        Geodesic chord lengths of the edges, metres.
    bow_margin_m : numpy.ndarray
        :data:`~rangemap.geodesy.bounds.BOW_MARGIN` times each edge's lon/lat bow, metres.
    s : RefineSettings

    Returns
    -------
    numpy.ndarray of int
    """
    k = s.curvature_per_m
    counts = np.full(len(edge_m), MAX_SAMPLES)
    for n in (7, 3, 1):
        spacing_m = edge_m / (n + 1)
        counts = np.where(k * spacing_m**2 / 8 + bow_margin_m <= 0.5 * s.edge_limit_m, n, counts)
    return np.where(k * edge_m**2 / 8 + bow_margin_m <= s.edge_limit_m, 0, counts)


def _snap_across_deg(lon, lat, chord_az_deg, s: RefineSettings, doublings: int = 24):
    """Move points square to an edge (either way) onto the nearest boundary crossing, by bisection.

    The crossing is bracketed on each side by stepping ``|gap| * 2**k`` along
    the edge's normal (at a narrow cusp the boundary can lie much farther along
    the normal than the point's distance gap), bisected, and the nearer of the
    two sides' crossings is kept.
    """
    near = s.index.nearest(lon, lat)
    gap_m = near.distance_m - s.distance_m
    outside = gap_m > 0
    step_m = (np.abs(gap_m) + s.on_boundary_m)[:, None] * 2.0 ** np.arange(doublings)[None, :]
    step_m = np.minimum(step_m, 2.0 * s.distance_m + 1.0)
    n, k = step_m.shape
    rows = np.arange(n)
    best_m = np.full(n, np.inf)
    best_lon, best_lat = lon.copy(), lat.copy()
    for side_deg in (90.0, -90.0):
        az = chord_az_deg + side_deg
        x, y, _ = GEOD.fwd(np.repeat(lon, k), np.repeat(lat, k), np.repeat(az, k), step_m.ravel())
        crossed = ((s.index.nearest(x, y).distance_m > s.distance_m).reshape(n, k)) != outside[:, None]
        found = crossed.any(axis=1)
        first = np.argmax(crossed, axis=1)
        lo_m = np.where(found & (first > 0), step_m[rows, np.maximum(first - 1, 0)], 0.0)
        hi_m = np.where(found, step_m[rows, first], 0.0)
        lo_m, hi_m = _bisect_to_boundary_m(lon, lat, az, lo_m, hi_m, outside, s)
        at_m = 0.5 * (lo_m + hi_m)
        x, y, _ = GEOD.fwd(lon, lat, az, at_m)
        better = found & (at_m < best_m)
        best_m = np.where(better, at_m, best_m)
        best_lon, best_lat = np.where(better, x, best_lon), np.where(better, y, best_lat)
    near = s.index.nearest(best_lon, best_lat)
    return best_lon, best_lat, near.lon_deg, near.lat_deg


def circle_meet_deg(lon, lat, a_lon, a_lat, b_lon, b_lat, distance_m, iterations: int = 40):
    """Where the geodesic circle around A, walked from a point on it towards B, meets B's circle.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Points on A's circle (at ``distance_m`` from A) that are at least
        ``distance_m`` from B, degrees.
    a_lon, a_lat, b_lon, b_lat : numpy.ndarray
        The two circle centres, degrees.
    distance_m : float
        Radius of both circles, metres.
    iterations : int
        Bisection steps on the azimuth from A.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Longitude and latitude of the meeting point, and whether the circles
        meet at all (``|AB| < 2 distance_m``).
    """
    az_p, _, _ = GEOD.inv(a_lon, a_lat, lon, lat)
    az_b, _, ab_m = GEOD.inv(a_lon, a_lat, b_lon, b_lat)
    turn_deg = (az_b - az_p + 180.0) % 360.0 - 180.0
    # On A's circle the distance to B falls monotonically from P towards B's azimuth.
    lo = np.zeros(len(lon))
    hi = np.ones(len(lon))
    radius = np.full(len(lon), distance_m)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        x, y, _ = GEOD.fwd(a_lon, a_lat, az_p + mid * turn_deg, radius)
        _, _, to_b_m = GEOD.inv(x, y, b_lon, b_lat)
        outside_b = to_b_m >= distance_m
        lo = np.where(outside_b, mid, lo)
        hi = np.where(outside_b, hi, mid)
    x, y, _ = GEOD.fwd(a_lon, a_lat, az_p + lo * turn_deg, radius)
    return x, y, ab_m < 2.0 * distance_m


def kink_deg(lon0, lat0, a_lon, a_lat, b_lon, b_lat, lon1, lat1, s: RefineSettings, rounds: int = 12):
    """The exact kink on the boundary between two points that lie on different launch points' circles.

    Starting from the meeting point of the circles around A (the first end's
    launch point) and B (the second end's), a meeting point that lies inside
    a third launch point C's circle is replaced by where A's circle meets C's,
    until one lies on the boundary.

    Parameters
    ----------
    lon0, lat0, lon1, lat1 : numpy.ndarray
        Edge ends on the boundary, degrees.
    a_lon, a_lat, b_lon, b_lat : numpy.ndarray
        Their nearest launch vertices, degrees.
    s : RefineSettings
    rounds : int

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Kink lon/lat, its nearest launch vertex lon/lat, and whether an exact
        kink distinct from both ends was found.
    """
    n = len(lon0)
    out_lon, out_lat = np.full(n, np.nan), np.full(n, np.nan)
    out_src_lon, out_src_lat = np.full(n, np.nan), np.full(n, np.nan)
    found = np.zeros(n, dtype=bool)
    todo = np.arange(n)
    b_lon, b_lat = np.array(b_lon, dtype=float), np.array(b_lat, dtype=float)
    for _ in range(rounds):
        if len(todo) == 0:
            break
        x, y, meet = circle_meet_deg(lon0[todo], lat0[todo], a_lon[todo], a_lat[todo], b_lon[todo], b_lat[todo],
                                     s.distance_m)
        near = s.index.nearest(x, y)
        on_boundary = meet & (np.abs(near.distance_m - s.distance_m) <= s.on_boundary_m)
        _, _, from0_m = GEOD.inv(lon0[todo], lat0[todo], x, y)
        _, _, from1_m = GEOD.inv(lon1[todo], lat1[todo], x, y)
        distinct = (from0_m > s.distinct_m) & (from1_m > s.distinct_m)
        ok = on_boundary & distinct
        done = todo[ok]
        out_lon[done], out_lat[done] = x[ok], y[ok]
        out_src_lon[done], out_src_lat[done] = near.lon_deg[ok], near.lat_deg[ok]
        found[done] = True
        # Inside a third circle: walk A's circle to that one instead.
        again = meet & ~on_boundary & (near.distance_m < s.distance_m)
        todo = todo[again]
        b_lon[todo], b_lat[todo] = near.lon_deg[again], near.lat_deg[again]
    return out_lon, out_lat, out_src_lon, out_src_lat, found


@dataclass(frozen=True)
class EdgeCheck:
    """Bounds on how far each edge of a round strays (see :func:`check_edges`)."""

    outward_m: np.ndarray  # bound on how far the edge goes beyond the range, metres
    inward_m: np.ndarray  # bound on how far it cuts into the footprint, metres
    crossing: np.ndarray  # fraction along the edge where it may stray farthest out
    worst: np.ndarray  # fraction along the edge of the deepest measured point (0.5 if none)
    beyond_m: np.ndarray  # farthest a measured point lies beyond the range (-inf if none)
    chord_az_deg: np.ndarray
    chord_m: np.ndarray


def check_edges(lon0, lat0, lon1, lat1, src0_lon, src0_lat, src1_lon, src1_lat, s: RefineSettings) -> EdgeCheck:
    """Sound bounds on how far each straight lon/lat edge strays outwards and inwards (see the module notes).

    First without measuring: the disk bound inwards and the two ends' sources
    outwards. Edges that fail either are measured at points along the
    geodesic chord (:func:`samples_needed`), and both bounds are taken again
    from the measured points and their sources, stretch by stretch.

    Parameters
    ----------
    lon0, lat0, lon1, lat1 : numpy.ndarray
        Edge ends on the boundary, degrees (the second longitude next to the first).
    src0_lon, src0_lat, src1_lon, src1_lat : numpy.ndarray
        Their nearest launch vertices, degrees.
    s : RefineSettings

    Returns
    -------
    EdgeCheck
    """
    n = len(lon0)
    chord_az, _, chord_m = GEOD.inv(lon0, lat0, lon1, lat1)
    bow_margin_m = BOW_MARGIN * lonlat_bow_m(lon0, lat0, lon1, lat1, chord_az, chord_m)
    zeros, ones = np.zeros(n), np.ones(n)
    # Outwards: nothing beyond the range on one circle (its distance is convex and equal at both ends).
    outward_m = np.zeros(n)
    crossing = np.full(n, 0.5)
    two = np.flatnonzero(~on_one_circle(lon0, lat0, lon1, lat1, src0_lon, src0_lat, src1_lon, src1_lat,
                                        s.on_boundary_m))
    if len(two):
        excess_m, crossing[two] = outward_excess_m(lon0[two], lat0[two], chord_az[two], chord_m[two], zeros[two],
                                                   ones[two], src0_lon[two], src0_lat[two], src1_lon[two],
                                                   src1_lat[two], s.distance_m, iterations=12)
        outward_m[two] = np.maximum(excess_m, 0.0)
    outward_m += bow_margin_m
    inward_m = s.curvature_per_m * chord_m**2 / 8 + bow_margin_m
    worst = np.full(n, 0.5)
    beyond_m = np.full(n, -np.inf)
    fails = (outward_m > s.edge_limit_m) | (inward_m > s.edge_limit_m)
    measured = np.flatnonzero(fails)
    if len(measured):
        out_m, in_m, crossing[measured], worst[measured], beyond_m[measured] = _measured_bounds(
            lon0[measured], lat0[measured], chord_az[measured], chord_m[measured], bow_margin_m[measured],
            src0_lon[measured], src0_lat[measured], src1_lon[measured], src1_lat[measured], s)
        outward_m[measured] = np.minimum(outward_m[measured], out_m)
        inward_m[measured] = np.minimum(inward_m[measured], in_m)
    return EdgeCheck(outward_m, inward_m, crossing, worst, beyond_m, chord_az, chord_m)


def _measured_bounds(lon0, lat0, chord_az, chord_m, bow_margin_m, src0_lon, src0_lat, src1_lon, src1_lat,
                     s: RefineSettings):
    """Outward and inward bounds of edges from points measured along their geodesic chords."""
    n = len(lon0)
    counts = np.maximum(samples_needed(chord_m, bow_margin_m, s), 1)
    # Stretch j of edge i runs from point j to point j + 1 (point 0 and point counts + 1 are the ends).
    points = counts + 2
    edge = np.repeat(np.arange(n), points)
    first = np.repeat(np.cumsum(points) - points, points)
    j = np.arange(len(edge)) - first
    f = j / (counts[edge] + 1)
    x, y, _ = GEOD.fwd(lon0[edge], lat0[edge], chord_az[edge], chord_m[edge] * f)
    inner = (j > 0) & (j < counts[edge] + 1)
    near = s.index.nearest(x[inner], y[inner])
    src_lon = np.where(j == 0, src0_lon[edge], src1_lon[edge])
    src_lat = np.where(j == 0, src0_lat[edge], src1_lat[edge])
    src_lon[inner], src_lat[inner] = near.lon_deg, near.lat_deg
    depth_m = np.zeros(len(edge))
    depth_m[inner] = s.distance_m - near.distance_m
    # Inwards: the deepest point plus what can hide between points h apart.
    deepest = np.full(n, -np.inf)
    np.maximum.at(deepest, edge, depth_m)
    spacing_m = chord_m / (counts + 1)
    inward_m = np.maximum(deepest, 0.0) + s.curvature_per_m * spacing_m**2 / 8 + bow_margin_m
    order = np.lexsort((-depth_m, edge))
    worst = f[order[np.r_[0, np.cumsum(points)[:-1]]]]
    beyond_m = np.full(n, -np.inf)
    np.maximum.at(beyond_m, edge, -depth_m)
    # Outwards: each stretch between the sources of its two end points.
    stretch = np.flatnonzero(j < counts[edge] + 1)
    e = edge[stretch]
    excess_m, at = outward_excess_m(lon0[e], lat0[e], chord_az[e], chord_m[e], f[stretch], f[stretch + 1],
                                    src_lon[stretch], src_lat[stretch], src_lon[stretch + 1], src_lat[stretch + 1],
                                    s.distance_m, iterations=4)
    outward_m = np.full(n, -np.inf)
    np.maximum.at(outward_m, e, excess_m)
    order = np.lexsort((-excess_m, e))
    crossing = at[order[np.r_[0, np.cumsum(counts + 1)[:-1]]]]
    return np.maximum(outward_m, 0.0) + bow_margin_m, inward_m, crossing, worst, beyond_m


def vertex_budget(lon, lat, s: RefineSettings) -> int:
    """Most vertices a ring may reach before its refinement counts as stalled.

    :data:`STALL_FACTOR` times what the ring's length needs if drawn entirely
    as arcs with chords at half the edge limit, plus the same factor times its
    starting vertices. A refinement stalls where the planar start joined two
    arcs that do not touch in truth: there no boundary path exists and edges
    split without end.
    """
    nxt_lon = rewrap_near(np.roll(lon, -1), lon)
    _, _, length_m = GEOD.inv(lon, lat, nxt_lon, np.roll(lat, -1))
    chord_m = np.sqrt(4.0 * s.edge_limit_m / s.curvature_per_m)
    return int(STALL_FACTOR * (length_m.sum() / chord_m + len(lon)) + 1000)


def refine_ring(lon, lat, src_lon, src_lat, s: RefineSettings, smooth_moves: bool = True):
    """Insert exact boundary points until every straight lon/lat edge of an open ring passes its check.

    An edge that may go beyond the range (:attr:`EdgeCheck.outward_m`) spans a
    concave kink: it is split at the kink itself, where the circles of its ends'
    launch points meet (:func:`kink_deg`), else at its farthest point moved onto
    the boundary. An edge that may cut into the footprint is split at its worst
    measured point (or middle), moved onto the boundary along the geodesic from
    its launch point where that lands well inside the edge, else square to the
    edge (narrow cusps). Only edges that are new since the last round are
    measured again.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Ring vertices on the boundary (open: the last is not the first), unwrapped longitudes, degrees.
    src_lon, src_lat : numpy.ndarray
        Their nearest launch vertices, degrees.
    s : RefineSettings
    smooth_moves : bool
        Whether an edge beyond the range may be split by the cheap move along
        a launch point's geodesic.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The refined ring's longitudes (unwrapped) and latitudes.

    Raises
    ------
    NotConverged
        After :data:`MAX_ROUNDS` rounds, or past :func:`vertex_budget` (a stall).
    """
    pending = np.ones(len(lon), dtype=bool)  # edge i runs from vertex i to vertex i + 1
    budget = vertex_budget(lon, lat, s)
    stuck = 0
    for round_ in range(MAX_ROUNDS):
        edges = np.flatnonzero(pending)
        if len(edges) == 0:
            return lon, lat
        if len(lon) > budget or stuck >= STUCK_ROUNDS:
            break
        nxt = (edges + 1) % len(lon)
        lon0, lat0, lon1, lat1 = lon[edges], lat[edges], rewrap_near(lon[nxt], lon[edges]), lat[nxt]
        a_lon, a_lat, b_lon, b_lat = src_lon[edges], src_lat[edges], src_lon[nxt], src_lat[nxt]
        check = check_edges(lon0, lat0, lon1, lat1, a_lon, a_lat, b_lon, b_lat, s)
        out = check.outward_m > s.edge_limit_m
        split = out | (check.inward_m > s.edge_limit_m)
        if not split.any():
            return lon, lat
        sel = np.flatnonzero(split)
        # Split where a measured point lies beyond the range at the crossing of the
        # worst stretch (next to the kink); where only the bound failed, halve the edge.
        kinked = check.beyond_m[sel] > s.edge_limit_m
        f = np.where(out[sel], np.where(kinked, check.crossing[sel], 0.5), check.worst[sel])
        at_lon = lon0[sel] + f * (lon1 - lon0)[sel]
        at_lat = lat0[sel] + f * (lat1 - lat0)[sel]
        new_lon, new_lat, new_src_lon, new_src_lat = snap_to_range_deg(at_lon, at_lat, s)
        # Where the move along the launch point's geodesic lands next to an end (a
        # narrow cusp), or moved far compared with the edge, it makes no progress.
        x0, y0 = lon0[sel], lat0[sel]
        dx, dy = (lon1 - lon0)[sel], (lat1 - lat0)[sel]
        t = ((rewrap_near(new_lon, at_lon) - x0) * dx + (new_lat - y0) * dy) / np.maximum(dx * dx + dy * dy, 1e-300)
        _, _, moved_m = GEOD.inv(at_lon, at_lat, new_lon, new_lat)
        smooth = (t > 0.05) & (t < 0.95) & (moved_m < SMOOTH_MOVE_SHARE * check.chord_m[sel])
        # Where a measured point lies beyond the range the edge spans a concave
        # kink: the move is kept only on edges long against the range (there the
        # boundary is smooth at the scale of the edge), else the kink is found.
        cheap = smooth & smooth_moves & (check.chord_m[sel] > 0.05 * s.distance_m)
        kink = np.flatnonzero(out[sel] & ~cheap & (kinked | ~smooth))
        if len(kink):
            # Best of all: the kink itself, where the circles of the two ends' launch points meet.
            k = sel[kink]
            k_lon, k_lat, k_src_lon, k_src_lat, found = kink_deg(lon0[k], lat0[k], a_lon[k], a_lat[k],
                                                                 b_lon[k], b_lat[k], lon1[k], lat1[k], s)
            use = kink[found]
            new_lon[use], new_lat[use] = k_lon[found], k_lat[found]
            new_src_lon[use], new_src_lat[use] = k_src_lon[found], k_src_lat[found]
            smooth[use] = True
        stuck = stuck + 1 if (kinked & ~smooth).any() else 0
        rest = np.flatnonzero(~smooth)
        if len(rest):
            moved = _snap_across_deg(at_lon[rest], at_lat[rest], check.chord_az_deg[sel][rest], s)
            # A vertex off the boundary would never let its edges pass; where the
            # square move missed, keep the exact move along the geodesic.
            exact = np.abs(s.index.nearest(moved[0], moved[1]).distance_m - s.distance_m) <= s.on_boundary_m
            use = rest[exact]
            new_lon[use], new_lat[use], new_src_lon[use], new_src_lat[use] = (v[exact] for v in moved)
        bad = edges[sel]
        lon = np.insert(lon, bad + 1, rewrap_near(new_lon, at_lon))
        lat = np.insert(lat, bad + 1, new_lat)
        src_lon = np.insert(src_lon, bad + 1, new_src_lon)
        src_lat = np.insert(src_lat, bad + 1, new_src_lat)
        # Both halves of a split edge are new; every other edge has been measured and passed.
        pending = np.zeros(len(lon), dtype=bool)
        pending[bad + np.arange(len(bad))] = True
        pending[bad + np.arange(len(bad)) + 1] = True
    raise NotConverged(
        f"footprint boundary did not converge to {s.tolerance_m} m in {round_ + 1} rounds; please report this",
        at_neck=stuck >= STUCK_ROUNDS,
    )


__all__ = [
    "EdgeCheck", "NotConverged", "RefineSettings", "check_edges", "circle_meet_deg", "curvature_bound_per_m",
    "kink_deg", "lonlat_bow_m", "on_one_circle", "outward_excess_m", "refine_ring", "rewrap_near",
    "samples_needed", "snap_to_range_deg",
]
