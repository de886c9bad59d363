"""Placement scheduling (`somet-schedule/1`): pure Python and OR-Tools, no Flask, no models.

    from somet.scheduling import load_instance, solve, check_schedule, InstanceError
"""

from somet.scheduling.checker import check_schedule, score_schedule
from somet.scheduling.instance import Instance, InstanceError, load_instance
from somet.scheduling.result import Placement, Result, Unplaced
from somet.scheduling.solver import solve

__all__ = [
    "Instance",
    "InstanceError",
    "Placement",
    "Result",
    "Unplaced",
    "check_schedule",
    "load_instance",
    "score_schedule",
    "solve",
]
