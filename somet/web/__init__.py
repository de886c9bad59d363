"""Web plumbing every feature shares: extensions, database, i18n, access, pages."""
