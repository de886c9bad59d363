"""The program director's cohort workspace: cohorts, rosters, curriculum, readiness."""
