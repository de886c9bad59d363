"""Problems are facts (a code and parameters): comparable, stored as JSON, worded at the edge."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from somet.core.problems import Problem, problem
from somet.scheduling import wording
from somet.web import problem_texts

ROOT = Path(__file__).resolve().parent.parent
RULE_MODULES = (
    "somet/cohorts/rules/readiness.py",
    "somet/cohorts/rules/lifecycle.py",
    "somet/cohorts/rules/roster.py",
    "somet/cohorts/roster_files.py",
    "somet/planning/instance.py",
    "somet/scheduling/conflicts.py",
    "somet/scheduling/checker.py",
    "somet/scheduling/solver.py",
)


def test_problems_with_the_same_facts_are_equal_and_hash_alike():
    one = problem("schedule.closed", department="dept-1", day=date(2027, 3, 8), days=(1, 2))
    same = Problem("schedule.closed", {"days": [1, 2], "day": date(2027, 3, 8),
                                       "department": "dept-1"})
    assert one == same and hash(one) == hash(same) and len({one, same}) == 1
    assert one != one.replace(day=date(2027, 3, 9))


def test_a_problem_survives_a_trip_through_json_with_nested_problems():
    found = problem("schedule.fits_nowhere", doctor="enr-1", rotation="item-2", days=4,
                    why=problem("schedule.no_free_run", days_list=(date(2027, 3, 8),)))
    stored = found.to_json()
    assert stored["params"]["why"]["params"]["days_list"] == ["2027-03-08"]
    back = Problem.from_json(stored)
    assert back.code == found.code and back.params["why"].code == "schedule.no_free_run"


def _codes_in(path: str) -> set[str]:
    """Every string literal that looks like a problem code passed to ``problem(...)``."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "problem"
        and node.args and isinstance(node.args[0], ast.Constant)
    }


def test_every_code_a_rule_can_return_has_a_text_for_pages():
    codes = set().union(*(_codes_in(path) for path in RULE_MODULES))
    assert len(codes) > 40
    assert codes - set(problem_texts.TEXTS) == set()


def test_every_solver_code_keeps_the_contracts_english():
    solver = {c for c in problem_texts.TEXTS if c.startswith("schedule.")}
    assert solver - set(wording._WORDS) == set()


def test_the_planner_names_keys_and_says_when_other_cohorts_hold_every_place():
    from somet.planning.naming import Names, named

    names = Names({"enr-1": "Aigerim"}, {"item-2": "Core"}, {"dept-3": "Surgery (Rambam)"},
                  {"dept-3": {date(2027, 3, 8)}})
    where = {"start": date(2027, 3, 7), "day": date(2027, 3, 8)}
    fault = problem("schedule.closed", doctor="enr-1", rotation="item-2", department="dept-3",
                    **where)
    assert named(fault, names) == problem(
        "planning.held_full", doctor="Aigerim", rotation="Core", department="Surgery (Rambam)",
        **where,
    )
    assert named(Problem.from_json(fault.to_json()), names).code == "planning.held_full"
    held = {"doctor": "held-dept-3-1", "rotation": "run-1", "fixed": True}
    core = problem("schedule.core", rotations=(held,), more=0)
    assert named(core, names).params["rotations"] == ({"held_at": "Surgery (Rambam)"},)
