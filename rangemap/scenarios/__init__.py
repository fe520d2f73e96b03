"""Scenario files that ship with rangemap (the default scenario lives here)."""
