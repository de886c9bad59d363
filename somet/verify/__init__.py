"""Public certificate verification (no login): by code, as HTML or JSON, and the public key."""
