"""What ships with the package: the gazetteer (regions, places, names), the weapon catalog, stored geodata.

Imports from :mod:`rangemap.geodesy` and below.
"""
