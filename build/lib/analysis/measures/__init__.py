"""Measures computed from the processed corpus; each returns a table (DataFrame)."""
