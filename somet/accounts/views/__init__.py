"""The accounts blueprints: sign-in, users, languages, home."""
