"""Rosters: import with preview (CSV and XLSX), matching known doctors, export, add, withdraw."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import func, select

from somet.cohorts.roster import roster_rows
from somet.cohorts.roster_files import read_roster, write_csv, write_xlsx
from somet.models import Doctor, Enrollment, EnrollmentStatus
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import make_cohort, make_doctor, make_enrollment, make_user

ROW_RE = re.compile(r'data-row="(\d+)">(.*?)</tr>', re.S)
ERROR_RE = re.compile(r"<li>(.*?)</li>")


def _row(n: int, **overrides) -> dict:
    row = dict(
        first_name=f"Yerlan{n}",
        last_name="Bekov",
        native_name=f"Ерлан Беков {n}",
        specialty="general-surgery",
        email=f"yerlan{n}@example.kz",
        region="Abay region",
        licence_number=f"KZ-{n:05d}",
        passport_number=f"P{n:08d}",
        arrival_date="2027-03-07",
        departure_date="2027-03-18",
    )
    row.update(overrides)
    return row


def _counts() -> tuple[int, int]:
    doctors = db.session.scalar(select(func.count()).select_from(Doctor))
    return doctors, db.session.scalar(select(func.count()).select_from(Enrollment))


def _upload(client, cohort, content: bytes, name: str):
    url = f"/cohorts/{cohort.id}/roster/import"
    return client.submit(
        url, {"file": (io.BytesIO(content), name)}, content_type="multipart/form-data"
    )


def _preview(client, cohort, content: bytes, name: str) -> tuple[str, str]:
    response = _upload(client, cohort, content, name)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    return location.rsplit("/", 1)[-1], client.get(location).get_data(as_text=True)


def _confirm(client, cohort, token: str):
    page = f"/cohorts/{cohort.id}/roster/import/{token}"
    return client.submit(f"/cohorts/{cohort.id}/roster/import/confirm", {"token": token}, page=page)


def _shown_errors(html: str) -> dict[int, list[str]]:
    return {
        int(line): [e.replace("&#39;", "'") for e in ERROR_RE.findall(cells)]
        for line, cells in ROW_RE.findall(html)
        if "row-errors" in cells
    }


def test_a_200_row_file_with_mixed_errors_reports_exactly_those_and_saves_nothing(client, users):
    cohort = make_cohort()
    rows = [_row(n) for n in range(1, 201)]
    rows[9] = _row(10, last_name="")
    rows[49] = _row(50, email="yerlan50@@example")
    rows[79] = _row(80, specialty="Cardiac dentistry")
    rows[119] = _row(120, arrival_date="2027-03-01")
    rows[159] = _row(160, licence_number="KZ-00003")  # the licence of row 4 (file line 4)
    rows[199] = _row(200, first_name="", departure_date="2027-04-01")
    expected = {
        11: ["The last name is missing."],
        51: ["The e-mail “yerlan50@@example” is not valid."],
        81: ["Unknown specialty “Cardiac dentistry”."],
        121: [
            "Arrival date: 1 Mar 2027 is outside the cohort's dates (7 Mar 2027 to 18 Mar 2027)."
        ],
        161: ["Repeated in the file: Licence number as in row 4."],
        201: [
            "The first name is missing.",
            "Departure date: 1 Apr 2027 is outside the cohort's dates (7 Mar 2027 to 18 Mar 2027).",
        ],
    }
    before = _counts()
    login_as(client, users["director"])
    token, html = _preview(client, cohort, write_csv(rows), "roster.csv")
    assert _shown_errors(html) == expected
    assert "194 new" in html and "6 invalid" in html and "Nothing has been saved" in html
    assert "Save these" not in html
    response = _confirm(client, cohort, token)
    assert "6 row(s) are invalid" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _counts() == before


def test_a_clean_xlsx_import_saves_every_row_and_matches_known_doctors(client, users):
    cohort = make_cohort()
    by_licence = make_doctor(licence_number="KZ-00001", passport_number="OLD-1")
    by_passport = make_doctor(licence_number=None, passport_number="P00000002", email="old@x.kz")
    rows = [_row(n) for n in range(1, 31)]
    before_doctors, _ = _counts()
    login_as(client, users["director"])
    token, html = _preview(client, cohort, write_xlsx(rows), "roster.xlsx")
    assert "28 new" in html and "2 changed" in html and "0 invalid" in html
    assert _counts()[0] == before_doctors  # the preview saved nothing
    response = _confirm(client, cohort, token)
    assert response.status_code == 302
    assert "Roster imported: 28 new, 0 known, 2 updated." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert _counts()[0] == before_doctors + 28
    enrolled = db.session.scalars(
        select(Enrollment.doctor_id).where(Enrollment.cohort_id == cohort.id)
    ).all()
    assert len(enrolled) == 30 and {by_licence.id, by_passport.id} <= set(enrolled)
    db.session.refresh(by_passport)
    assert by_passport.email == "yerlan2@example.kz" and by_passport.licence_number == "KZ-00002"


def test_a_clean_csv_import_with_cyrillic_and_semicolons(client, users):
    cohort = make_cohort()
    text = (
        "Last name;First name;Native name;Specialty;Arrival date;Departure date\n"
        "Omarova;Gulnara;Гүлнара Омарова;Акушерство и гинекология;08.03.2027;18.03.2027\n"
        "Seitkali;Dauren;Дәурен Сейтқали;neurosurgery;;\n"
    )
    login_as(client, users["director"])
    token, html = _preview(client, cohort, text.encode("utf-8"), "roster.csv")
    assert "2 new" in html and "Гүлнара Омарова" in html
    _confirm(client, cohort, token)
    stays = dict(
        db.session.execute(
            select(Doctor.native_name, Enrollment.arrival_date).join(
                Enrollment, Enrollment.doctor_id == Doctor.id
            )
        ).all()
    )
    assert stays == {"Гүлнара Омарова": date(2027, 3, 8), "Дәурен Сейтқали": date(2027, 3, 7)}


def test_export_then_import_into_next_years_cohort_round_trips(client, users):
    source = make_cohort(name="Abay 2027")
    for n in range(5):
        doctor = make_doctor(native_name=f"Әйгерім Нұрланқызы {n}")
        make_enrollment(
            source, doctor, arrival_date=date(2027, 3, 8), departure_date=date(2027, 3, 18)
        )
    target = make_cohort(name="Abay 2027 bis")
    login_as(client, users["director"])
    for kind in ("xlsx", "csv"):
        exported = client.get(f"/cohorts/{source.id}/roster.{kind}")
        assert exported.status_code == 200
        assert f'filename="roster-{source.id}.{kind}"' in exported.headers["Content-Disposition"]
        rows = read_roster(f"roster.{kind}", exported.data)
        assert len(rows) == 5 and rows[0]["native_name"].startswith("Әйгерім")
        token, html = _preview(client, target, exported.data, f"roster.{kind}")
        assert "0 new" in html and "5 already known" in html
        _confirm(client, target, token)
    assert roster_rows(target) == roster_rows(source)
    assert _counts() == (5 + 1, 10)  # plus the users fixture's doctor: nobody duplicated


def test_a_preview_belongs_to_the_director_who_uploaded_it(client, users):
    cohort = make_cohort()
    login_as(client, users["director"])
    token, _html = _preview(client, cohort, write_csv([_row(1)]), "roster.csv")
    client.submit("/logout", {}, page="/account/password")
    login_as(client, make_user())
    response = client.get(f"/cohorts/{cohort.id}/roster/import/{token}")
    assert response.status_code == 302
    before = _counts()
    page = f"/cohorts/{cohort.id}/roster/import"
    client.submit(f"/cohorts/{cohort.id}/roster/import/confirm", {"token": token}, page=page)
    assert _counts() == before
    forged = client.submit(
        f"/cohorts/{cohort.id}/roster/import/confirm", {"token": "../" * 10 + "x" * 2}, page=page
    )
    shown = client.get(forged.headers["Location"]).get_data(as_text=True)
    assert "This preview has expired" in shown and _counts() == before


def test_uploads_of_the_wrong_type_or_size_are_refused(client, users):
    cohort = make_cohort()
    login_as(client, users["director"])
    response = _upload(client, cohort, b"hello", "roster.txt")
    assert "Upload a .csv or .xlsx file." in response.get_data(as_text=True)
    response = _upload(client, cohort, b"not,a,zip", "roster.xlsx")
    assert "The file&#39;s content is not XLSX." in response.get_data(as_text=True)
    big = b"First name,Last name\n" + b"A,B\n" * (10 * 1024 * 1024 // 4 + 10)
    response = _upload(client, cohort, big, "roster.csv")
    assert "The file is larger than 10 MB." in response.get_data(as_text=True)


def test_the_template_has_the_import_header_and_an_example_row_that_is_not_imported(
    client, users
):
    login_as(client, users["admin"])
    for kind in ("csv", "xlsx"):
        response = client.get(f"/cohorts/roster-template.{kind}")
        assert response.status_code == 200
        assert read_roster(f"t.{kind}", response.data) == []
    csv_template = client.get("/cohorts/roster-template.csv")
    assert csv_template.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv_template.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("First name,Last name")
    assert "Example" in lines[1] and "2027-03-07" in lines[1]
    assert client.get("/cohorts/roster-template.pdf").status_code == 404


def _doctor_form(**overrides) -> dict:
    fields = dict(
        first_name="Saule",
        last_name="Kenzhebayeva",
        native_name="Сәуле Кенжебаева",
        specialty="anaesthesiology",
        email="saule@example.kz",
        licence_number="KZ-AB-10239",
        passport_number="N12345676",
        arrival_date="2027-03-08",
        departure_date="2027-03-18",
    )
    fields.update(overrides)
    return fields


def test_adding_a_doctor_validates_e_mail_and_dates(client, users):
    cohort = make_cohort()
    login_as(client, users["director"])
    url = f"/cohorts/{cohort.id}/roster/add"
    response = client.submit(url, _doctor_form(email="saule@"))
    assert "Invalid email address." in response.get_data(as_text=True)
    response = client.submit(url, _doctor_form(departure_date="2027-03-07"))
    assert "Departure must not be before arrival." in response.get_data(as_text=True)
    response = client.submit(url, _doctor_form(arrival_date="2027-02-01"))
    assert "outside the cohort&#39;s dates" in response.get_data(as_text=True)
    assert _counts()[1] == 0
    assert client.submit(url, _doctor_form()).status_code == 302
    assert _counts()[1] == 1


def test_adding_a_known_doctor_by_passport_reuses_the_person(client, users):
    known = make_doctor(licence_number=None, passport_number="N12345676")
    cohort = make_cohort()
    login_as(client, users["director"])
    before_doctors = _counts()[0]
    client.submit(f"/cohorts/{cohort.id}/roster/add", _doctor_form(passport_number="n 12345676"))
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.cohort_id == cohort.id))
    assert enrollment.doctor_id == known.id and _counts()[0] == before_doctors
    again = client.submit(f"/cohorts/{cohort.id}/roster/add", _doctor_form())
    assert "already on the roster" in again.get_data(as_text=True)


def test_withdrawing_a_doctor_keeps_the_history(client, users):
    enrollment = make_enrollment()
    login_as(client, users["director"])
    url = f"/cohorts/{enrollment.cohort_id}/roster/{enrollment.id}/withdraw"
    assert "This field is required." in client.submit(url, {"reason": ""}).get_data(as_text=True)
    client.submit(url, {"reason": "Visa refused"})
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.WITHDRAWN
    assert enrollment.withdrawal_reason == "Visa refused" and enrollment.withdrawn_at
    page = client.get(f"/cohorts/{enrollment.cohort_id}").get_data(as_text=True)
    assert "Visa refused" in page and "withdrawn" in page


def test_editing_a_roster_entry_refuses_a_licence_of_another_doctor(client, users):
    other = make_doctor(licence_number="KZ-TAKEN")
    enrollment = make_enrollment()
    login_as(client, users["director"])
    url = f"/cohorts/{enrollment.cohort_id}/roster/{enrollment.id}/edit"
    response = client.submit(url, _doctor_form(licence_number="kz-taken"))
    assert "Another doctor already has this licence number." in response.get_data(as_text=True)
    assert client.submit(url, _doctor_form(licence_number="KZ-NEW")).status_code == 302
    db.session.refresh(other)
    doctor = db.session.get(Doctor, enrollment.doctor_id)
    assert doctor.licence_number == "KZ-NEW" and other.licence_number == "KZ-TAKEN"


def test_the_import_refuses_what_the_form_and_the_database_refuse(client, users):
    """One set of limits: a 150-character last name was accepted by the import, refused by the
    form, and failed on PostgreSQL at the confirm."""
    cohort = make_cohort()
    rows = [_row(1), _row(2, last_name="B" * 150), _row(3, native_name="Ә" * 201)]
    login_as(client, users["director"])

    _token, html = _preview(client, cohort, write_csv(rows), "roster.csv")

    assert _shown_errors(html) == {
        3: ["Last name is 150 characters long; at most 100 fit."],
        4: ["Native name is 201 characters long; at most 200 fit."],
    }
    form = client.submit(
        f"/cohorts/{cohort.id}/roster/add",
        _doctor_form(last_name="B" * 150),
    )
    assert form.status_code == 200
    assert "Field cannot be longer than 100 characters." in form.get_data(as_text=True)
