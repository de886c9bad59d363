"""Operating SOMET: backups, restores and the user commands."""
