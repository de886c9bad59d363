"""Pure planning rules: held capacity, partial plans, the timeline's cell layout."""
