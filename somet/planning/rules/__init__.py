"""Pure planning rules: held capacity, partial plans."""
