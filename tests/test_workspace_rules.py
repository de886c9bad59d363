"""PURE rules of the director's workspace: readiness, lifecycle guards, roster rows, files.

No app, no database: plain data in, words out.
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
    assert "Yerlan Bekov has no specialty." in problems
    assert "Yerlan Bekov: the required rotation “Core” has no eligible department." in problems
    assert "Dauren S has no arrival or departure date." in problems


def test_readiness_names_a_required_rotation_with_no_eligible_department():
    problems = readiness_problems(_plan([_doctor("Timur A", specialty="neurosurgery")]))
    assert problems == ["Timur A: the required rotation “Core” has no eligible department."]


def test_readiness_counts_doctor_days_against_what_departments_can_host():
    doctors = [_doctor(f"Doctor {n}") for n in range(6)]  # ICU: 6 x 2 days, hosts 1 x 10
    problems = readiness_problems(_plan(doctors))
    assert problems == [
        "Required rotations need 12 doctor-days in ICU (Rambam) between 2027-01-10 and "
        "2027-01-21, but they can host only 10."
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
    assert (
        "Late Arrival: the required rotations need 5 working days, but the stay has only 2."
        in problems
    )
    assert any("need 10 doctor-days in ICU (Rambam)" in p and "only 8" in p for p in problems)


def test_masterclass_days_are_no_rotation_days_in_readiness():
    items = (ItemInfo(10, "Core", "own", 9, True),)  # 9 of the 10 working days
    classes = frozenset({date(2027, 1, 12), date(2027, 1, 13), date(2027, 1, 15)})  # Fri: off
    busy = _doctor("Busy Doctor", masterclass_days=classes)
    problems = readiness_problems(_plan([_doctor(), busy], items=items))
    assert problems == [
        "Busy Doctor: the required rotations need 9 working days, "
        "but the stay has only 8 besides 2 at masterclasses."
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


def test_an_invalid_transition_is_refused_with_the_allowed_ones():
    with pytest.raises(TransitionRefused, match="A draft cohort cannot become active"):
        check_transition(_facts(), "active")
    with pytest.raises(TransitionRefused, match=r"archived cohort cannot become draft.*nothing"):
        check_transition(_facts("archived"), "draft")


def test_guards_say_what_is_missing():
    with pytest.raises(TransitionRefused, match="Choose at least one host hospital"):
        check_transition(_facts(), "planning")
    check_transition(_facts(host_count=1), "planning")
    with pytest.raises(
        TransitionRefused, match=r"No doctor is enrolled. No placement is confirmed"
    ):
        check_transition(
            _facts("planning", readiness_problems=("No doctor is enrolled.",)), "scheduled"
        )
    with pytest.raises(TransitionRefused, match=r"2 placement.s. still wait"):
        check_transition(
            _facts("planning", placements_by_status={"confirmed": 3, "requested": 2}), "scheduled"
        )
    check_transition(_facts("planning", placements_by_status={"confirmed": 3}), "scheduled")
    with pytest.raises(TransitionRefused, match="starts on 2027-01-10"):
        check_transition(_facts("scheduled"), "active")
    check_transition(_facts("scheduled", today=START), "active")


def test_going_back_needs_a_reason_and_no_placements():
    with pytest.raises(TransitionRefused, match="Say why"):
        check_transition(_facts("scheduled"), "planning")
    check_transition(_facts("scheduled"), "planning", reason="Host declined two doctors")
    with pytest.raises(TransitionRefused, match="already has 4 placement"):
        check_transition(_facts("planning", placements_by_status={"proposed": 4}), "draft", "x")


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
        2: ["missing first name"],
        3: ["bad e-mail “not-an-email”"],
        4: ["unknown specialty “Astrology”"],
        5: ["arrival 2027-01-05 is outside the cohort's dates (2027-01-10 to 2027-01-21)"],
        6: ["duplicate inside the file: same licence number as row 2"],
        7: ["departure is before arrival"],
        8: ["arrival “soon” is not a date (use YYYY-MM-DD)"],
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
    assert "belongs to Other but the passport number to Third" in decisions[3].errors[0]


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


def test_files_of_the_wrong_kind_are_refused_in_words():
    with pytest.raises(RosterFileError, match=r"\.csv or \.xlsx"):
        read_roster("roster.pdf", b"%PDF-1.7")
    with pytest.raises(RosterFileError, match="not XLSX"):
        read_roster("roster.xlsx", b"first,last\n")
    with pytest.raises(RosterFileError, match=r"lacks the column.s.: Last name"):
        read_roster("roster.csv", b"First name,Specialty\nA,B\n")


def test_a_file_with_too_many_rows_is_refused_before_it_is_all_read():
    content = b"First name,Last name\n" + b"A,B\n" * 2001
    with pytest.raises(RosterFileError, match="more than 2000 rows"):
        read_roster("roster.csv", content)
    assert len(read_roster("roster.csv", b"First name,Last name\n" + b"A,B\n" * 2000)) == 2000
    blank_lines = b"First name,Last name\n" + b",\n" * 20_000 + b"A,B\n"
    with pytest.raises(RosterFileError, match="more than 2000 rows"):
        read_roster("roster.csv", blank_lines)
