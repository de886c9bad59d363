"""Pure helpers every feature shares: formatting, working days, specialties, errors."""
