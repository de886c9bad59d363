"""Work queues of the home pages: uploads to review, doctors not ready, what a doctor must send.

Offered to other features through ``somet.documents.queries``. Each function runs a fixed
number of statements whatever the number of doctors.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, bindparam, func, select, true

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


def not_ready_counts(cohort_ids: list[int], today: date) -> dict[int, int]:
    """For each cohort, how many of its travelling doctors are not ready. Three statements."""
    if not cohort_ids:
        return {}
    enrollments = db.session.execute(
        select(
            Enrollment.cohort_id,
            Enrollment.doctor_id,
            func.coalesce(Enrollment.arrival_date, Cohort.start_date),
            func.coalesce(Enrollment.departure_date, Cohort.end_date),
        )
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(
            Enrollment.cohort_id.in_(cohort_ids),
            Enrollment.status.in_(EnrollmentStatus.TRAVELLING),
        )
    ).all()
    requirements: dict[int, list[rules.RequirementFacts]] = defaultdict(list)
    for cohort_id, requirement in db.session.execute(
        select(CohortHost.cohort_id, DocumentRequirement)
        .join(DocumentRequirement, DocumentRequirement.hospital_id == CohortHost.hospital_id)
        .where(CohortHost.cohort_id.in_(cohort_ids))
    ):
        requirements[cohort_id].append(_requirement_facts(requirement))
    merged = {c: rules.merge_requirements(reqs) for c, reqs in requirements.items()}
    from somet.documents.queries import documents_by_doctor  # the module offering this one

    documents = documents_by_doctor(
        select(Enrollment.doctor_id).where(Enrollment.cohort_id.in_(cohort_ids))
    )
    counts: dict[int, int] = defaultdict(int)
    for cohort_id, doctor_id, arrival, departure in enrollments:
        ready = all(
            rules.checklist_cell(
                r, documents.get((doctor_id, r.kind), ()), arrival, departure, today
            ).ready
            for r in merged.get(cohort_id, ())
        )
        counts[cohort_id] += not ready
    return dict(counts)


def not_ready_in_upcoming_cohorts(today: date) -> list[tuple[int, str, date, int]]:
    """Cohorts not over that start ``today`` or later, soonest first, each with how many of its
    travelling doctors are not ready: (cohort id, name, start date, count), only counts > 0.

    One statement: each travelling doctor × the hosts' requirements × the doctor's documents
    of that kind; the rules judge each cell (a doctor without a requirement has none to fail).
    """
    rows = db.session.execute(_upcoming_readiness_statement(), {"today": today})
    cohorts: dict[int, tuple[str, date]] = {}
    trips: dict[tuple[int, int], tuple[date, date]] = {}
    requirements: dict[int, dict[int, rules.RequirementFacts]] = defaultdict(dict)
    documents: dict[tuple[int, str], dict[int, rules.DocumentFacts]] = defaultdict(dict)
    # unpacked, not read by name: a row per doctor × requirement, thousands at a large centre
    for (
        cohort_id, name, start, doctor_id, arrival, departure,
        requirement_id, kind, expires, due_days, document_id, status, valid_until, reason,
    ) in rows:  # fmt: skip
        if cohort_id not in cohorts:
            cohorts[cohort_id] = (name, start)
        trips[(cohort_id, doctor_id)] = (arrival, departure)
        of_cohort = requirements[cohort_id]
        if requirement_id not in of_cohort:
            of_cohort[requirement_id] = rules.RequirementFacts(kind.value, expires, due_days)
        if document_id is not None:
            documents[(doctor_id, kind.value)][document_id] = rules.DocumentFacts(
                document_id, kind.value, status.value, valid_until, reason
            )
    merged = {c: rules.merge_requirements(reqs.values()) for c, reqs in requirements.items()}
    counts: dict[int, int] = defaultdict(int)
    for (cohort_id, doctor_id), (arrival, departure) in trips.items():
        ready = all(
            rules.checklist_cell(
                r, documents.get((doctor_id, r.kind), {}).values(), arrival, departure, today
            ).ready
            for r in merged.get(cohort_id, ())
        )
        counts[cohort_id] += not ready
    return [(c, name, start, counts[c]) for c, (name, start) in cohorts.items() if counts[c]]


@functools.cache
def _upcoming_readiness_statement():
    """Built once: its text stays the same, so PostgreSQL keeps it prepared."""
    return (
        select(
            Cohort.id.label("cohort_id"),
            Cohort.name.label("cohort_name"),
            Cohort.start_date,
            Enrollment.doctor_id,
            func.coalesce(Enrollment.arrival_date, Cohort.start_date).label("arrival"),
            func.coalesce(Enrollment.departure_date, Cohort.end_date).label("departure"),
            DocumentRequirement.id.label("requirement_id"),
            DocumentRequirement.kind,
            DocumentRequirement.expires,
            DocumentRequirement.due_days_before_arrival.label("due_days"),
            TravelDocument.id.label("document_id"),
            TravelDocument.status,
            TravelDocument.valid_until,
            TravelDocument.rejection_reason,
        )
        .select_from(Cohort)
        .join(
            Enrollment,
            and_(
                Enrollment.cohort_id == Cohort.id,
                Enrollment.status.in_(EnrollmentStatus.TRAVELLING),
            ),
        )
        # Inner joins: a doctor whose hosts require no document is ready, so is not read (the
        # rows were every travelling doctor of every coming cohort, thousands at a large centre).
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
            Cohort.start_date >= bindparam("today"),
            Cohort.status.not_in(CohortStatus.FINISHED),
        )
        .order_by(Cohort.start_date, Cohort.name, Cohort.id)
    )


def _requirement_facts(requirement: DocumentRequirement) -> rules.RequirementFacts:
    return rules.RequirementFacts(
        requirement.kind.value, requirement.expires, requirement.due_days_before_arrival
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
