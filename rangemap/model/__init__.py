"""Scenarios and what they mean: the spec (parsed, nothing computed), site resolution, territory,
reach, the timeline, the analysis, results and the report schema.

Imports from :mod:`rangemap.data` and below; knows nothing of maps or files.
"""
