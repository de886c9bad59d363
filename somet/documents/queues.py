"""Work queues of the home pages: uploads to review, doctors not ready, what a doctor must send.

Offered to other features through ``somet.documents.queries``. Each function runs a fixed
number of statements whatever the number of doctors.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, func, or_, select, true

from somet.core.localisation import PersonName
from somet.documents import rules
from somet.documents.labels import kind_label
from somet.documents.trips import DOCTOR_ACTIONS
from somet.models import (
    Cohort,
    CohortHost,
    CohortStatus,
    Doctor,
    DocumentRequirement,
    DocumentStatus,
    Enrollment,
    EnrollmentStatus,
    TravelDocument,
    constant,
)
from somet.web.extensions import db


@dataclass(frozen=True)
class DocumentToReview:
    id: int
    kind: str
    doctor_name: PersonName  # worded in the reader's order by the person_name filter
    uploaded_at: datetime

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


def documents_to_review(limit: int = 5) -> tuple[int, list[DocumentToReview]]:
    """How many uploads await review, and the oldest ``limit`` of them. One statement."""
    rows = db.session.execute(_to_review_statement(), {"limit": limit}).all()
    items = [
        DocumentToReview(row.id, row.kind.value, PersonName(*row[2:5]), row.uploaded_at)
        for row in rows
    ]
    return (rows[0][-1] if rows else 0), items


@functools.cache
def _to_review_statement():
    """Built once (parameter ``limit``): it runs on every visit to a director's home."""
    return (
        select(
            TravelDocument.id,
            TravelDocument.kind,
            Doctor.first_name,
            Doctor.last_name,
            Doctor.native_name,
            TravelDocument.uploaded_at,
            func.count().over(),
        )
        .join(Doctor, Doctor.id == TravelDocument.doctor_id)
        .where(TravelDocument.status == constant(DocumentStatus.UPLOADED))
        .order_by(TravelDocument.uploaded_at, TravelDocument.id)
        .limit(bindparam("limit"))
    )


def not_ready_in_upcoming_cohorts(today: date) -> list[tuple[int, str, date, int]]:
    """Cohorts not over that start ``today`` or later, soonest first, each with how many of its
    travelling doctors are not ready: (cohort id, name, start date, count), only counts > 0.
    One statement, counted by the database (a large centre has thousands of such doctors)."""
    rows = db.session.execute(_upcoming_not_ready_statement(), {"today": today})
    return [tuple(row) for row in rows]


def _lacks_a_document():
    """Whether the enrollment's doctor is not ready to travel: some host of the cohort requires
    a kind of document of which the doctor has none accepted and valid through departure.

    ``rules.checklist_cell(...).ready`` written as SQL so that the database counts it (the
    checklist judges the same cells in Python; tests/test_readiness_counts.py holds the two
    equal). Each host's requirement is checked on its own: together they are the merged
    requirement, whose expiry is the strictest of them."""
    departure = func.coalesce(Enrollment.departure_date, Cohort.end_date)
    accepted_and_valid = (
        select(TravelDocument.id)
        .where(
            TravelDocument.doctor_id == Enrollment.doctor_id,
            TravelDocument.kind == DocumentRequirement.kind,
            TravelDocument.status == constant(DocumentStatus.ACCEPTED),
            or_(
                DocumentRequirement.expires.is_(False),
                TravelDocument.valid_until.is_(None),
                TravelDocument.valid_until >= departure,
            ),
        )
        # two levels down: the enrollment and its cohort, beside the requirement
        .correlate_except(TravelDocument)
        .exists()
    )
    return (
        select(DocumentRequirement.id)
        .join(CohortHost, CohortHost.hospital_id == DocumentRequirement.hospital_id)
        .where(CohortHost.cohort_id == Cohort.id, ~accepted_and_valid)
        .exists()
    )


@functools.cache
def _upcoming_not_ready_statement():
    """Built once (parameter ``today``): it runs on every visit to a director's home."""
    counted = (
        select(Cohort.id, func.count())
        .join(
            Enrollment,
            and_(
                Enrollment.cohort_id == Cohort.id,
                Enrollment.status.in_(EnrollmentStatus.TRAVELLING),
            ),
        )
        .where(
            Cohort.start_date >= bindparam("today"),
            Cohort.status.not_in(CohortStatus.FINISHED),
            _lacks_a_document(),
        )
        .group_by(Cohort.id)
        .subquery("not_ready")
    )
    return (
        select(Cohort.id, Cohort.name, Cohort.start_date, counted.c.count)
        .join(counted, counted.c.id == Cohort.id)
        .order_by(Cohort.start_date, Cohort.name, Cohort.id)
    )


@dataclass(frozen=True)
class DocumentToProvide:
    requirement_id: int  # the anchor of the checklist row: #requirement-<id>
    kind: str
    state: str  # one of DOCTOR_ACTIONS
    due_on: date
    overdue: bool
    cohort_name: str

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@functools.cache
def _trip_documents():
    """The doctor's upcoming trips × their hosts' requirements × the doctor's documents."""
    trips = _trip_document_rows()
    return trips.order_by(trips.selected_columns.trip_start, Enrollment.id)


def trip_documents_beside(*columns, doctor_id=None):
    """One statement: a single row of ``columns`` (the doctor's other badge counts) joined to
    each row of the doctor's trip documents (parameter ``today``; ``doctor_id`` an expression,
    by default the parameter of that name), so the counts arrive even when there is no trip;
    ``documents_from_rows`` reads the rest."""
    trips = _trip_document_rows(doctor_id).subquery("trips")
    counts = select(*columns).subquery("counts")
    return (
        select(counts, trips)
        .select_from(counts)
        .outerjoin(trips, true())
        .order_by(trips.c.trip_start, trips.c.enrollment_id)
    )


def _trip_document_rows(doctor_id=None):
    return (
        select(
            Enrollment.id.label("enrollment_id"),
            Cohort.start_date.label("trip_start"),
            Cohort.name.label("cohort_name"),
            func.coalesce(Enrollment.arrival_date, Cohort.start_date).label("arrival"),
            func.coalesce(Enrollment.departure_date, Cohort.end_date).label("departure"),
            DocumentRequirement.id.label("requirement_id"),
            DocumentRequirement.kind.label("kind"),
            DocumentRequirement.expires,
            DocumentRequirement.due_days_before_arrival.label("due_days"),
            TravelDocument.id.label("document_id"),
            TravelDocument.status.label("status"),
            TravelDocument.valid_until,
        )
        .select_from(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(CohortHost, CohortHost.cohort_id == Cohort.id)
        .join(DocumentRequirement, DocumentRequirement.hospital_id == CohortHost.hospital_id)
        .outerjoin(
            TravelDocument,
            and_(
                TravelDocument.doctor_id == Enrollment.doctor_id,
                TravelDocument.kind == DocumentRequirement.kind,
            ),
        )
        .where(
            Enrollment.doctor_id == (bindparam("doctor_id") if doctor_id is None else doctor_id),
            Enrollment.status.in_(EnrollmentStatus.TRAVELLING),
            Cohort.end_date >= bindparam("today"),
        )
    )


def documents_to_provide(doctor_id: int, today: date) -> list[DocumentToProvide]:
    """The doctor's documents missing, rejected or expiring before departure. One statement."""
    rows = db.session.execute(_trip_documents(), {"doctor_id": doctor_id, "today": today})
    return documents_from_rows(rows.mappings(), today)


def documents_from_rows(rows, today: date) -> list[DocumentToProvide]:
    """What the doctor must send, from the rows of ``_trip_documents`` (or of
    ``trip_documents_beside``: a row without a trip is skipped)."""
    trips: dict[int, dict] = {}
    for row in rows:
        if row["enrollment_id"] is None:
            continue
        trip = trips.setdefault(row["enrollment_id"], {"row": row, "reqs": {}, "docs": {}})
        kind = row["kind"].value
        facts, requirement_ids = trip["reqs"].setdefault(kind, ([], set()))
        facts.append(rules.RequirementFacts(kind, row["expires"], row["due_days"]))
        requirement_ids.add(row["requirement_id"])  # one kind, several hosts: the lowest id
        if row["document_id"] is not None:
            trip["docs"].setdefault(kind, {})[row["document_id"]] = rules.DocumentFacts(
                row["document_id"], kind, row["status"].value, row["valid_until"]
            )
    items = [item for trip in trips.values() for item in _to_provide(trip, today)]
    return sorted(items, key=lambda item: (item.due_on, item.kind))


def _to_provide(trip: dict, today: date) -> list[DocumentToProvide]:
    from somet.documents.queries import KIND_ORDER  # the module offering this one

    row, found = trip["row"], []
    for requirement in rules.merge_requirements(
        (r for reqs, _ids in trip["reqs"].values() for r in reqs), KIND_ORDER
    ):
        documents = trip["docs"].get(requirement.kind, {}).values()
        cell = rules.checklist_cell(requirement, documents, row["arrival"], row["departure"], today)
        if cell.state in DOCTOR_ACTIONS:
            requirement_id = min(trip["reqs"][requirement.kind][1])
            found.append(
                DocumentToProvide(
                    requirement_id,
                    cell.kind,
                    cell.state,
                    cell.due_on,
                    cell.overdue,
                    row["cohort_name"],
                )
            )
    return found
