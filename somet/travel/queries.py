"""What other features read of travel (the pages' own queries live beside this module)."""

# Travel readiness (kept in its own module, offered here): the director's queue.
from somet.travel.readiness_queries import (  # noqa: F401
    FlaggedTraveller,
    cohort_readiness,
    flagged_travellers,
)
