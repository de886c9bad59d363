"""Who has which document: the cohort checklist grid, readiness to travel, a doctor's own list.

Read-only; every function runs a fixed number of queries whatever the number of doctors.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager, joinedload

from somet.core.errors import NotFound
from somet.documents import rules
from somet.documents.labels import kind_label, state_label
from somet.documents.trips import (  # noqa: F401 (offered here)
    KIND_ORDER,
    TripChecklist,
    doctor_checklists,
    first_needed_kind,
)
from somet.models import (
    Cohort,
    CohortHost,
    CohortStatus,
    Doctor,
    DocumentRequirement,
    DocumentStatus,
    Enrollment,
    EnrollmentStatus,
    Hospital,
    TravelDocument,
    constant,
    utcnow,
)
from somet.web.access import visible_to
from somet.web.extensions import db
from somet.web.i18n import name_of


@dataclass
class ChecklistRow:
    enrollment: Enrollment
    doctor: Doctor
    arrival: date
    departure: date
    cells: list[rules.Cell]
    reasons: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.reasons


@dataclass
class Checklist:
    cohort: Cohort
    requirements: list[rules.RequirementFacts]
    rows: list[ChecklistRow]
    # every document of the cohort's doctors by (doctor, kind): other views read them here
    documents: dict[tuple[int, str], list[rules.DocumentFacts]] = field(default_factory=dict)

    @property
    def ready_count(self) -> int:
        return sum(1 for row in self.rows if row.ready)


def requirements_of_hospitals(hospital_ids: set[int]) -> list[rules.RequirementFacts]:
    """The merged requirements of several hosts (one query)."""
    by_hospital = _requirements_by_hospital(hospital_ids)
    return rules.merge_requirements((r for reqs in by_hospital.values() for r in reqs), KIND_ORDER)


def documents_by_doctor(doctor_filter) -> dict[tuple[int, str], list[rules.DocumentFacts]]:
    """Every document of the doctors selected by ``doctor_filter``, by (doctor, kind)."""
    rows = db.session.execute(select(*_DOCUMENT).where(TravelDocument.doctor_id.in_(doctor_filter)))
    return _documents_by_doctor(rows)


def _documents_by_doctor(rows) -> dict[tuple[int, str], list[rules.DocumentFacts]]:
    found: dict[tuple[int, str], list[rules.DocumentFacts]] = defaultdict(list)
    for row in rows:
        facts = rules.DocumentFacts(
            row.id, row.kind.value, row.status.value, row.valid_until, row.rejection_reason
        )
        found[(row.doctor_id, facts.kind)].append(facts)
    return found


_DOCUMENT = (
    TravelDocument.id,
    TravelDocument.doctor_id,
    TravelDocument.kind,
    TravelDocument.status,
    TravelDocument.valid_until,
    TravelDocument.rejection_reason,
)


@functools.cache
def _statements() -> dict:
    """A cohort checklist's statements, built once (parameter ``cohort_id``): the cohort with
    its hosts, its doctors not withdrawn by name, and every document of its doctors."""
    cohort_id = bindparam("cohort_id")
    return {
        "cohort": select(Cohort).where(Cohort.id == cohort_id).options(HOSTS_LOADED),
        "roster": select(Enrollment)
        .join(Doctor, Doctor.id == Enrollment.doctor_id)
        .options(contains_eager(Enrollment.doctor))
        .where(Enrollment.cohort_id == cohort_id, Enrollment.status != EnrollmentStatus.WITHDRAWN)
        .order_by(Doctor.last_name, Doctor.first_name, Enrollment.id),
        "documents": select(*_DOCUMENT).where(
            TravelDocument.doctor_id.in_(
                select(Enrollment.doctor_id).where(Enrollment.cohort_id == cohort_id)
            )
        ),
    }


# What a checklist reads of its cohort: the hosts and their hospitals, on the cohort's rows (a
# cohort has a host or two: a statement less than reading them apart). Results: ``unique()``.
HOSTS_LOADED = joinedload(Cohort.hosts).joinedload(CohortHost.hospital)


def load_cohort(cohort_id: int) -> Cohort:
    cohort = db.session.scalars(_statements()["cohort"], {"cohort_id": cohort_id}).unique().first()
    if cohort is None:
        raise NotFound(_("No such cohort."))
    return cohort


def cohort_checklist(cohort_id: int, today: date, *, cohort: Cohort | None = None) -> Checklist:
    """Doctors × requirements of the cohort's hosts, with each doctor's readiness. ``cohort``:
    the caller loaded it already, hosts and their hospitals included (``load_cohort``'s)."""
    cohort = cohort if cohort is not None else load_cohort(cohort_id)
    requirements = requirements_of_hospitals({host.hospital_id for host in cohort.hosts})
    statements, at = _statements(), {"cohort_id": cohort.id}
    enrollments = db.session.scalars(statements["roster"], at).all()
    documents = _documents_by_doctor(db.session.execute(statements["documents"], at))
    rows = [_row(cohort, e, requirements, documents, today) for e in enrollments]
    return Checklist(cohort, requirements, rows, documents)


def _row(cohort, enrollment, requirements, documents, today) -> ChecklistRow:
    arrival = enrollment.arrival_date or cohort.start_date
    departure = enrollment.departure_date or cohort.end_date
    cells = [
        rules.checklist_cell(
            req, documents.get((enrollment.doctor_id, req.kind), ()), arrival, departure, today
        )
        for req in requirements
    ]
    reasons = [_reason(cell, departure) for cell in cells if not cell.ready]
    return ChecklistRow(enrollment, enrollment.doctor, arrival, departure, cells, reasons)


def _reason(cell: rules.Cell, departure: date) -> str:
    """Why a cell keeps the doctor from travelling, naming its state as every page does."""
    kind, state = kind_label(cell.kind), state_label(cell.state)
    if cell.state == rules.REJECTED:
        return _("%(kind)s: %(state)s (%(reason)s)", kind=kind, state=state, reason=cell.note or "")
    if cell.state == rules.EXPIRED:
        return _(
            "%(kind)s: %(state)s (valid until %(date)s, departure %(departure)s)",
            kind=kind,
            state=state,
            date=cell.note,
            departure=departure.isoformat(),
        )
    return _("%(kind)s: %(state)s", kind=kind, state=state)


def readiness_for_travel(cohort: Cohort, today: date | None = None) -> dict[int, list[str]]:
    """For each enrollment id of ``cohort``, why the doctor may not travel (empty: ready).

    Ready = every document the cohort's hosts require is accepted and valid through departure.
    """
    checklist = cohort_checklist(cohort.id, today or utcnow().date())
    return {row.enrollment.id: row.reasons for row in checklist.rows}


def doctors_not_ready(cohort: Cohort, today: date | None = None) -> list[tuple[str, list[str]]]:
    """(name, reasons) of the cohort's doctors not yet ready to travel, for warnings; names in
    the page's name order."""
    checklist = cohort_checklist(cohort.id, today or utcnow().date())
    return [(name_of(row.doctor), row.reasons) for row in checklist.rows if not row.ready]


def filter_rows(
    rows: list[ChecklistRow],
    *,
    state: str | None = None,
    kind: str | None = None,
    ready: str | None = None,
    text: str | None = None,
) -> list[ChecklistRow]:
    """Rows with a cell in ``state`` (of ``kind`` if given), readiness yes/no, a name match."""
    text = (text or "").strip().casefold()

    def keep(row: ChecklistRow) -> bool:
        cells = [c for c in row.cells if not kind or c.kind == kind]
        if state and not any(c.state == state for c in cells):
            return False
        if ready in ("yes", "no") and row.ready != (ready == "yes"):
            return False
        names = f"{row.doctor.latin_name} {row.doctor.native_name or ''}".casefold()
        return not text or text in names

    return [row for row in rows if keep(row)]


def _requirements_by_hospital(hospital_ids: set[int]) -> dict[int, list[rules.RequirementFacts]]:
    found: dict[int, list[rules.RequirementFacts]] = defaultdict(list)
    if not hospital_ids:
        return found
    rows = db.session.execute(
        select(DocumentRequirement, Hospital.name)
        .join(Hospital, Hospital.id == DocumentRequirement.hospital_id)
        .where(DocumentRequirement.hospital_id.in_(hospital_ids))
    ).all()
    for requirement, name in rows:
        found[requirement.hospital_id].append(_facts(requirement, name))
    return found


def _facts(requirement: DocumentRequirement, hospital_name: str) -> rules.RequirementFacts:
    """A host's requirement as the checklist rules read it, named by its hospital."""
    return rules.RequirementFacts(
        requirement.kind.value,
        requirement.expires,
        requirement.due_days_before_arrival,
        (hospital_name,),
        requirement.id,
    )


# The director's review queue: uploads waiting for a decision, oldest first, across cohorts.


def _awaiting_review(query, cohort_id: int | None):
    query = query.where(TravelDocument.status == constant(DocumentStatus.UPLOADED))
    if cohort_id is not None:
        query = query.where(
            TravelDocument.doctor_id.in_(
                select(Enrollment.doctor_id).where(
                    Enrollment.cohort_id == cohort_id,
                    Enrollment.status != EnrollmentStatus.WITHDRAWN,
                )
            )
        )
    return query


def documents_awaiting_review_count(cohort_id: int | None = None) -> int:
    """How many uploads wait for a director's review (of one cohort's doctors if given).

    One statement on the (status, uploaded_at) index: cheap enough for every page's menu badge.
    """
    count = select(func.count(TravelDocument.id))
    return db.session.scalar(_awaiting_review(count, cohort_id)) or 0


def to_review_count():
    """How many uploads await review, as a scalar subquery (for a badge statement)."""
    return _awaiting_review(select(func.count(TravelDocument.id)), None).scalar_subquery()


def review_queue_query(cohort_id: int | None = None):
    """Uploads awaiting review, oldest first, each with its doctor (for ``db.paginate``)."""
    query = select(TravelDocument).options(joinedload(TravelDocument.doctor))
    return _awaiting_review(query, cohort_id).order_by(
        TravelDocument.uploaded_at, TravelDocument.id
    )


def next_awaiting_review(after: TravelDocument) -> int | None:
    """The id of the oldest other upload awaiting review: where a reviewer goes next."""
    oldest = select(TravelDocument.id).where(TravelDocument.id != after.id)
    oldest = _awaiting_review(oldest, None).order_by(TravelDocument.uploaded_at, TravelDocument.id)
    return db.session.scalar(oldest.limit(1))


def current_cohorts_of(doctor_ids: set[int]) -> dict[int, list[Cohort]]:
    """The current and upcoming cohorts of each doctor, by start date (one query)."""
    found: dict[int, list[Cohort]] = defaultdict(list)
    if not doctor_ids:
        return found
    rows = db.session.execute(
        select(Enrollment.doctor_id, Cohort)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(
            Enrollment.doctor_id.in_(doctor_ids),
            Enrollment.status != EnrollmentStatus.WITHDRAWN,
            Cohort.status.not_in(CohortStatus.FINISHED),
        )
        .order_by(Cohort.start_date, Cohort.id)
    )
    for doctor_id, cohort in rows:
        found[doctor_id].append(cohort)
    return found


def cohorts_to_filter_by() -> list[Cohort]:
    """Current and upcoming cohorts, for the queue's cohort filter."""
    return db.session.scalars(
        select(Cohort)
        .where(Cohort.status.not_in(CohortStatus.FINISHED))
        .order_by(Cohort.start_date)
    ).all()


def visitors_documents(user) -> list:
    """The documents ``user`` (a host's coordinator) may see, by doctor then kind: rows of
    what the list shows (id, kind, valid until, status, the doctor's name parts), not a
    document and a doctor object per row."""
    return db.session.execute(
        visible_to(user, TravelDocument, _VISITORS_DOCUMENTS).order_by(
            Doctor.last_name, Doctor.first_name, TravelDocument.kind, TravelDocument.id
        )
    ).all()


_VISITORS_DOCUMENTS = select(
    TravelDocument.id,
    TravelDocument.kind,
    TravelDocument.valid_until,
    TravelDocument.status,
    Doctor.first_name,
    Doctor.last_name,
    Doctor.native_name,
).join(Doctor, Doctor.id == TravelDocument.doctor_id)


# The work queues of the home pages (kept in their own module, offered here).
from somet.documents.queues import (  # noqa: E402, F401
    DocumentToProvide,
    DocumentToReview,
    documents_from_rows,
    documents_to_provide,
    documents_to_review,
    not_ready_in_upcoming_cohorts,
    trip_documents_beside,
)
