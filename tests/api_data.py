"""Shared set-up of the API tests: tokens made through the token operation, and a small world
of two hospitals' cohorts, placements, masterclasses and certificates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from flask import current_app

from somet.api import operations as tokens
from somet.api.rules import SCOPES
from somet.models import (
    AttendanceStatus,
    Certificate,
    CertificateKind,
    CohortStatus,
    Hospital,
    PlacementStatus,
    Role,
)
from somet.web.extensions import db
from tests import factories
from tests.test_certificates_core import sample_snapshot


def make_token(scopes=SCOPES, hospital: Hospital | None = None, name: str = "Registry") -> str:
    """A new token's secret, created by an administrator through the operation."""
    admin = factories.make_user(Role.ADMIN)
    return tokens.create_token(admin, name, list(scopes), hospital).secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def make_certificate(doctor, enrollment, **overrides) -> Certificate:
    number = factories._next()
    relative = f"certificates/api-{number}.pdf"
    path = Path(current_app.config["SOMET_STORAGE_DIR"]) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 api")
    serial = f"SOMET-2027-{number:06d}"
    fields = dict(
        serial=serial,
        pdf_path=relative,
        kind=CertificateKind.INTERNSHIP,
        doctor_id=doctor.id,
        enrollment_id=enrollment.id,
        # a whole snapshot, as issuing makes: the Open Badge export reads all of it
        snapshot=sample_snapshot(doctor.latin_name, "") | {"serial": serial},
        hours=60.0,
        verification_code=f"{number:040d}",
        signature="s",
        issued_at=datetime(2027, 3, 20, tzinfo=UTC),
    )
    fields.update(overrides)
    return factories._save(Certificate(**fields))


def make_world(home: Hospital) -> dict:
    """A cohort hosted by ``home`` and one by another hospital, each with a doctor placed,
    a masterclass and a certificate; returns their ids by name."""
    world = {}
    for key, hospital in (("own", home), ("other", factories.make_hospital())):
        department = factories.make_department(hospital)
        cohort = factories.make_cohort(
            hosts=[hospital], status=CohortStatus.ACTIVE, start_date=date(2027, 3, 1)
        )
        doctor = factories.make_doctor()
        enrollment = factories.make_enrollment(cohort, doctor)
        placement = factories.make_placement(
            enrollment, department, status=PlacementStatus.CONFIRMED,
            start_date=date(2027, 3, 7), end_date=date(2027, 3, 9),
        )  # fmt: skip
        factories.make_attendance(placement, date(2027, 3, 7), AttendanceStatus.PRESENT)
        masterclass = factories.make_masterclass(cohort_id=cohort.id, hospital_id=hospital.id)
        certificate = make_certificate(doctor, enrollment)
        world[key] = {
            "hospital_id": hospital.id,
            "department_id": department.id,
            "cohort_id": cohort.id,
            "doctor_id": doctor.id,
            "enrollment_id": enrollment.id,
            "placement_id": placement.id,
            "masterclass_id": masterclass.id,
            "certificate_id": certificate.id,
        }
    db.session.commit()
    return world
