"""Read endpoints: a page or one of cohorts, doctors, placements, masterclasses, certificates."""

from __future__ import annotations

from flask import current_app, url_for

from somet.api import queries, schemas
from somet.api.blueprint import blueprint, found_or_404, next_link
from somet.api.rules import (
    READ_CERTIFICATES,
    READ_COHORTS,
    READ_DOCTORS,
    READ_MASTERCLASSES,
    READ_PLACEMENTS,
)
from somet.api.spec import ApiOperation, Call, api_route
from somet.models import Certificate, Cohort, Doctor, Masterclass, Placement


def _page(call: Call, query, endpoint: str, page_model, represent):
    page = queries.page_of(query, represent.model, call.query.limit, call.query.cursor)
    return page_model(
        items=[represent(item) for item in page.items],
        next=next_link(endpoint, page.next_cursor, call.query),
    )


def _represents(model):
    def decorator(function):
        function.model = model
        return function

    return decorator


# --- cohorts --------------------------------------------------------------------------------


@_represents(Cohort)
def cohort_out(cohort: Cohort) -> schemas.Cohort:
    return schemas.Cohort(
        id=cohort.id, name=cohort.name, status=cohort.status,
        origin_country=cohort.origin_country, origin_region=cohort.origin_region,
        sponsor=cohort.sponsor, start_date=cohort.start_date, end_date=cohort.end_date,
        hours_per_day=cohort.hours_per_day,
        host_hospital_ids=sorted(host.hospital_id for host in cohort.hosts),
    )  # fmt: skip


@api_route(blueprint, "/cohorts", ApiOperation(
    "GET", "List cohorts", READ_COHORTS, schemas.CohortPage, "Cohorts",
    query=schemas.CohortQuery,
))  # fmt: skip
def list_cohorts(call: Call):
    query = queries.cohorts(call.actor, call.query)
    return _page(call, query, "api.list_cohorts", schemas.CohortPage, cohort_out)


@api_route(blueprint, "/cohorts/<int:cohort_id>", ApiOperation(
    "GET", "Read a cohort", READ_COHORTS, schemas.Cohort, "Cohorts",
))  # fmt: skip
def get_cohort(call: Call, cohort_id: int):
    return cohort_out(found_or_404(queries.cohort(call.actor, cohort_id)))


# --- doctors --------------------------------------------------------------------------------


@_represents(Doctor)
def doctor_out(doctor: Doctor) -> schemas.Doctor:
    return schemas.Doctor(
        id=doctor.id, first_name=doctor.first_name, last_name=doctor.last_name,
        native_name=doctor.native_name, specialty=doctor.specialty,
        home_institution=doctor.home_institution, country=doctor.country,
        region=doctor.region, licence_number=doctor.licence_number,
    )  # fmt: skip


@api_route(blueprint, "/doctors", ApiOperation(
    "GET", "List doctors", READ_DOCTORS, schemas.DoctorPage, "Doctors",
    query=schemas.DoctorQuery,
))  # fmt: skip
def list_doctors(call: Call):
    query = queries.doctors(call.actor, call.query)
    return _page(call, query, "api.list_doctors", schemas.DoctorPage, doctor_out)


@api_route(blueprint, "/doctors/<int:doctor_id>", ApiOperation(
    "GET", "Read a doctor", READ_DOCTORS, schemas.Doctor, "Doctors",
))  # fmt: skip
def get_doctor(call: Call, doctor_id: int):
    return doctor_out(found_or_404(queries.doctor(call.actor, doctor_id)))


# --- placements -----------------------------------------------------------------------------


@_represents(Placement)
def placement_out(placement: Placement, *, attendance: bool = False) -> schemas.Placement:
    days = None
    if attendance:
        days = [schemas.AttendanceDay(day=a.day, status=a.status) for a in placement.attendance]
    return schemas.Placement(
        id=placement.id, cohort_id=placement.enrollment.cohort_id,
        enrollment_id=placement.enrollment_id, doctor_id=placement.enrollment.doctor_id,
        department_id=placement.department_id, hospital_id=placement.department.hospital_id,
        rotation=placement.curriculum_item.name, start_date=placement.start_date,
        end_date=placement.end_date, status=placement.status, attendance=days,
    )  # fmt: skip


@api_route(blueprint, "/placements", ApiOperation(
    "GET", "List placements", READ_PLACEMENTS, schemas.PlacementPage, "Placements",
    query=schemas.PlacementQuery,
))  # fmt: skip
def list_placements(call: Call):
    query = queries.placements(call.actor, call.query)
    return _page(call, query, "api.list_placements", schemas.PlacementPage, placement_out)


@api_route(blueprint, "/placements/<int:placement_id>", ApiOperation(
    "GET", "Read a placement with its attendance", READ_PLACEMENTS, schemas.Placement,
    "Placements",
))  # fmt: skip
def get_placement(call: Call, placement_id: int):
    return placement_out(found_or_404(queries.placement(call.actor, placement_id)), attendance=True)


# --- masterclasses --------------------------------------------------------------------------


@_represents(Masterclass)
def masterclass_out(masterclass: Masterclass) -> schemas.Masterclass:
    return schemas.Masterclass(
        id=masterclass.id, title=masterclass.title,
        lead_specialist=masterclass.lead_specialist, venue=masterclass.venue,
        city=masterclass.city, country=masterclass.country,
        hospital_id=masterclass.hospital_id, cohort_id=masterclass.cohort_id,
        starts_at=masterclass.starts_at, ends_at=masterclass.ends_at,
        timezone=masterclass.timezone, capacity=masterclass.capacity,
        credit_hours=masterclass.credit_hours,
    )  # fmt: skip


@api_route(blueprint, "/masterclasses", ApiOperation(
    "GET", "List masterclasses", READ_MASTERCLASSES, schemas.MasterclassPage, "Masterclasses",
    query=schemas.MasterclassQuery,
))  # fmt: skip
def list_masterclasses(call: Call):
    query = queries.masterclasses(call.actor, call.query)
    return _page(call, query, "api.list_masterclasses", schemas.MasterclassPage, masterclass_out)


@api_route(blueprint, "/masterclasses/<int:masterclass_id>", ApiOperation(
    "GET", "Read a masterclass", READ_MASTERCLASSES, schemas.Masterclass, "Masterclasses",
))  # fmt: skip
def get_masterclass(call: Call, masterclass_id: int):
    return masterclass_out(found_or_404(queries.masterclass(call.actor, masterclass_id)))


# --- certificates ---------------------------------------------------------------------------


@_represents(Certificate)
def certificate_out(certificate: Certificate) -> schemas.Certificate:
    doctor = certificate.doctor
    link = url_for("verify.show_certificate", code=certificate.verification_code)
    return schemas.Certificate(
        id=certificate.id, serial=certificate.serial, kind=certificate.kind,
        holder=schemas.Holder(
            doctor_id=doctor.id, first_name=doctor.first_name, last_name=doctor.last_name
        ),
        cohort_id=certificate.enrollment.cohort_id if certificate.enrollment else None,
        masterclass_id=certificate.masterclass_id, hours=certificate.hours,
        issued_at=certificate.issued_at, revoked=certificate.revoked_at is not None,
        revoked_at=certificate.revoked_at,
        verification_url=current_app.config["SOMET_PUBLIC_URL"] + link,
    )  # fmt: skip


@api_route(blueprint, "/certificates", ApiOperation(
    "GET", "List certificates", READ_CERTIFICATES, schemas.CertificatePage, "Certificates",
    query=schemas.CertificateQuery,
))  # fmt: skip
def list_certificates(call: Call):
    query = queries.certificates(call.actor, call.query)
    return _page(call, query, "api.list_certificates", schemas.CertificatePage, certificate_out)


@api_route(blueprint, "/certificates/<int:certificate_id>", ApiOperation(
    "GET", "Read a certificate", READ_CERTIFICATES, schemas.Certificate, "Certificates",
))  # fmt: skip
def get_certificate(call: Call, certificate_id: int):
    return certificate_out(found_or_404(queries.certificate(call.actor, certificate_id)))
