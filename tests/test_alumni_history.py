"""A doctor's whole history for directors: cohorts with credit hours, placements,
masterclasses, certificates with their verification link, evaluations both ways, follow-ups."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from somet.certificates import operations as certificates
from somet.models import (
    Certificate,
    CertificateKind,
    EnrollmentStatus,
    EvaluationDirection,
    RegistrationStatus,
)
from somet.web.extensions import db
from tests import factories
from tests.alumni_data import (
    alumnus,
    answered_evaluation,
    attended,
    certificate,
    cohort_of,
    evaluation_form,
    follow_up,
)
from tests.conftest import login_as


def _text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[-800:]
    body = response.get_data(as_text=True)
    body = body[body.index("<main") :]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _doctor_with_history():
    hospital = factories.make_hospital(name="Rambam Health Care Campus")
    department = factories.make_department(hospital, name="Cardiology Ward")
    cohort = cohort_of(2019, name="Abay cardiology 2019", hosts=[hospital], hours_per_day=6.0)
    doctor, enrollment, placement = alumnus(
        cohort, department, present=3, absent=1, first_name="Yerlan", last_name="Bekov"
    )
    later = cohort_of(2024, name="Abay surgery 2024")
    factories.make_enrollment(later, doctor, status=EnrollmentStatus.WITHDRAWN)
    attended(doctor, 8.0, cohort)
    open_class = attended(doctor, 4.0)
    factories.make_registration(
        factories.make_masterclass(title="Waitlisted class"), doctor,
        status=RegistrationStatus.WAITLISTED,
    )  # fmt: skip
    issued = certificate(doctor, enrollment, hours=26.0)
    certificate(doctor, masterclass=open_class, hours=4.0)
    of_doctor = evaluation_form(EvaluationDirection.OF_DOCTOR)
    of_department = evaluation_form(EvaluationDirection.OF_DEPARTMENT)
    answered_evaluation(placement, of_doctor, [4, 5], text="Keen and careful", by="Prof. Jaffe")
    answered_evaluation(placement, of_department, [2, 3], text="Too few cases", by=None)
    follow_up(enrollment, 3, answered=True, procedures_introduced="Radial access PCI",
              patients_treated=41, colleagues_taught=6, would_recommend=True)  # fmt: skip
    follow_up(enrollment, 6, answered=False)
    return doctor, issued


def test_history_shows_every_part_of_a_doctors_training(client, users):
    doctor, issued = _doctor_with_history()
    login_as(client, users["director"])
    page = _text(client.get(f"/alumni/{doctor.id}"))
    # cohorts with status and the certificates' rule: 3 present days x 6 h + the cohort's 8 h
    assert "Abay cardiology 2019" in page and "Abay surgery 2024" in page
    assert "withdrawn" in page
    assert "Credit hours 30" in page  # 26 in the cohort + 4 in the open class
    # placements and masterclasses
    assert "Cardiology Ward Rambam Health Care Campus" in page
    assert "Waitlisted class" in page and "waitlisted" in page
    # certificates with their verification link
    assert issued.serial in page
    raw = client.get(f"/alumni/{doctor.id}").get_data(as_text=True)
    assert f'href="/verify/{issued.verification_code}"' in raw
    # evaluations both ways, their means and answers
    assert "Supervisors' ratings of the doctor" in page
    assert "Mean rating 4.5 of 5" in page and "Keen and careful" in page and "Prof. Jaffe" in page
    assert "Mean rating 2.5 of 5" in page and "Too few cases" in page
    # follow-ups: the answered one's answers, the other waiting
    assert "Radial access PCI" in page and "41" in page
    assert "6 months after" in page and "Waiting for an answer since" in page


def test_history_shows_the_questions_in_the_readers_language(client, users):
    doctor, _issued = _doctor_with_history()
    login_as(client, users["director"])
    token = client.csrf_token()
    client.post("/language", data={"language": "ru", "csrf_token": token, "next": "/"})
    page = _text(client.get(f"/alumni/{doctor.id}"))
    assert "Клинические навыки" in page and "Оценки врача руководителями" in page


def test_the_doctors_record_links_to_the_whole_history(client, users):
    doctor, _issued = _doctor_with_history()
    login_as(client, users["director"])
    assert f'href="/alumni/{doctor.id}"' in client.get(f"/doctors/{doctor.id}").get_data(
        as_text=True
    )


def test_a_doctor_with_no_history_yet_has_a_plain_page(client, users):
    doctor = factories.make_doctor()
    login_as(client, users["admin"])
    page = _text(client.get(f"/alumni/{doctor.id}"))
    assert "In no cohort." in page and "No follow-up survey has been sent yet." in page


def test_an_unknown_doctor_is_a_404(client, users):
    login_as(client, users["director"])
    assert client.get("/alumni/999999").status_code == 404


def test_history_runs_the_same_statements_however_long_the_history(client, users, count_queries):
    login_as(client, users["director"])
    doctor, _issued = _doctor_with_history()

    def measure() -> int:
        with count_queries() as statements:
            _text(client.get(f"/alumni/{doctor.id}"))
        return len(statements)

    short = measure()
    of_doctor = evaluation_form(EvaluationDirection.OF_DOCTOR)
    for year in (2020, 2021, 2022):
        cohort = cohort_of(year)
        enrollment = factories.make_enrollment(cohort, doctor)
        department = factories.make_department()
        item = factories.make_curriculum_item(cohort, [department])
        placement = factories.make_placement(enrollment, department, item)
        answered_evaluation(placement, of_doctor, [3, 3])
        follow_up(enrollment, 3, answered=True)
        certificate(doctor, enrollment)
        attended(doctor, 2.0, cohort)
    assert measure() == short


def test_hours_are_the_certificates_own_and_each_hour_counts_once(client, users):
    hospital = factories.make_hospital()
    cohort = cohort_of(2019, hosts=[hospital], hours_per_day=6.0)
    department = factories.make_department(hospital)
    doctor, _enrollment, _placement = alumnus(cohort, department, present=4, absent=1)
    attended(doctor, 8.0, cohort)  # the cohort's own class: on both certificates
    certificates.issue_certificates(None, cohort.id)
    issued = {
        c.kind: c.hours
        for c in db.session.scalars(select(Certificate).where(Certificate.doctor_id == doctor.id))
    }
    assert issued == {CertificateKind.INTERNSHIP: 32.0, CertificateKind.MASTERCLASS: 8.0}
    login_as(client, users["director"])
    page = _text(client.get(f"/alumni/{doctor.id}"))
    assert "Credit hours 32 " in page  # the internship certificate's hours, not 32 + 8
