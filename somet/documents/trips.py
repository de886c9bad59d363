"""A doctor's checklists: what each of their current and upcoming trips requires, and its
state (the doctor's documents page; a director filing a document for them).

One statement of named columns, built once with bound parameters: the doctor's trips not yet
over beside each of their hosts' requirements.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import bindparam, func, select

from somet.documents import rules
from somet.models import (
    Cohort,
    CohortHost,
    DocumentKind,
    DocumentRequirement,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    TravelDocument,
    constant,
)
from somet.web.extensions import db

KIND_ORDER = tuple(kind.value for kind in DocumentKind)  # columns in the order of the enum

# What the doctor must act on: none uploaded, rejected, or valid only until before departure.
DOCTOR_ACTIONS = (rules.MISSING, rules.REJECTED, rules.EXPIRED)


class TripCohort(NamedTuple):
    id: int
    name: str


@dataclass
class TripChecklist:
    cohort: TripCohort
    arrival: date
    departure: date
    cells: list[rules.Cell]


def doctor_checklists(
    doctor_id: int, today: date, uploads: list[TravelDocument] | None = None
) -> list[TripChecklist]:
    """What each of a doctor's current and upcoming trips requires, and its state. One
    statement (two without ``uploads``, the doctor's documents a page already holds)."""
    rows = db.session.execute(_trips(), {"doctor_id": doctor_id, "today": today})
    return _checklists(rows, doctor_id, today, uploads)


def first_needed_kind(trips: list[TripChecklist]) -> str | None:
    """The kind of the first row still needing an upload: what an upload form proposes."""
    for trip in trips:
        for cell in trip.cells:
            if cell.needs_upload:
                return cell.kind
    return None


def _checklists(rows, doctor_id, today, uploads) -> list[TripChecklist]:
    trips: dict[int, tuple] = {}
    by_trip: dict[int, list[rules.RequirementFacts]] = defaultdict(list)
    for row in rows:
        trips.setdefault(row.enrollment_id, row)
        if row.kind is not None:
            by_trip[row.enrollment_id].append(
                rules.RequirementFacts(
                    row.kind.value, row.expires, row.due_days, (row.hospital,), row.requirement_id
                )
            )
    if not trips:
        return []
    if uploads is None:
        from somet.documents.queries import documents_by_doctor  # the module offering this one

        documents = documents_by_doctor([doctor_id])
    else:
        documents = defaultdict(list)
        for upload in uploads:
            facts = rules.DocumentFacts(
                upload.id,
                upload.kind.value,
                upload.status.value,
                upload.valid_until,
                upload.rejection_reason,
            )
            documents[(upload.doctor_id, facts.kind)].append(facts)
    return [_trip(row, by_trip, documents, doctor_id, today) for row in trips.values()]


def _trip(row, by_trip, documents, doctor_id, today) -> TripChecklist:
    requirements = rules.merge_requirements(by_trip.get(row.enrollment_id, ()), KIND_ORDER)
    cells = [
        rules.checklist_cell(
            r, documents.get((doctor_id, r.kind), ()), row.arrival, row.departure, today
        )
        for r in requirements
    ]
    return TripChecklist(TripCohort(row.cohort_id, row.name), row.arrival, row.departure, cells)


def _trip_rows():
    """The doctor's trips not yet over (parameters ``doctor_id``, ``today``), each beside each
    of its hosts' requirements (a host asking for none: one row without)."""
    return (
        select(
            Enrollment.cohort_id,
            Cohort.name,
            Enrollment.id.label("enrollment_id"),
            func.coalesce(Enrollment.arrival_date, Cohort.start_date).label("arrival"),
            func.coalesce(Enrollment.departure_date, Cohort.end_date).label("departure"),
            DocumentRequirement.kind,
            DocumentRequirement.expires,
            DocumentRequirement.due_days_before_arrival.label("due_days"),
            DocumentRequirement.id.label("requirement_id"),
            Hospital.name.label("hospital"),
            Cohort.start_date,
            CohortHost.id.label("host_id"),
        )
        .select_from(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .outerjoin(CohortHost, CohortHost.cohort_id == Cohort.id)
        .outerjoin(DocumentRequirement, DocumentRequirement.hospital_id == CohortHost.hospital_id)
        .outerjoin(Hospital, Hospital.id == DocumentRequirement.hospital_id)
        .where(
            Enrollment.doctor_id == bindparam("doctor_id"),
            Enrollment.status.in_(constant(EnrollmentStatus.TRAVELLING)),
            Cohort.end_date >= bindparam("today"),
        )
    )


@functools.cache
def _trips():
    """Built once (parameters ``doctor_id``, ``today``)."""
    c = _trip_rows().selected_columns
    return _trip_rows().order_by(c.start_date, c.enrollment_id, c.host_id, c.requirement_id)
