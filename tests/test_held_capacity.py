"""Pure parts of planning: places held by other cohorts, and plans that place what they can."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from somet.core.workdays import working_days
from somet.planning.rules import held_capacity, partial_plans
from somet.scheduling import check_schedule, load_instance, solve

ROOT = Path(__file__).resolve().parents[1]
MONDAY = date(2027, 3, 1)
WEEKDAYS = [0, 1, 2, 3, 4]
DAYS = working_days(MONDAY, MONDAY + timedelta(days=11), WEEKDAYS)


def _held(start: int, end: int) -> held_capacity.HeldBlock:
    return held_capacity.HeldBlock(
        "dept-1", MONDAY + timedelta(days=start), MONDAY + timedelta(days=end)
    )


def test_full_days_close_and_partly_held_days_get_one_holder_per_place():
    blocks = [_held(0, 2), _held(0, 0), _held(1, 8)]  # Mon–Wed, Mon, Tue–next Tue
    use = held_capacity.held_use(blocks, DAYS)["dept-1"]
    assert use[MONDAY] == 2 and use[MONDAY + timedelta(days=1)] == 2
    closed = set(held_capacity.full_days(use, capacity=2))
    assert closed == {MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)}
    doctors, fixed = held_capacity.holder_doctors("dept-1", use, closed, DAYS)
    # Thursday to the next Tuesday: one place held, over the weekend (consecutive working days).
    assert [d["id"] for d in doctors] == ["held-dept-1-1"]
    assert fixed == [
        {
            "doctor": "held-dept-1-1",
            "rotation": "run-1",
            "department": "dept-1",
            "start": "2027-03-04",
        }
    ]
    assert doctors[0]["rotations"][0]["days"] == 4


def test_the_solver_sees_exactly_the_places_left():
    use = held_capacity.held_use([_held(0, 4)], DAYS)["dept-1"]  # one of two places, week one
    doctors, fixed = held_capacity.holder_doctors("dept-1", use, set(), DAYS)
    ours = [
        {
            "id": f"d{n}",
            "rotations": [{"id": "r", "required": True, "days": 5, "options": {"dept-1": 0}}],
        }
        for n in range(4)
    ]
    document = {
        "format": "somet-schedule/1",
        "start": DAYS[0].isoformat(),
        "end": DAYS[-1].isoformat(),
        "working_weekdays": WEEKDAYS,
        "departments": [{"id": "dept-1", "capacity": 2}],
        "doctors": ours + doctors,
        "fixed": fixed,
    }
    result = solve(load_instance(document), time_limit=5)
    assert result.status == "INFEASIBLE"  # 1 place left in week one, 2 in week two: 3 for 4
    ours.pop()
    result = solve(load_instance(document | {"doctors": ours + doctors}), time_limit=5)
    assert result.found
    starts = [p.start for p in result.placements if not p.doctor.startswith("held-")]
    assert sorted(starts).count(MONDAY) == 1
    assert (
        check_schedule(load_instance(document | {"doctors": ours + doctors}), result.placements)
        == []
    )


def test_a_plan_that_cannot_place_every_required_rotation_places_the_others():
    document = {
        "format": "somet-schedule/1",
        "start": "2027-03-01",
        "end": "2027-03-05",
        "working_weekdays": WEEKDAYS,
        "departments": [{"id": "icu", "capacity": 1}],
        "doctors": [
            {
                "id": f"d{n}",
                "rotations": [{"id": "icu", "required": True, "days": 5, "options": {"icu": 2}}],
            }
            for n in range(2)
        ],
    }
    relaxed, big, required = partial_plans.relax_required(document)
    assert required == {("d0", "icu"), ("d1", "icu")} and big == 1 + 2 + 2
    assert document["doctors"][0]["rotations"][0]["required"] is True  # the original is kept
    result = solve(load_instance(relaxed), time_limit=5).to_dict()
    restored = partial_plans.restore_required(result, big, required)
    assert restored["status"] == "PARTIAL" and restored["score"] == 2
    assert [u["required"] for u in restored["unplaced"]] == [True]


def test_a_complete_relaxed_plan_reports_the_strict_score():
    result = {
        "status": "OPTIMAL",
        "score": 2 * 10 + 5,
        "bound": 25,
        "unplaced": [],
        "placements": [{"doctor": "a", "rotation": "r"}, {"doctor": "b", "rotation": "r"}],
    }
    restored = partial_plans.restore_required(result, 10, {("a", "r"), ("b", "r")})
    assert (restored["status"], restored["score"], restored["bound"]) == ("OPTIMAL", 5, 5)
