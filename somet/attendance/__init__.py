"""Attendance: the host coordinator's doctor × day grid for its placements."""
