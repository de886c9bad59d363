"""What other features (the demo, the CLI) may do in travel."""

# Travel readiness (kept in its own module, offered here): the director's visa decisions.
from somet.travel.readiness_operations import record_visa_status  # noqa: F401
