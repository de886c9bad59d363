"""The director's home's "not ready to travel" counts (counted by the database) agree doctor by
doctor with the checklist (each cell judged by the rules in Python).

Each case is a cohort of one travelling doctor, so a count of 0 or 1 is that doctor's verdict.
Two hosts require documents: Rambam a passport valid through departure and an insurance
(which does not expire), Hadassah a passport (expiry not checked) and a visa valid through
departure; so a passport must be valid through departure, the strictest of the two.
"""

import itertools
from datetime import date, timedelta

from somet.demo.documents import tiny_pdf
from somet.documents.queries import (
    doctors_not_ready,
    not_ready_in_upcoming_cohorts,
)
from somet.models import DocumentStatus, EnrollmentStatus
from somet.web.extensions import db
from tests.factories import (
    make_cohort,
    make_doctor,
    make_document_requirement,
    make_enrollment,
    make_hospital,
    make_travel_document,
)

ACCEPTED, UPLOADED, REJECTED = (
    DocumentStatus.ACCEPTED,
    DocumentStatus.UPLOADED,
    DocumentStatus.REJECTED,
)
# A doctor's documents of one kind: (status, valid until as days after departure, or None).
PASSPORTS = [
    (),
    ((ACCEPTED, 30),),
    ((ACCEPTED, 0),),  # valid on the day of departure: enough
    ((ACCEPTED, -1),),  # expires the day before
    ((ACCEPTED, None),),
    ((UPLOADED, 30),),
    ((REJECTED, 30),),
    ((ACCEPTED, -5), (UPLOADED, 30)),
    ((ACCEPTED, -5), (ACCEPTED, 10)),
    ((REJECTED, 30), (ACCEPTED, 1)),
]
VISAS = [
    (),
    ((ACCEPTED, 1),),
    ((ACCEPTED, -1),),
    ((REJECTED, 5), (UPLOADED, 5)),
    ((REJECTED, 5), (ACCEPTED, 2)),
]
# An old insurance still counts: the insurance does not expire.
INSURANCES = [((ACCEPTED, -100),), ((ACCEPTED, None),), ((ACCEPTED, 5),), (), ((UPLOADED, None),)]


def _cases():
    combinations = list(itertools.product(PASSPORTS, VISAS))
    for index, (passport, visa) in enumerate(combinations):
        yield {"passport": passport, "visa": visa, "insurance": INSURANCES[index % 7 % 5]}


def _store(doctor, kind, documents, departure):
    for status, days in documents:
        make_travel_document(
            doctor,
            kind,
            content=tiny_pdf(f"{kind} {status} {days} of {doctor.id}"),
            status=status,
            valid_until=None if days is None else departure + timedelta(days=days),
        )


def test_counted_readiness_agrees_with_the_checklist_doctor_by_doctor(app):
    rambam, hadassah = make_hospital(name="Rambam"), make_hospital(name="Hadassah")
    make_document_requirement(rambam, "passport", expires=True)
    make_document_requirement(rambam, "insurance", expires=False)
    make_document_requirement(hadassah, "passport", expires=False)
    make_document_requirement(hadassah, "visa", expires=True)
    start = date.today() + timedelta(days=60)
    cohorts = []
    for index, documents in enumerate(_cases()):
        cohort = make_cohort(hosts=[rambam, hadassah], start_date=start + timedelta(days=index))
        doctor = make_doctor()
        # Every other doctor leaves three days after the cohort ends: their own departure.
        departure = cohort.end_date + timedelta(days=3 * (index % 2))
        make_enrollment(cohort, doctor, departure_date=departure if index % 2 else None)
        for kind, held in documents.items():
            _store(doctor, kind, held, departure)
        cohorts.append(cohort)
    # Not travelling: never counted, whatever their documents.
    make_enrollment(cohorts[0], make_doctor(), status=EnrollmentStatus.WITHDRAWN)
    db.session.commit()

    checklist = {cohort.id: len(doctors_not_ready(cohort)) for cohort in cohorts}
    upcoming = {row[0]: row[3] for row in not_ready_in_upcoming_cohorts(date.today())}
    assert upcoming == {c: n for c, n in checklist.items() if n}
    # Both verdicts occur, each for several reasons.
    assert 5 <= sum(checklist.values()) <= len(checklist) - 5


def test_a_cohort_whose_hosts_require_nothing_has_no_doctor_to_chase(app):
    cohort = make_cohort(hosts=[make_hospital()], start_date=date.today() + timedelta(days=20))
    make_enrollment(cohort, make_doctor())
    db.session.commit()
    assert not_ready_in_upcoming_cohorts(date.today()) == []
