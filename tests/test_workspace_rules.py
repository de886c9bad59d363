"""PURE rules of the director's workspace: readiness, lifecycle guards, roster rows, files.

No app, no database: plain data in, problems (codes and facts) out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from somet.cohorts.roster_files import read_roster, write_csv, write_xlsx
from somet.cohorts.rules.lifecycle import CohortFacts, TransitionRefused, check_transition
from somet.cohorts.rules.readiness import (
    CohortPlan,
    DepartmentInfo,
    DoctorInfo,
    ItemInfo,
    readiness_problems,
    rotation_options,
)
from somet.cohorts.rules.roster import KnownDoctor, RosterFileError, decide_rows
from somet.core.problems import problem

ROOT = Path(__file__).resolve().parent.parent
SUN_THU = (6, 0, 1, 2, 3)
START, END = date(2027, 1, 10), date(2027, 1, 21)  # Sunday to Thursday: 10 working days


def _plan(doctors, items=None, departments=None) -> CohortPlan:
    departments = departments or (
        DepartmentInfo(1, "Anesthesiology (Rambam)", "anaesthesiology", 2, SUN_THU),
        DepartmentInfo(2, "ICU (Rambam)", "intensive-care", 1, SUN_THU),
    )
    items = items or (
        ItemInfo(10, "Core", "own", 3, True),
        ItemInfo(11, "Intensive care", "named", 2, True, specialty="intensive-care"),
    )
    return CohortPlan(START, END, tuple(departments), tuple(items), tuple(doctors))


def _doctor(name="Aigerim Nurlanovna", specialty="anaesthesiology", **overrides) -> DoctorInfo:
    fields = dict(name=name, specialty=specialty, arrival=START, departure=END)
    fields.update(overrides)
    return DoctorInfo(**fields)


def test_a_cohort_that_fits_is_ready():
    assert readiness_problems(_plan([_doctor(), _doctor("Saule K")])) == []


def test_readiness_names_a_doctor_without_specialty_or_dates():
    problems = readiness_problems(
        _plan([_doctor("Yerlan Bekov", specialty=None), _doctor("Dauren S", arrival=None)])
    )
    assert problem("readiness.no_specialty", doctor="Yerlan Bekov") in problems
    assert problem("readiness.no_department", doctor="Yerlan Bekov", rotation="Core") in problems
    assert problem("readiness.no_dates", doctor="Dauren S") in problems


def test_readiness_names_a_required_rotation_with_no_eligible_department():
    problems = readiness_problems(_plan([_doctor("Timur A", specialty="neurosurgery")]))
    assert problems == [problem("readiness.no_department", doctor="Timur A", rotation="Core")]


def test_readiness_counts_doctor_days_against_what_departments_can_host():
    doctors = [_doctor(f"Doctor {n}") for n in range(6)]  # ICU: 6 x 2 days, hosts 1 x 10
    problems = readiness_problems(_plan(doctors))
    assert problems == [
        problem("readiness.over_capacity", needed=12, departments=("ICU (Rambam)",),
                start=START, end=END, can_host=10)
    ]


def test_closed_days_and_short_stays_count_in_readiness():
    closed = frozenset({date(2027, 1, 12), date(2027, 1, 13)})
    departments = (
        DepartmentInfo(1, "Anesthesiology (Rambam)", "anaesthesiology", 2, SUN_THU),
        DepartmentInfo(2, "ICU (Rambam)", "intensive-care", 1, SUN_THU, closed),
    )
    doctors = [_doctor(f"Doctor {n}") for n in range(4)]
    doctors.append(_doctor("Late Arrival", arrival=date(2027, 1, 20)))
    problems = readiness_problems(_plan(doctors, departments=departments))
    assert problem("readiness.stay_too_short", doctor="Late Arrival", needed=5, stay=2,
                   masterclass_days=0) in problems
    assert problem("readiness.over_capacity", needed=10, departments=("ICU (Rambam)",),
                   start=START, end=END, can_host=8) in problems


def test_masterclass_days_are_no_rotation_days_in_readiness():
    items = (ItemInfo(10, "Core", "own", 9, True),)  # 9 of the 10 working days
    classes = frozenset({date(2027, 1, 12), date(2027, 1, 13), date(2027, 1, 15)})  # Fri: off
    busy = _doctor("Busy Doctor", masterclass_days=classes)
    problems = readiness_problems(_plan([_doctor(), busy], items=items))
    assert problems == [
        problem("readiness.stay_too_short", doctor="Busy Doctor", needed=9, stay=8,
                masterclass_days=2)
    ]


def test_a_directors_override_replaces_the_curriculum_options_for_one_doctor():
    plan = _plan([])
    item = plan.items[0]
    plain = _doctor()
    assert rotation_options(plan, plain, item) == {1: 0}
    overridden = _doctor(overrides={item.id: {2: 5}})
    assert rotation_options(plan, overridden, item) == {2: 5}


def _facts(status="draft", **overrides) -> CohortFacts:
    fields = dict(status=status, start_date=START, end_date=END, today=date(2026, 12, 1))
    fields.update(overrides)
    return CohortFacts(**fields)


def _refusal(facts: CohortFacts, target: str, reason: str = "") -> tuple:
    with pytest.raises(TransitionRefused) as refused:
        check_transition(facts, target, reason)
    return refused.value.problems


def test_an_invalid_transition_is_refused_with_the_allowed_ones():
    assert _refusal(_facts(), "active") == (
        problem("cohort.transition_not_allowed", status="draft", target="active",
                allowed=("planning",)),
    )
    assert _refusal(_facts("archived"), "draft") == (
        problem("cohort.transition_not_allowed", status="archived", target="draft", allowed=()),
    )


def test_guards_say_what_is_missing():
    assert _refusal(_facts(), "planning") == (problem("cohort.no_host"),)
    check_transition(_facts(host_count=1), "planning")
    no_doctor = problem("readiness.no_doctor")
    assert _refusal(_facts("planning", readiness_problems=(no_doctor,)), "scheduled") == (
        no_doctor, problem("cohort.nothing_confirmed"),
    )
    pending = _facts("planning", placements_by_status={"confirmed": 3, "requested": 2})
    assert _refusal(pending, "scheduled") == (problem("cohort.placements_pending", count=2),)
    check_transition(_facts("planning", placements_by_status={"confirmed": 3}), "scheduled")
    assert _refusal(_facts("scheduled"), "active") == (problem("cohort.not_started", start=START),)
    check_transition(_facts("scheduled", today=START), "active")


def test_going_back_needs_a_reason_and_no_placements():
    assert _refusal(_facts("scheduled"), "planning") == (
        problem("cohort.reason_needed", target="planning"),
    )
    check_transition(_facts("scheduled"), "planning", reason="Host declined two doctors")
    placed = _facts("planning", placements_by_status={"proposed": 4})
    assert _refusal(placed, "draft", "x") == (problem("cohort.has_placements", count=4),)


def _row(n: int, **overrides) -> dict:
    row = dict(
        first_name=f"Aigerim{n}",
        last_name="Nurlanovna",
        native_name="Әйгерім",
        specialty="Anaesthesiology",
        email=f"a{n}@example.kz",
        licence_number=f"LIC-{n}",
        passport_number=f"N{n:08d}",
        arrival_date="2027-01-10",
        departure_date="2027-01-21",
    )
    row.update(overrides)
    return row


def test_each_row_error_is_named():
    rows = [
        _row(1, first_name=""),
        _row(2, email="not-an-email"),
        _row(3, specialty="Astrology"),
        _row(4, arrival_date="2027-01-05"),
        _row(5, licence_number="LIC-1", passport_number="X1"),
        _row(6, departure_date="10.01.2027", arrival_date="2027-01-12"),
        _row(7, arrival_date="soon"),
    ]
    errors = {d.line: list(d.errors) for d in decide_rows(rows, [], START, END)}
    assert errors == {
        2: [problem("roster.missing_first_name")],
        3: [problem("roster.bad_email", value="not-an-email")],
        4: [problem("roster.unknown_specialty", value="Astrology")],
        5: [problem("roster.date_outside_cohort", field="arrival_date", day=date(2027, 1, 5),
                    start=START, end=END)],
        6: [problem("roster.duplicate_in_file", field="licence_number", row=2)],
        7: [problem("roster.departure_before_arrival")],
        8: [problem("roster.not_a_date", field="arrival_date", value="soon")],
    }


def test_rows_match_known_doctors_by_licence_or_passport():
    known = [
        KnownDoctor(7, "Aigerim1 Nurlanovna", {**_row(1), "specialty": "anaesthesiology"}),
        KnownDoctor(8, "Yerlan Bekov", {**_row(2), "specialty": "anaesthesiology", "phone": "1"}),
        KnownDoctor(9, "Other", {"licence_number": "LIC-99", "passport_number": "P99"}),
        KnownDoctor(10, "Third", {"licence_number": "LIC-100", "passport_number": "P100"}),
    ]
    for doctor in known:
        doctor.fields.pop("arrival_date", None)
        doctor.fields.pop("departure_date", None)
    rows = [
        _row(1),  # same licence, same everything: known
        _row(2, licence_number="", email="new@example.kz"),  # same passport, new e-mail
        _row(3),  # nobody: new
        _row(4, licence_number="LIC-99", passport_number="P100"),  # two different people
    ]
    decisions = decide_rows(rows, known, START, END)
    assert [(d.status, d.doctor_id) for d in decisions] == [
        ("known", 7),
        ("changed", 8),
        ("new", None),
        ("invalid", None),
    ]
    assert decisions[1].changes == ("email",)
    assert decisions[3].errors == (
        problem("roster.numbers_disagree", licence_holder="Other", passport_holder="Third"),
    )


def test_csv_and_xlsx_read_back_what_was_written():
    rows = [
        {**_row(1), "arrival_date": date(2027, 1, 10), "specialty": "anaesthesiology"},
        {**_row(2), "native_name": "Ерлан Беков", "specialty": "general-surgery"},
    ]
    for name, content in (("r.csv", write_csv(rows)), ("r.xlsx", write_xlsx(rows))):
        back = read_roster(name, content)
        assert [r["native_name"] for r in back] == ["Әйгерім", "Ерлан Беков"]
        assert back[0]["arrival_date"] == "2027-01-10"
        assert back[1]["licence_number"] == "LIC-2"


def _file_refusal(name: str, content: bytes) -> tuple:
    with pytest.raises(RosterFileError) as refused:
        read_roster(name, content)
    return refused.value.problems


def test_files_of_the_wrong_kind_are_refused_with_the_reason():
    assert _file_refusal("roster.pdf", b"%PDF-1.7") == (problem("roster.file_type"),)
    assert _file_refusal("roster.xlsx", b"first,last\n") == (
        problem("roster.file_content", format="XLSX"),
    )
    assert _file_refusal("roster.csv", b"First name,Specialty\nA,B\n") == (
        problem("roster.missing_columns", columns=("Last name",)),
    )


def test_a_file_with_too_many_rows_is_refused_before_it_is_all_read():
    content = b"First name,Last name\n" + b"A,B\n" * 2001
    too_many = (problem("roster.too_many_rows", count=2000),)
    assert _file_refusal("roster.csv", content) == too_many
    assert len(read_roster("roster.csv", b"First name,Last name\n" + b"A,B\n" * 2000)) == 2000
    blank_lines = b"First name,Last name\n" + b",\n" * 20_000 + b"A,B\n"
    assert _file_refusal("roster.csv", blank_lines) == too_many


def test_a_cohort_is_archived_only_once_no_certificate_is_owed():
    owing = _facts("completed", uncertified_count=2)
    assert _refusal(owing, "archived") == (problem("cohort.certificates_owed", count=2),)
    check_transition(_facts("completed"), "archived")
