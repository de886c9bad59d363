"""Roster files: PURE row validation and matching, and reading/writing CSV and XLSX."""
