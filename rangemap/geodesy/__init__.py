"""Footprints on the WGS84 ellipsoid and everything they need.

Nearest distances, the far-field reduction, exact pieces, the refinement, the
footprint cache, error measurement, and :mod:`rangemap.geodesy.bounds`, which
owns the error budget, the ellipsoid bounds and the projection helpers.
Imports only from :mod:`rangemap.io` and :mod:`rangemap.errors`.
"""
