"""Shipped data (Natural Earth, public domain): see PROVENANCE.md in this folder."""
