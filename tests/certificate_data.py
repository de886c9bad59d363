"""Cohorts whose doctors have finished (or not), and a fast stand-in renderer, for tests."""

from __future__ import annotations

from concurrent.futures import Future
from datetime import timedelta

from somet.models import AttendanceStatus, CohortStatus, EnrollmentStatus, PlacementStatus, Role
from tests.factories import (
    make_attendance,
    make_cohort,
    make_curriculum_item,
    make_department,
    make_enrollment,
    make_hospital,
    make_placement,
    make_user,
)

DAYS = 3


def finished_cohort(complete: int = 2, incomplete: int = 0, director=None):
    """A completed cohort: ``complete`` doctors present every day, ``incomplete`` on one day."""
    director = director or make_user(Role.DIRECTOR)
    hospital = make_hospital(name=f"Rambam {director.id}")
    department = make_department(hospital, name="Anaesthesiology")
    cohort = make_cohort(hosts=[hospital], status=CohortStatus.COMPLETED, director_id=director.id)
    item = make_curriculum_item(cohort, [department], name="Core rotation", days=DAYS)
    enrollments = []
    for index in range(complete + incomplete):
        enrollment = make_enrollment(cohort, status=EnrollmentStatus.COMPLETED)
        placement = make_placement(
            enrollment,
            department,
            item,
            status=PlacementStatus.COMPLETED,
            start_date=cohort.start_date,
            end_date=cohort.start_date + timedelta(days=DAYS - 1),
        )
        present = DAYS if index < complete else 1
        for day in range(DAYS):
            status = AttendanceStatus.PRESENT if day < present else AttendanceStatus.ABSENT
            make_attendance(placement, cohort.start_date + timedelta(days=day), status)
        enrollments.append(enrollment)
    return cohort, enrollments


class FakePool:
    """Renders instantly: a tiny PDF-like file naming the serial (for tests about the flow)."""

    def __init__(self):
        self.rendered: list[str] = []

    def submit(self, snapshot, _url):
        self.rendered.append(snapshot["serial"])
        future = Future()
        holder = snapshot["holder"]["latin_name"]
        future.set_result(f"%PDF-1.7 fake {snapshot['serial']} {holder}".encode())
        return future

    def result(self, future):
        return future.result()


def use_fake_renderer(monkeypatch) -> FakePool:
    pool = FakePool()
    monkeypatch.setattr("somet.certificates.files.render_pool", lambda workers=1: pool)
    return pool
