"""Write endpoints: a cohort's roster import and a placement's day of attendance, through the
pages' own operations (same checks, same transaction, same audit; the actor is the token's
integration)."""

from __future__ import annotations

from somet.api import queries, schemas
from somet.api.blueprint import blueprint, found_or_404
from somet.api.problems import from_row_decisions
from somet.api.rules import WRITE_ATTENDANCE, WRITE_ROSTERS
from somet.api.spec import COMMON_PROBLEMS, ApiOperation, Call, api_route
from somet.attendance import operations as attendance
from somet.cohorts import operations as cohorts
from somet.core.workdays import week_start


@api_route(blueprint, "/cohorts/<int:cohort_id>/roster", ApiOperation(
    "POST", "Import doctors into a cohort's roster", WRITE_ROSTERS, schemas.RosterResult,
    "Rosters", body=schemas.RosterImport, problems=(*COMMON_PROBLEMS, 409, 422),
    description=(
        "The rows are checked as the roster import page checks an uploaded file, and saved "
        "all or nothing: a known doctor (same licence or passport number) is matched, not "
        "duplicated. Rows that break a rule come back as a 422 problem whose `errors` name "
        "the row (1 = the first row sent) and the field."
    ),
))  # fmt: skip
def import_roster(call: Call, cohort_id: int):
    cohort = found_or_404(queries.cohort(call.actor, cohort_id))
    rows = [
        {**row.model_dump(), cohorts.ROSTER_ROW_LINE: number}
        for number, row in enumerate(call.body.rows, start=1)
    ]
    try:
        counts, added = cohorts.import_rows(
            call.actor, cohort, rows, source=f"API: {call.token.name}"
        )
    except cohorts.RosterRowsInvalid as invalid:
        raise from_row_decisions(invalid.decisions) from None
    return schemas.RosterResult(counts=counts, enrollment_ids=added)


@api_route(blueprint, "/placements/<int:placement_id>/attendance", ApiOperation(
    "POST", "Record a day's attendance of a placement", WRITE_ATTENDANCE,
    schemas.AttendanceResult, "Attendance", body=schemas.AttendanceMark,
    problems=(*COMMON_PROBLEMS, 409),
    description=(
        "As the host's attendance page: only a token limited to the placement's hospital "
        "records (as its coordinator would), for a working day of a confirmed placement, "
        "not in the future. `status: null` clears the day."
    ),
))  # fmt: skip
def record_attendance(call: Call, placement_id: int):
    placement = found_or_404(queries.placement(call.actor, placement_id))
    department = placement.department
    mark = call.body
    week = week_start(mark.day, department.hospital.weekday_numbers)
    changed = attendance.record_attendance(
        call.actor, department.id, week, {(placement.id, mark.day): mark.status}
    )
    return schemas.AttendanceResult(
        placement_id=placement.id, day=mark.day, status=mark.status, changed=changed > 0
    )
