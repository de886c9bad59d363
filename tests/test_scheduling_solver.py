"""The solver and the checker on hand-made cases a programme director would recognise."""

from __future__ import annotations

from datetime import date

from somet.core.problems import problem
from somet.scheduling import check_schedule, load_instance, score_schedule, solve
from somet.scheduling.covers import doctor_patterns
from somet.scheduling.space import build_tasks
from tests.scheduling_data import cohort, contract_example


def test_a_cohort_that_fits_is_placed_optimally_and_passes_the_checker():
    instance = load_instance(cohort(4))
    result = solve(instance, time_limit=5)
    assert result.status == "OPTIMAL"
    assert check_schedule(instance, result.placements) == []
    # every core (1 point + 0 weight) and every elective (1 + 1) fits: 4 × 3
    assert result.score == result.bound == score_schedule(instance, result.placements) == 12
    assert {p.rotation for p in result.placements if p.doctor == "kz-004"} == {"core", "elective"}


def test_a_fixed_placement_is_kept_even_where_another_day_would_score_more():
    data = cohort(2)
    data["doctors"][0]["rotations"][0]["options"]["rambam-anesthesiology"] = 5
    data["fixed"] = [{"doctor": "kz-001", "rotation": "core",
                      "department": "rambam-neurosurgery", "start": "2026-03-09"}]
    result = solve(load_instance(data), time_limit=5)
    core = next(p for p in result.placements if (p.doctor, p.rotation) == ("kz-001", "core"))
    assert (core.department, core.start, core.end) == (
        "rambam-neurosurgery", date(2026, 3, 9), date(2026, 3, 12)
    )


def test_a_declined_department_is_never_used_even_if_it_scores_best():
    data = cohort(3)
    for doctor in data["doctors"]:
        doctor["rotations"][0]["options"]["rambam-anesthesiology"] = 9
    data["forbidden"] = [{"doctor": "kz-002", "rotation": "core",
                          "department": "rambam-anesthesiology"}]
    result = solve(load_instance(data), time_limit=5)
    assert result.status == "OPTIMAL"
    places = {(p.doctor, p.rotation): p.department for p in result.placements}
    assert places["kz-002", "core"] == "rambam-neurosurgery"
    assert places["kz-001", "core"] == "rambam-anesthesiology"


def test_a_required_rotation_whose_only_department_declined_is_explained():
    data = cohort(3)
    data["forbidden"] = [{"doctor": "kz-003", "rotation": "core",
                          "department": "rambam-neurosurgery"}]
    result = solve(load_instance(data), time_limit=5)
    assert result.status == "INFEASIBLE" and result.placements == []
    assert result.conflicts == [
        problem("schedule.fits_nowhere", doctor="kz-003", rotation="core", days=4,
                why=problem("schedule.only_department_forbidden"))
    ]
    # the contract's JSON keeps its English reason, worded from the code
    assert result.to_dict()["conflicts"] == [
        "kz-003's core (4 days) fits nowhere: its only department is forbidden "
        "(declined by the host)"
    ]


def test_blocked_days_that_break_every_block_are_named():
    data = cohort(1, days=5)
    data["doctors"][0]["blocked"] = ["2026-03-03", "2026-03-09"]
    result = solve(load_instance(data), time_limit=5)
    assert result.status == "INFEASIBLE"
    assert result.conflicts[0] == problem(
        "schedule.fits_nowhere", doctor="kz-001", rotation="core", days=5,
        why=problem("schedule.no_free_run", doctor="kz-001", days=5, first=date(2026, 3, 1),
                    last=date(2026, 3, 12), days_list=(date(2026, 3, 3), date(2026, 3, 9))),
    )
    assert result.to_dict()["conflicts"][0].startswith(
        "kz-001's core (5 days) fits nowhere: kz-001 has no 5 consecutive free working days "
        "between 2026-03-01 and 2026-03-12, blocked on 2026-03-03, 2026-03-09"
    )


def test_a_doctor_with_more_required_days_than_free_days_is_named():
    data = cohort(1, days=3)
    data["doctors"][0]["available_from"] = "2026-03-08"
    data["doctors"][0]["rotations"][1].update(required=True, days=3)
    result = solve(load_instance(data), time_limit=5)
    assert result.status == "INFEASIBLE"
    assert result.conflicts == [
        problem("schedule.doctor_overload", doctor="kz-001", needed=6, free=5,
                first=date(2026, 3, 8), last=date(2026, 3, 12))
    ]


def test_rotations_that_fit_by_counting_but_not_in_blocks_are_singled_out():
    data = cohort(3, capacity=1, days=6, closed=())
    for doctor in data["doctors"]:
        doctor["rotations"][0]["options"] = {"rambam-neurosurgery": 1,
                                             "rambam-anesthesiology": 1}
    data["departments"][1]["capacity"] = 1
    result = solve(load_instance(data), time_limit=5)
    assert result.status == "INFEASIBLE"
    core = [{"doctor": f"kz-00{n}", "rotation": "core", "fixed": False} for n in (1, 2, 3)]
    assert result.conflicts[0] == problem("schedule.core", rotations=core, more=0)
    assert result.to_dict()["conflicts"][0] == (
        "These required rotations cannot all be placed: kz-001's core, kz-002's core, "
        "kz-003's core."
    )


def test_an_optional_rotation_left_out_says_why():
    data = cohort(4)
    data["departments"][1]["capacity"] = 1
    data["departments"][1]["closed"] = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04",
                                        "2026-03-05", "2026-03-08", "2026-03-09"]
    result = solve(load_instance(data), time_limit=5)
    assert result.status == "OPTIMAL"
    assert len(result.unplaced) == 3
    assert {u.reason for u in result.unplaced} <= {
        problem("schedule.departments_full", departments=("rambam-anesthesiology",),
                doctor=u.doctor) for u in result.unplaced
    } | {problem("schedule.doctor_busy", doctor=u.doctor) for u in result.unplaced}


def test_the_checker_refuses_a_manual_edit_with_the_reason():
    instance = load_instance(contract_example())
    moved = [{"doctor": "kz-001", "rotation": "core", "department": "rambam-neurosurgery",
              "start": date(2026, 3, 2)}]
    where = {"doctor": "kz-001", "rotation": "core", "department": "rambam-neurosurgery"}
    assert check_schedule(instance, moved) == [
        problem("schedule.blocked", **where, start=date(2026, 3, 2), day=date(2026, 3, 4)),
        problem("schedule.closed", **where, start=date(2026, 3, 2), day=date(2026, 3, 5)),
        problem("schedule.fixed_not_kept", **where, start=date(2026, 3, 8)),
    ]


def test_the_checker_counts_capacity_and_double_bookings():
    instance = load_instance(cohort(3))
    placements = [
        {"doctor": f"kz-00{n}", "rotation": "core", "department": "rambam-neurosurgery",
         "start": "2026-03-08"} for n in (1, 2, 3)
    ] + [{"doctor": "kz-001", "rotation": "elective", "department": "rambam-anesthesiology",
          "start": "2026-03-11"}]
    problems = check_schedule(instance, placements)
    assert problem("schedule.doctor_overlap", doctor="kz-001", count=2, day=date(2026, 3, 11),
                   rotations=("core", "elective")) in problems
    assert problem("schedule.over_capacity", department="rambam-neurosurgery", count=3,
                   day=date(2026, 3, 8), capacity=2) in problems


def test_a_partial_schedule_can_be_checked_while_it_is_built():
    instance = load_instance(cohort(2))
    one = [{"doctor": "kz-001", "rotation": "core", "department": "rambam-neurosurgery",
            "start": "2026-03-08"}]
    assert check_schedule(instance, one, complete=False) == []
    assert check_schedule(instance, one) == [
        problem("schedule.required_missing", doctor="kz-002", rotation="core")
    ]


def test_a_doctor_whose_rotations_cannot_all_fit_chooses_one_set_that_does():
    data = cohort(1, days=5, closed=())
    data["start"] = "2026-03-02"  # nine working days: a core of 5 and electives of 3 and 2
    data["doctors"][0]["rotations"][1]["days"] = 3
    data["doctors"][0]["rotations"].append(
        {"id": "elective-2", "days": 2, "options": {"rambam-anesthesiology": 1}}
    )
    instance = load_instance(data)
    tasks = build_tasks(instance)
    # all three need 10 of the 9 days: any two of them, but not the three
    patterns = doctor_patterns(tasks, [0, 1, 2], len(instance.working_days))
    assert patterns == [[[0, 1], [0, 2], [1, 2]]]
    result = solve(instance, time_limit=5)
    assert (result.status, result.score, result.bound) == ("OPTIMAL", 3, 3)


def test_the_plain_model_and_the_solver_agree_on_the_optimum():
    instance = load_instance(cohort(4))
    assert solve(instance, plain=True).score == solve(instance).score == 12
