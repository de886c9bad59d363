"""Pure cohort rules: lifecycle, readiness, roster rows."""
