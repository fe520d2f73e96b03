"""Everything a reader sees: labels, the interactive page, the static figure, file writers, reports.

Imports from :mod:`rangemap.model` and below; computes no distances.
"""
