"""Accounts: sign-in, users, invitations, languages, each role's home."""
