"""The director's planning pages: plan a cohort, its timeline and capacity, edits, sending."""
