"""Placement scheduling: a pure package (no Flask, no database) for `somet-schedule/1`."""

from .checker import check_result
from .conflicts import explain_infeasible, precheck
from .instance import (
    FORMAT,
    Department,
    Doctor,
    Fixed,
    Forbidden,
    Instance,
    InstanceError,
    Rotation,
    load_instance,
    working_days,
)
from .plain import solve_plain
from .solver import Placement, Result, Status, Unplaced, result_to_json, solve

__all__ = [
    "FORMAT",
    "Department",
    "Doctor",
    "Fixed",
    "Forbidden",
    "Instance",
    "InstanceError",
    "Placement",
    "Result",
    "Rotation",
    "Status",
    "Unplaced",
    "check_result",
    "explain_infeasible",
    "load_instance",
    "precheck",
    "result_to_json",
    "solve",
    "solve_plain",
    "working_days",
]
