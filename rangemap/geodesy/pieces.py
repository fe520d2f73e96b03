"""Footprints as a union of closed-form pieces: a body per geodesic segment and a sector per convex corner.

The footprint of a launch geometry is the set of points within the range of
it. A point's nearest launch point is either inside a geodesic segment (the
point then lies on the geodesic square to the segment there) or a vertex (the
point lies between the normals of the vertex's two segments, on the outer
side of the corner, or anywhere around a line's end or a lone point). So the
footprint is the union of

* a **body** per segment: everything reached square to it, bounded by its two
  offset curves (exactly the range from the segment) and the two geodesics
  square to it at its ends (the "spokes");
* a **sector** per vertex, on the convex side, between the normals of its two
  segments (a half disk at a line's end, a disk around a lone point), bounded
  by an arc exactly the range from the vertex and two spokes;
* each polygon's interior.

A body and the sector next to it share one spoke, computed once, so their
union has no seam. Every boundary point is computed exactly (``Geod.fwd`` from
the vertex or from the foot on the segment); no refinement and no topology
guess are needed, and the output has the vertices the tolerance needs and no
more: offsets of long segments stay long edges.

Why it keeps the guarantee: every offset or arc edge, drawn straight in
lon/lat, strays at most ``k L**2 / 8`` (the curve's geodesic curvature ``k``:
:func:`circle_curvature_per_m` for arcs, :func:`offset_curvature_per_m` for
offsets) plus :data:`rangemap.geodesy.bounds.BOW_MARGIN` times its lon/lat bow from
the true curve; edges are split until that is within the edge limit
(:data:`rangemap.geodesy.bounds.EDGE_ERROR_SHARE` of the tolerance). A point
on the union's boundary lies on one piece's offset or arc (spokes are inside
the union: each is shared by two pieces, or by a body and its end cap), within
that of the range from that piece, and outside every other piece, so at most
that much inside the others' ranges.

All geodesic math is ``pyproj.Geod`` (GeographicLib), called on whole arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

from rangemap.geodesy import antimeridian
from rangemap.geodesy.bounds import (BOW_MARGIN, EDGE_ERROR_SHARE, GEOD, MAX_M_PER_DEG, RADIUS_MAX_M, RADIUS_MIN_M,
                                      SLIVER_SHARE)
from rangemap.geodesy.farfield import depth_margin_m, far_keep
from rangemap.geodesy.nearest import densify_geodesic_deg
from rangemap.geodesy.parts import flat_parts, rings
from rangemap.geodesy.refine import curvature_bound_per_m, lonlat_bow_m, rewrap_near

# Spacing of a polygon's geodesic edges when its interior is a piece (straight lon/lat edges stray by centimetres).
INTERIOR_SPACING_M = 1_000.0
_MAX_SPLITS = 40
MAX_LON_STEP_DEG = 60.0
# Spokes are inside the union; they are split only so that a piece stays a valid polygon (bow well under its width).
_SPOKE_BOW_SHARE = 0.001


def circle_curvature_per_m(distance_m: float) -> float:
    """Bound on the geodesic curvature of a geodesic circle of this radius on WGS84, 1/m.

    The refinement's bound (:func:`rangemap.geodesy.refine.curvature_bound_per_m`): on a
    sphere of radius ``rho``, ``cot(r / rho) / rho``, over the ellipsoid's extreme
    radii of curvature, plus 2 %.

    Examples
    --------
    >>> round(1 / circle_curvature_per_m(1000.0))
    980
    """
    return curvature_bound_per_m(distance_m)


def offset_curvature_per_m(distance_m: float) -> float:
    """Bound on the geodesic curvature of the curve at this distance from a geodesic, 1/m.

    On a sphere of radius ``rho``: ``tan(r / rho) / rho`` (zero on the plane);
    the bound takes the larger over the ellipsoid's extreme radii of curvature,
    plus 2 %, and adds the flattening's share (the ellipsoid's radius of
    curvature changes along a geodesic, by at most a few parts in a thousand).
    """
    rho = np.array([RADIUS_MIN_M, RADIUS_MAX_M])
    x = np.clip(distance_m / rho, 1e-12, np.pi / 2 - 1e-6)
    return float(1.02 * np.max(np.tan(x) / rho) + 0.01 * distance_m / RADIUS_MIN_M**2)


@dataclass(frozen=True)
class Launch:
    """A launch geometry as arrays: lone points, segments, and corners between consecutive segments.

    Segment ``j`` runs from ``(lon0[j], lat0[j])`` to ``(lon1[j], lat1[j])``
    with azimuth ``az0[j]`` at its start and ``az1[j]`` at its end. A corner
    ``c`` joins the end of segment ``into[c]`` to the start of ``out_of[c]``;
    ``-1`` marks a line's free end (the corner is then a half disk cap).
    ``inside[c]`` is +1 where a polygon's interior lies to the left of the
    corner's ring, -1 to the right, 0 on a line.
    """

    point_lon: np.ndarray
    point_lat: np.ndarray
    lon0: np.ndarray
    lat0: np.ndarray
    lon1: np.ndarray
    lat1: np.ndarray
    az0: np.ndarray
    az1: np.ndarray
    length_m: np.ndarray
    into: np.ndarray
    out_of: np.ndarray
    inside: np.ndarray
    interiors: list


def launch_arrays(geometry) -> Launch:
    """Split a lon/lat geometry into lone points, geodesic segments and corners.

    Repeated consecutive vertices are dropped; a path left with one vertex is a
    lone point.

    Parameters
    ----------
    geometry : shapely.Geometry

    Returns
    -------
    Launch
    """
    points, starts, ends, into, out_of, inside, interiors = [], [], [], [], [], [], []
    n_seg = 0
    for part in flat_parts(geometry):
        if part.geom_type == "Point":
            points.append(shapely.get_coordinates(part))
            continue
        closed = part.geom_type == "Polygon"
        paths = [np.asarray(r.coords) for r in rings(part)] if closed else [shapely.get_coordinates(part)]
        for k, xy in enumerate(paths):
            xy = xy[np.r_[True, np.any(xy[1:] != xy[:-1], axis=1)]]
            if closed and len(xy) > 1 and np.array_equal(xy[0], xy[-1]):
                xy = xy[:-1]
            if len(xy) == 1:
                points.append(xy)
                continue
            ring = closed and len(xy) > 2
            nxt = np.r_[xy[1:], xy[:1]] if ring else xy[1:]
            m = len(nxt)
            starts.append(xy[:m])
            ends.append(nxt)
            seg = n_seg + np.arange(m)
            if ring:
                into.append(seg)
                out_of.append(np.roll(seg, -1))
                # A shell's interior is on the left when it runs counter-clockwise; a hole's, on the right.
                left = bool(shapely.is_ccw(shapely.linearrings(xy))) == (k == 0)
                inside.append(np.full(m, 1 if left else -1))
            else:
                into.append(np.r_[-1, seg])
                out_of.append(np.r_[seg, -1])
                inside.append(np.zeros(m + 1, dtype=np.int64))
            n_seg += m
        if closed:
            dense = [np.column_stack(densify_geodesic_deg(p[:, 0], p[:, 1], INTERIOR_SPACING_M)) for p in paths]
            interiors.append(shapely.Polygon(dense[0], dense[1:]))
    p = np.vstack(points) if points else np.empty((0, 2))
    s = np.vstack(starts) if starts else np.empty((0, 2))
    e = np.vstack(ends) if ends else np.empty((0, 2))
    az0, back_az, length_m = GEOD.inv(s[:, 0], s[:, 1], e[:, 0], e[:, 1])
    cat = (lambda a: np.concatenate(a).astype(np.int64)) if into else (lambda a: np.empty(0, np.int64))
    return Launch(p[:, 0], p[:, 1], s[:, 0], s[:, 1], e[:, 0], e[:, 1], np.asarray(az0, float),
                  np.asarray(back_az, float) + 180.0, np.asarray(length_m, float), cat(into), cat(out_of),
                  cat(inside), interiors)


def _sample(evaluate: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]], n_curves: int,
            initial: np.ndarray, curvature_per_m: np.ndarray,
            edge_limit_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Points along curves, split until every straight lon/lat edge is within ``edge_limit_m`` of its curve.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(curve, t) -> (lon, lat)`` for curve indices and parameters in [0, 1].
    n_curves : int
    initial : numpy.ndarray of int
        Edges per curve to start with.
    curvature_per_m : numpy.ndarray
        Bound on each curve's geodesic curvature.
    edge_limit_m : float
        Largest error bound an edge may have, metres.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray)
        Curve index, parameter, lon and lat of every point, sorted by curve
        then parameter; both ends of every curve included.
    """
    counts = np.maximum(np.asarray(initial, dtype=np.int64), 1) + 1
    curve = np.repeat(np.arange(n_curves), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    t = (np.arange(len(curve)) - first) / (counts[curve] - 1)
    lon, lat = evaluate(curve, t)
    for round_ in range(_MAX_SPLITS):
        same = curve[1:] == curve[:-1]
        i = np.flatnonzero(same)
        nxt_lon = rewrap_near(lon[i + 1], lon[i])
        az, _, chord_m = GEOD.inv(lon[i], lat[i], nxt_lon, lat[i + 1])
        bound_m = curvature_per_m[curve[i]] * chord_m**2 / 8 + BOW_MARGIN * lonlat_bow_m(
            lon[i], lat[i], nxt_lon, lat[i + 1], az, chord_m)
        # Edges near a pole are also split until their longitudes differ by under MAX_LON_STEP_DEG, so that
        # rings unwrap the right way round (a ring that winds around a pole must be seen to).
        lon_step = np.abs(nxt_lon - lon[i])
        fails = (bound_m > edge_limit_m) | (lon_step > MAX_LON_STEP_DEG)
        bad = i[fails]
        if len(bad) == 0:
            return curve, t, lon, lat
        if round_ == 0:
            # First look: place the points again so that every edge gets an equal share of what the
            # curve needs (the bound grows with the edge's length squared), then split what still fails.
            need = np.maximum(np.sqrt(1.05 * bound_m / edge_limit_m), lon_step / MAX_LON_STEP_DEG) + 1e-9
            curve, t = _respaced(curve, t, i, need, n_curves)
            lon, lat = evaluate(curve, t)
            continue
        # The bound grows with the edge's length squared: split into as many equal parts as that needs
        # (at least two, and enough to bring the longitude step down).
        with np.errstate(divide="ignore", invalid="ignore"):
            parts = np.ceil(np.nan_to_num(np.sqrt(1.02 * bound_m[fails] / edge_limit_m), nan=2.0, posinf=2.0))
        parts = np.maximum.reduce([parts, np.ceil(lon_step[fails] / MAX_LON_STEP_DEG), np.full(len(bad), 2.0)])
        parts = np.minimum(parts, 1024).astype(np.int64)
        edge = np.repeat(np.arange(len(bad)), parts - 1)
        j = np.arange(len(edge)) - np.repeat(np.cumsum(parts - 1) - (parts - 1), parts - 1) + 1
        new_t = t[bad][edge] + (t[bad + 1] - t[bad])[edge] * j / parts[edge]
        new_lon, new_lat = evaluate(curve[bad][edge], new_t)
        at = np.repeat(bad + 1, parts - 1)
        curve, t = np.insert(curve, at, curve[bad][edge]), np.insert(t, at, new_t)
        lon, lat = np.insert(lon, at, new_lon), np.insert(lat, at, new_lat)
    raise RuntimeError("footprint pieces did not converge; please report this")


def _respaced(curve, t, edge_start, need, n_curves):
    """New parameters per curve, ``ceil(sum of need)`` edges each, spaced so each edge has an equal share.

    Parameters
    ----------
    curve, t : numpy.ndarray
        Points, sorted by curve then parameter.
    edge_start : numpy.ndarray
        Index of each edge's first point.
    need : numpy.ndarray
        Parts each edge needs (positive).
    n_curves : int

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
    """
    c = curve[edge_start]
    total = np.bincount(c, weights=need, minlength=n_curves)
    edges = np.maximum(np.ceil(total), 1).astype(np.int64)
    # Position along all curves: curve index + cumulative share; one monotone table for np.interp.
    share = need / total[c]
    cum = np.zeros(len(curve))
    cum[edge_start + 1] = share
    first = np.flatnonzero(np.r_[True, curve[1:] != curve[:-1]])
    cum = np.cumsum(cum)
    cum -= np.repeat(cum[first], np.diff(np.r_[first, len(curve)]))
    position = curve + np.minimum(cum, 1.0) * (1 - 1e-12)
    counts = edges + 1
    new_curve = np.repeat(np.arange(n_curves), counts)
    k = np.arange(len(new_curve)) - np.repeat(np.cumsum(counts) - counts, counts)
    target = new_curve + (k / edges[new_curve]) * (1 - 1e-12)
    new_t = np.interp(target, position, t)
    # np.interp across the whole table is piecewise linear within each curve (positions are monotone).
    new_t[k == 0] = 0.0
    new_t[k == edges[new_curve]] = 1.0
    return new_curve, new_t


def _runs(curve: np.ndarray, n_curves: int):
    """Start of each curve's points and their count (curves are contiguous and sorted)."""
    counts = np.bincount(curve, minlength=n_curves)
    return np.cumsum(counts) - counts, counts


def pieces_deg(launch: Launch, distance_m: float, tolerance_m: float) -> tuple[np.ndarray, np.ndarray]:
    """The rings of all bodies and sectors, as one coordinate array with a ring index per point.

    Parameters
    ----------
    launch : Launch
    distance_m, tolerance_m : float

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``(n, 2)`` lon/lat (not closed; longitudes as ``Geod.fwd`` gives them,
        in [-180, 180]) and the ring index of each point, rings contiguous.
    """
    edge_limit_m = EDGE_ERROR_SHARE * tolerance_m
    n_seg = len(launch.lon0)
    r = distance_m
    k_arc, k_off = circle_curvature_per_m(r), offset_curvature_per_m(r)

    # Spokes: per segment, [start-left, start-right, end-left, end-right], from the vertex out to the range.
    s_lon = np.c_[launch.lon0, launch.lon0, launch.lon1, launch.lon1].ravel()
    s_lat = np.c_[launch.lat0, launch.lat0, launch.lat1, launch.lat1].ravel()
    s_az = np.c_[launch.az0 - 90.0, launch.az0 + 90.0, launch.az1 - 90.0, launch.az1 + 90.0].ravel()
    n_spoke = len(s_lon)
    tip_lon, tip_lat, _ = GEOD.fwd(s_lon, s_lat, s_az, np.full(n_spoke, r))
    spoke_curve, _, spoke_lon, spoke_lat = _sample(
        lambda c, t: _fwd_or_vertex(s_lon[c], s_lat[c], s_az[c], r * t, tip_lon[c], tip_lat[c], t),
        n_spoke, np.ones(n_spoke), np.zeros(n_spoke), max(edge_limit_m, _SPOKE_BOW_SHARE * r))
    spoke_first, spoke_count = _runs(spoke_curve, n_spoke)

    # Offsets: per segment, left then right, from the start to the end.
    off_seg = np.repeat(np.arange(n_seg), 2)
    side = np.tile([-90.0, 90.0], n_seg)
    start_tip = np.c_[np.arange(n_seg) * 4, np.arange(n_seg) * 4 + 1].ravel()
    end_tip = start_tip + 2
    chord_guess = np.sqrt(8.0 * edge_limit_m / max(k_off, 1e-30))
    off_init = np.ceil(launch.length_m[off_seg] / chord_guess)

    def offset_point(c, t):
        j = off_seg[c]
        foot_lon, foot_lat, back = GEOD.fwd(launch.lon0[j], launch.lat0[j], launch.az0[j], launch.length_m[j] * t)
        lon, lat, _ = GEOD.fwd(foot_lon, foot_lat, back + 180.0 + side[c], np.full(len(c), r))
        at0, at1 = t == 0.0, t == 1.0
        lon[at0], lat[at0] = tip_lon[start_tip[c[at0]]], tip_lat[start_tip[c[at0]]]
        lon[at1], lat[at1] = tip_lon[end_tip[c[at1]]], tip_lat[end_tip[c[at1]]]
        return lon, lat

    off_curve, _, off_lon, off_lat = _sample(offset_point, 2 * n_seg, off_init, np.full(2 * n_seg, k_off),
                                             edge_limit_m)
    off_first, off_count = _runs(off_curve, 2 * n_seg)

    # Sectors: per corner, from the spoke of the incoming segment's end to the outgoing segment's start,
    # turning by the corner's angle on its convex side; a free end turns by 180 degrees.
    into, out_of = launch.into, launch.out_of
    change = launch.az0[np.maximum(out_of, 0)] - launch.az1[np.maximum(into, 0)]
    turn = np.where((into >= 0) & (out_of >= 0), change - 360.0 * np.round(change / 360.0), 180.0)
    # A corner whose convex side faces its polygon's interior needs no sector: a point there whose
    # nearest launch point is the corner would lie inside the polygon, which is in range already.
    keep = (turn != 0.0) & ~(((turn > 0) & (launch.inside > 0)) | ((turn < 0) & (launch.inside < 0)))
    into, out_of, turn = into[keep], out_of[keep], turn[keep]
    # Right turn (turn > 0): the left side is convex; left turn: the right side.
    left = turn > 0
    from_spoke = np.where(into >= 0, 4 * np.maximum(into, 0) + np.where(left, 2, 3), 4 * np.maximum(out_of, 0) + 1)
    to_spoke = np.where(out_of >= 0, 4 * np.maximum(out_of, 0) + np.where(left, 0, 1), 4 * np.maximum(into, 0) + 2)
    # A free end: the start cap turns from the start-right spoke through the back to the start-left
    # one; the end cap from the end-left spoke through the front to the end-right one.
    start_cap, end_cap = into < 0, out_of < 0
    from_spoke[end_cap] = 4 * into[end_cap] + 2
    to_spoke[end_cap] = 4 * into[end_cap] + 3
    turn = np.where(start_cap | end_cap, 180.0, turn)
    n_sec = len(turn)
    apex_lon, apex_lat, az_from = s_lon[from_spoke], s_lat[from_spoke], s_az[from_spoke]
    arc_len_m = np.abs(np.radians(turn)) * r
    arc_init = np.ceil(arc_len_m / np.sqrt(8.0 * edge_limit_m / k_arc))

    def arc_point(c, t):
        lon, lat, _ = GEOD.fwd(apex_lon[c], apex_lat[c], az_from[c] + t * turn[c], np.full(len(c), r))
        at0, at1 = t == 0.0, t == 1.0
        lon[at0], lat[at0] = tip_lon[from_spoke[c[at0]]], tip_lat[from_spoke[c[at0]]]
        lon[at1], lat[at1] = tip_lon[to_spoke[c[at1]]], tip_lat[to_spoke[c[at1]]]
        return lon, lat

    arc_curve, _, arc_lon, arc_lat = _sample(arc_point, n_sec, arc_init, np.full(n_sec, k_arc), edge_limit_m)
    arc_first, arc_count = _runs(arc_curve, n_sec)

    # Lone points: a whole circle each.
    n_pt = len(launch.point_lon)
    circle_init = np.full(n_pt, np.ceil(2 * np.pi * r / np.sqrt(8.0 * edge_limit_m / k_arc)))
    circle_init = np.maximum(circle_init, 8)
    circle_curve, _, circle_lon, circle_lat = _sample(
        lambda c, t: GEOD.fwd(launch.point_lon[c], launch.point_lat[c], 360.0 * t, np.full(len(c), r))[:2],
        n_pt, circle_init, np.full(n_pt, k_arc), edge_limit_m)
    circle_first, circle_count = _runs(circle_curve, n_pt)

    # Assemble index arrays into one coordinate table: spokes, offsets, arcs, circles.
    table_lon = np.concatenate([spoke_lon, off_lon, arc_lon, circle_lon])
    table_lat = np.concatenate([spoke_lat, off_lat, arc_lat, circle_lat])
    base_off = len(spoke_lon)
    base_arc = base_off + len(off_lon)
    base_circle = base_arc + len(arc_lon)

    def run(first, count, reverse=False):
        """One run per piece: a curve's points from its first (or, reversed, its last), without the point
        it ends on (the next run starts there)."""
        step = -1 if reverse else 1
        return first + (count - 1 if reverse else 0), count - 1, step

    parts = []
    j = np.arange(n_seg)
    # Body: start-left spoke out, left offset, end-left spoke in, end-right spoke out, right offset back,
    # start-right spoke in (each junction point taken once).
    sl, sr, el, er = 4 * j, 4 * j + 1, 4 * j + 2, 4 * j + 3
    parts.append([
        run(spoke_first[sl], spoke_count[sl]),
        run(base_off + off_first[2 * j], off_count[2 * j]),
        run(spoke_first[el], spoke_count[el], reverse=True),
        run(spoke_first[er], spoke_count[er]),
        run(base_off + off_first[2 * j + 1], off_count[2 * j + 1], reverse=True),
        run(spoke_first[sr], spoke_count[sr], reverse=True),
    ])
    # Sector: out along the "from" spoke, the arc, back along the "to" spoke.
    parts.append([
        run(spoke_first[from_spoke], spoke_count[from_spoke]),
        run(base_arc + arc_first, arc_count),
        run(spoke_first[to_spoke], spoke_count[to_spoke], reverse=True),
    ])
    parts.append([run(base_circle + circle_first, circle_count)])
    index, ring = _gather(parts)
    return np.column_stack([table_lon[index], table_lat[index]]), ring


def _fwd_or_vertex(lon, lat, az, dist_m, tip_lon, tip_lat, t):
    """Points along spokes; the vertex itself at t = 0 and the precomputed tip at t = 1, bit for bit."""
    x, y, _ = GEOD.fwd(lon, lat, az, dist_m)
    x = np.where(t == 0.0, lon, np.where(t == 1.0, tip_lon, x))
    y = np.where(t == 0.0, lat, np.where(t == 1.0, tip_lat, y))
    return x, y


def _gather(groups):
    """Concatenate runs into rings: each group is a list of (start, count, step) arrays, one entry per ring."""
    pieces_index, pieces_ring = [], []
    ring_base = 0
    for runs in groups:
        n_rings = len(runs[0][0])
        if n_rings == 0:
            continue
        lengths = sum(r[1] for r in runs)
        ring = np.repeat(np.arange(n_rings), lengths)
        out = np.empty(int(lengths.sum()), dtype=np.int64)
        offset = np.cumsum(lengths) - lengths
        for start, count, step in runs:
            k = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
            out[np.repeat(offset, count) + k] = np.repeat(start, count) + step * k
            offset = offset + count
        pieces_index.append(out)
        pieces_ring.append(ring + ring_base)
        ring_base += n_rings
    if not pieces_index:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(pieces_index), np.concatenate(pieces_ring)


def _unwrap_rings(lon, ring):
    """Longitudes unwrapped within each ring (each ring's first kept), and each ring's winding in turns."""
    first = np.flatnonzero(np.r_[True, ring[1:] != ring[:-1]])
    step = np.diff(lon, prepend=lon[0])
    step = (step + 180.0) % 360.0 - 180.0
    step[first] = 0.0
    run = np.cumsum(step)
    run -= np.repeat(run[first], np.diff(np.r_[first, len(lon)]))
    # Shift by whole turns only, so that points shared by two rings stay bit for bit the same.
    out = lon[first].repeat(np.diff(np.r_[first, len(lon)])) + run
    out = lon + 360.0 * np.round((out - lon) / 360.0)
    last = np.r_[first[1:] - 1, len(lon) - 1]
    closing = (lon[first] - out[last] + 180.0) % 360.0 - 180.0
    turns = np.round((out[last] + closing - lon[first]) / 360.0).astype(int)
    return out, turns


def ring_polygon(ring):
    """A closed unwrapped lon/lat ring as valid polygons in [-180, 180] (closed through a pole it winds around)."""
    lon, lat = ring[:, 0], ring[:, 1]
    if antimeridian.winding_turns(lon) != 0:
        lon, lat = antimeridian.close_around_pole(lon, lat, 90.0 if lat.mean() > 0 else -90.0)
    polygon = shapely.Polygon(np.column_stack([lon, lat]))
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon, method="structure", keep_collapsed=False)
    return shapely.union_all([antimeridian.split_at_antimeridian(p) for p in flat_parts(polygon)
                              if p.geom_type == "Polygon"])


def piece_polygons(xy, ring) -> np.ndarray:
    """Valid polygons in [-180, 180] from piece rings (see :func:`pieces_deg`).

    Rings that stay inside [-180, 180] and wind around no pole become polygons
    in one vectorised call; the rest go one by one through :func:`ring_polygon`.
    """
    if len(ring) == 0:
        return np.empty(0, dtype=object)
    lon, turns = _unwrap_rings(xy[:, 0], ring)
    n_rings = int(ring[-1]) + 1
    lo = np.full(n_rings, np.inf)
    hi = np.full(n_rings, -np.inf)
    np.minimum.at(lo, ring, lon)
    np.maximum.at(hi, ring, lon)
    # A ring is plain when it winds around no pole and stays on one side of the antimeridian.
    plain = (turns == 0) & (lo >= -180.0) & (hi <= 180.0)
    keep_pt = plain[ring]
    out = []
    if plain.any():
        sel_ring = ring[keep_pt]
        _, new_ring = np.unique(sel_ring, return_inverse=True)
        lr = shapely.linearrings(np.column_stack([lon[keep_pt], xy[keep_pt, 1]]), indices=new_ring)
        polys = shapely.polygons(lr)
        bad = ~shapely.is_valid(polys)
        if bad.any():
            polys[bad] = [shapely.union_all([p for p in flat_parts(shapely.make_valid(g, method="structure",
                                                                                       keep_collapsed=False))
                                             if p.geom_type == "Polygon"]) for g in polys[bad]]
        out.append(polys)
    for k in np.flatnonzero(~plain):
        pts = ring == k
        closed = np.vstack([np.column_stack([lon[pts], xy[pts, 1]]), [[lon[pts][0] + 360.0 * turns[k],
                                                                      xy[pts, 1][0]]]])
        out.append(np.array([_restore_lon(ring_polygon(closed), xy[pts])], dtype=object))
    return np.concatenate(out)


def _restore_lon(polygon, xy):
    """Give back the original longitudes of points that were shifted by whole turns and back.

    ``(lon + 360) - 360`` can differ from ``lon`` in the last bit; a point shared
    with another piece must match it exactly, or the union leaves a seam.
    """
    by_lat = dict(zip(xy[:, 1].tolist(), xy[:, 0].tolist()))

    def snap(coords):
        lon = coords[:, 0].copy()
        orig = np.array([by_lat.get(y, np.nan) for y in coords[:, 1].tolist()])
        # Not modulo 360 (-180 and 180 are two sides of a cut), and never a point on the cut itself.
        close = (np.abs(lon - orig) < 1e-9) & (np.abs(lon) != 180.0)
        lon[close] = orig[close]
        return np.column_stack([lon, coords[:, 1]])

    return shapely.transform(polygon, snap)


def reduce_far(launch: Launch, distance_m: float, tolerance_m: float) -> Launch:
    """Leave out the segments, corners and lone points that cannot reach the boundary at this range.

    See :mod:`rangemap.geodesy.farfield`; the polygons' interiors are kept whole.

    Parameters
    ----------
    launch : Launch
    distance_m, tolerance_m : float

    Returns
    -------
    Launch
    """
    n_seg = len(launch.lon0)
    lon = np.concatenate([launch.lon0, launch.lon1, launch.point_lon])
    lat = np.concatenate([launch.lat0, launch.lat1, launch.point_lat])
    margin_m = depth_margin_m(tolerance_m, float(launch.length_m.max(initial=0.0)))
    keep = far_keep(lon, lat, distance_m, circle_curvature_per_m(0.9 * distance_m), margin_m)
    if keep is None or keep.all():
        return launch
    keep_start, keep_end, keep_point = keep[:n_seg], keep[n_seg:2 * n_seg], keep[2 * n_seg:]
    # Depth inside a convex hull is concave along a segment: a segment with both ends deep is deep.
    keep_seg = keep_start | keep_end
    new_index = np.cumsum(keep_seg) - 1
    has_into, has_out = launch.into >= 0, launch.out_of >= 0
    into_kept = has_into & keep_seg[np.maximum(launch.into, 0)]
    out_kept = has_out & keep_seg[np.maximum(launch.out_of, 0)]
    # A corner keeps its sector where every segment it joins is kept; where only one is, the kept
    # part of the path ends there, and the corner becomes that end's cap (a free end: no sides).
    used = into_kept | out_kept
    into = np.where(into_kept, launch.into, -1)[used]
    out_of = np.where(out_kept, launch.out_of, -1)[used]
    whole = ((into_kept | ~has_into) & (out_kept | ~has_out))[used]
    inside = np.where(whole, launch.inside[used], 0)
    renumber = lambda seg: np.where(seg >= 0, new_index[np.maximum(seg, 0)], -1)  # noqa: E731
    return Launch(launch.point_lon[keep_point], launch.point_lat[keep_point], launch.lon0[keep_seg],
                  launch.lat0[keep_seg], launch.lon1[keep_seg], launch.lat1[keep_seg], launch.az0[keep_seg],
                  launch.az1[keep_seg], launch.length_m[keep_seg], renumber(into), renumber(out_of), inside,
                  launch.interiors)


def union_of_pieces(geometry: shapely.Geometry, distance_m: float, tolerance_m: float) -> shapely.Geometry:
    """The footprint of a geometry as the union of its bodies, sectors and polygon interiors.

    Parameters
    ----------
    geometry : shapely.Geometry
        Lon/lat degrees; edges are geodesics.
    distance_m, tolerance_m : float

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
    """
    launch = reduce_far(launch_arrays(geometry), distance_m, tolerance_m)
    xy, ring = pieces_deg(launch, distance_m, tolerance_m)
    polygons = piece_polygons(xy, ring)
    areas = [a if a.is_valid else shapely.make_valid(a) for a in launch.interiors]
    union = shapely.union_all(np.concatenate([polygons, np.array(areas, dtype=object)]))
    return drop_slivers(union, SLIVER_SHARE * tolerance_m)


def drop_slivers(area, width_m: float):
    """Fill the holes of a union that are thinner than ``width_m``: seams where pieces met, not real holes.

    Where three pieces meet, the overlay can leave a hole of practically no
    area between edges that are collinear in truth. A hole's inscribed radius
    is at most twice its area over its perimeter; a hole under ``width_m`` by
    that bound is filled (its points lie within ``width_m`` of its rim, so
    the footprint stays within the tolerance).

    Parameters
    ----------
    area : shapely.Polygon or shapely.MultiPolygon
    width_m : float

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
    """
    out = []
    changed = False
    for part in flat_parts(area):
        holes = [np.asarray(h.coords) for h in part.interiors]
        if not holes:
            out.append(part)
            continue
        hole_polys = shapely.polygons(shapely.linearrings(np.vstack(holes), indices=np.repeat(
            np.arange(len(holes)), [len(h) for h in holes])))
        width_deg = 2.0 * shapely.area(hole_polys) / np.maximum(shapely.length(hole_polys), 1e-300)
        keep = width_deg * MAX_M_PER_DEG >= width_m
        if keep.all():
            out.append(part)
            continue
        changed = True
        out.append(shapely.Polygon(part.exterior.coords, [h for h, k in zip(holes, keep) if k]))
    if not changed:
        return area
    return out[0] if len(out) == 1 else shapely.MultiPolygon(out)


__all__ = ["Launch", "circle_curvature_per_m", "launch_arrays", "offset_curvature_per_m", "piece_polygons",
           "pieces_deg", "ring_polygon", "union_of_pieces"]
