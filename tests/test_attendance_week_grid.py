"""Attendance as a week grid: weekday names, one radio group per cell, "all present" per day
and per doctor, and the weeks still to record flagged in the week list."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from somet.attendance.rules import Stay, fill_unmarked, week_tallies
from somet.models import AttendanceStatus, Hospital, HospitalHoliday, Language
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as
from tests.test_attendance import SUNDAY, WEEK, _cell, _confirmed, _marks

SUN_THU = (6, 0, 1, 2, 3)
HOLIDAY = SUNDAY + timedelta(2)  # the ward fixture's Purim


@pytest.fixture
def ward(users):
    """As test_attendance's: one confirmed placement Sun 1 – Thu 5 March 2026, Tue a holiday."""
    hospital = db.session.get(Hospital, users["coordinator"].hospital_id)
    department = factories.make_department(hospital, name="Cardiac surgery")
    placement = _confirmed(department, factories.make_doctor(last_name="Bekova"))
    db.session.add(HospitalHoliday(hospital_id=hospital.id, day=HOLIDAY, name="Purim"))
    db.session.commit()
    return department, placement


def _week_row(page: str, department_id: int, week: date) -> str:
    match = re.search(rf'<tr id="week-{department_id}-{week.isoformat()}".*?</tr>', page, re.S)
    assert match, "no such week in the list"
    return match.group(0)


# --- pure rules ------------------------------------------------------------------------------


def test_a_week_counts_its_working_days_so_far_and_those_recorded():
    stays = [Stay(1, 10, SUNDAY, SUNDAY + timedelta(4)), Stay(2, 10, SUNDAY, SUNDAY + timedelta(1))]
    recorded = {(1, SUNDAY), (2, SUNDAY), (2, SUNDAY + timedelta(1))}
    tallies = week_tallies(stays, recorded, SUN_THU, {10: {HOLIDAY}}, SUNDAY + timedelta(3))
    tally = tallies[(10, SUNDAY)]
    # doctor 1: Sun, Mon, Wed so far (Tue a holiday, Thu to come); doctor 2: Sun, Mon
    assert (tally.doctors, tally.due, tally.recorded, tally.missing) == (2, 5, 3, 2)
    assert not tally.complete
    done = week_tallies(stays[1:], recorded, SUN_THU, {}, SUNDAY + timedelta(9))
    assert done[(10, SUNDAY)].complete


def test_a_stay_over_several_weeks_counts_each_weeks_own_days():
    # Tuesday of the first week to the Friday (a day off) of the third: each week counts only
    # its own working days so far, a mark on a day off counts for nothing, and the third
    # week has a doctor but no day due yet.
    stay = Stay(1, 10, SUNDAY + timedelta(2), SUNDAY + timedelta(19))
    recorded = {(1, SUNDAY + timedelta(3)), (1, SUNDAY + timedelta(5)), (1, SUNDAY + timedelta(7))}
    tallies = week_tallies([stay], recorded, SUN_THU, {10: {HOLIDAY}}, SUNDAY + timedelta(14))
    counted = {week: (t.doctors, t.due, t.recorded) for (_, week), t in tallies.items()}
    assert counted == {
        SUNDAY: (1, 2, 1),  # Tue (the holiday), Wed, Thu: Wed and Thu due, Wed marked
        SUNDAY + timedelta(7): (1, 5, 1),
        SUNDAY + timedelta(14): (1, 1, 0),  # Sunday, today
    }


def test_all_present_fills_only_unmarked_days_of_its_column_or_row_up_to_today():
    cells = [(1, SUNDAY), (1, SUNDAY + timedelta(1)), (2, SUNDAY), (2, SUNDAY + timedelta(1))]
    marks = {(2, SUNDAY): "absent"}
    by_day = fill_unmarked(cells, marks, "present", SUNDAY + timedelta(1), day=SUNDAY)
    assert by_day == {(1, SUNDAY): "present", (2, SUNDAY): "absent"}
    by_doctor = fill_unmarked(cells, marks, "present", SUNDAY, placement_id=1)
    assert by_doctor == {(1, SUNDAY): "present", (2, SUNDAY): "absent"}  # Monday is to come


# --- through the app -------------------------------------------------------------------------


def test_the_grid_names_the_weekdays_and_offers_one_radio_group_per_cell(client, users, ward):
    department, placement = ward
    login_as(client, users["coordinator"])
    page = client.get(WEEK.format(department.id)).get_data(as_text=True)
    assert re.search(r"Su <span[^>]*>1 Mar 2026", page) and "Th <span" in page
    name = _cell(placement, SUNDAY)
    assert page.count(f'type="radio" class="btn-check" name="{name}"') == 4
    assert f'name="{name}" id="{name}-none" value="" autocomplete="off" checked' in page
    assert "<select" not in page
    users["coordinator"].language = Language.RU
    db.session.commit()
    russian = client.get(WEEK.format(department.id)).get_data(as_text=True)
    assert re.search(r"вс <span[^>]*>1 марта", russian) and "Все на месте" in russian


def test_all_present_for_a_day_keeps_an_absence_already_marked(client, users, ward):
    department, placement = ward
    other = _confirmed(department)
    login_as(client, users["coordinator"])
    response = client.submit(
        WEEK.format(department.id),
        {
            _cell(placement, SUNDAY): "",
            _cell(other, SUNDAY): "absent",
            "all_present": f"day:{SUNDAY.isoformat()}",
        },
        follow_redirects=True,
    )
    assert "Attendance saved (2 changes)" in response.get_data(as_text=True)
    assert _marks() == {
        (placement.id, SUNDAY): AttendanceStatus.PRESENT,
        (other.id, SUNDAY): AttendanceStatus.ABSENT,
    }


def test_all_present_for_a_doctor_marks_each_working_day_of_the_week(client, users, ward):
    department, placement = ward
    other = _confirmed(department)
    login_as(client, users["coordinator"])
    client.submit(
        WEEK.format(department.id),
        {
            _cell(placement, SUNDAY + timedelta(1)): "excused",
            "all_present": f"doctor:{placement.id}",
        },
    )
    working = [SUNDAY + timedelta(n) for n in (0, 3, 4)]
    expected = {(placement.id, day): AttendanceStatus.PRESENT for day in working}
    expected[(placement.id, SUNDAY + timedelta(1))] = AttendanceStatus.EXCUSED
    assert _marks() == expected  # not the holiday, and nothing for the other doctor
    assert other.id not in {pid for pid, _ in _marks()}


def test_a_malformed_all_present_is_refused_and_saves_nothing(client, users, ward):
    department, placement = ward
    login_as(client, users["coordinator"])
    response = client.submit(
        WEEK.format(department.id),
        {_cell(placement, SUNDAY): "present", "all_present": "everyone"},
        follow_redirects=True,
    )
    assert "was not understood" in response.get_data(as_text=True)
    assert _marks() == {}


def test_the_week_list_flags_the_weeks_still_to_record_until_they_are(client, users, ward):
    department, placement = ward
    login_as(client, users["coordinator"])
    page = client.get("/attendance").get_data(as_text=True)
    assert "1 week still to record." in page
    assert "4 days to record" in _week_row(page, department.id, SUNDAY)  # Purim is off
    client.submit(WEEK.format(department.id), {"all_present": f"doctor:{placement.id}"})
    page = client.get("/attendance").get_data(as_text=True)
    assert "Every week so far is recorded." in page
    # Recorded, the week leaves the first page (it shows the latest weeks and whatever is
    # still to record); the pages of earlier weeks list it as recorded.
    assert f"week-{department.id}-{SUNDAY.isoformat()}" not in page
    while f"week-{department.id}-{SUNDAY.isoformat()}" not in page:
        earlier = re.search(r'href="(/attendance\?until=[0-9-]+)"[^>]*>Earlier weeks', page)
        assert earlier, "no page of earlier weeks lists the recorded week"
        page = client.get(earlier.group(1)).get_data(as_text=True)
    row = _week_row(page, department.id, SUNDAY)
    assert "Recorded" in row and "to record" not in row


def test_the_week_list_pages_back_through_the_weeks_in_a_constant_number_of_statements(
    client, users, ward, count_queries
):
    department, placement = ward
    login_as(client, users["coordinator"])
    client.submit(WEEK.format(department.id), {"all_present": f"doctor:{placement.id}"})
    with count_queries() as first:
        client.get("/attendance")
    with count_queries() as week_page:
        page = client.get(f"/attendance?until={SUNDAY.isoformat()}").get_data(as_text=True)
    assert "Recorded" in _week_row(page, department.id, SUNDAY)
    assert "Later weeks" in page and len(first) == len(week_page)
    assert client.get("/attendance?until=not-a-day").status_code == 404


def test_another_hospitals_coordinator_cannot_mark_all_present(client, users, ward):
    department, placement = ward
    stranger = factories.make_user(
        factories.Role.COORDINATOR, hospital_id=factories.make_hospital().id
    )
    login_as(client, stranger)
    response = client.submit(
        WEEK.format(department.id),
        {"all_present": f"doctor:{placement.id}"},
        page="/attendance",
    )
    assert response.status_code == 404 and _marks() == {}


def test_the_grid_takes_its_hospital_from_the_signed_in_coordinator(
    client, users, ward, count_queries
):
    """The department is read by its id within the coordinator's hospital, by a statement
    built once; its hospital (days of the week, time zone) is the one that came with the
    signed-in user, not joined again; of the doctors, only their names are read. Another
    hospital's department is not found."""
    department, _placement = ward
    login_as(client, users["coordinator"])
    client.get(WEEK.format(department.id))
    with count_queries() as statements:
        assert client.get(WEEK.format(department.id)).status_code == 200
    assert sum("hospitals" in statement for statement in statements) == 1  # the user's
    grid = next(s for s in statements if s.startswith("SELECT placements.id"))
    assert "doctors_1.last_name" in grid and "passport" not in grid  # only their names
    elsewhere = factories.make_department(factories.make_hospital(), name="Elsewhere")
    assert client.get(WEEK.format(elsewhere.id)).status_code == 404
