"""Travel and host documents: requirements, uploads, review, readiness, invitation letters."""
