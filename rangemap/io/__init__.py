"""The lowest wing: atomic writes, TOML reading and text escaping. No domain knowledge.

Every other wing may import from here; this wing imports only :mod:`rangemap.errors`.
"""
