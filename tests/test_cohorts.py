"""Cohorts: forms, lifecycle, clone, overview with readiness, curriculum, lists that scale."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from somet.demo.data import DEMO_PASSWORD
from somet.models import (
    AuditEvent,
    Cohort,
    CohortStatus,
    CurriculumItem,
    Doctor,
    Enrollment,
    EnrollmentOption,
    Hospital,
    PlacementStatus,
    SpecialtyMode,
    User,
)
from somet.web.extensions import db
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_curriculum_item,
    make_department,
    make_doctor,
    make_enrollment,
    make_hospital,
    make_placement,
)

COHORT = dict(
    name="Abay region — surgical specialties",
    origin_country="Kazakhstan",
    origin_region="Abay region",
    sponsor="Health Department of the Abay Region",
    start_date="2027-01-10",
    end_date="2027-01-21",
    hours_per_day="6",
    attendance_percent="80",
)


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_director_creates_a_draft_cohort_with_its_hosts(client, users):
    haifa, jerusalem = make_hospital(name="Rambam"), make_hospital(name="Hadassah")
    login_as(client, users["director"])
    response = client.submit("/cohorts/new", dict(COHORT, hosts=[str(haifa.id), str(jerusalem.id)]))
    assert response.status_code == 302
    cohort = db.session.scalar(select(Cohort))
    assert cohort.status == CohortStatus.DRAFT and cohort.attendance_threshold == 0.8
    assert cohort.director_id == users["director"].id
    page = _text(client.get(response.headers["Location"]))
    assert "Rambam" in page and "Hadassah" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("end_date", "2027-01-01", "The end must not be before the start."),
        ("start_date", "10/01/2027", "Not a valid date value."),
        ("hours_per_day", "0", "Number must be between 0.5 and 24."),
        ("attendance_percent", "120", "Number must be between 1 and 100."),
        ("name", "", "This field is required."),
    ],
)
def test_cohort_form_refuses_bad_dates_and_numbers(client, users, field, value, message):
    login_as(client, users["director"])
    response = client.submit("/cohorts/new", dict(COHORT, **{field: value}))
    assert response.status_code == 200 and message in _text(response)
    assert db.session.scalar(select(func.count()).select_from(Cohort)) == 0


def test_moving_a_cohorts_dates_away_from_its_doctors_stays_is_refused(client, users):
    cohort = make_cohort(start_date=date(2027, 1, 10))
    make_enrollment(cohort, arrival_date=date(2027, 1, 10), departure_date=date(2027, 1, 21))
    login_as(client, users["director"])
    edited = dict(COHORT, start_date="2027-01-12", end_date="2027-01-21")
    response = client.submit(f"/cohorts/{cohort.id}/edit", edited)
    assert "1 doctor arrives or leaves outside the new dates" in _text(response)


def _change_status(client, cohort, target, reason=""):
    page = f"/cohorts/{cohort.id}"
    response = client.submit(
        f"/cohorts/{cohort.id}/status", {"target": target, "reason": reason}, page=page
    )
    db.session.refresh(cohort)
    return _text(client.get(response.headers["Location"]))


def test_lifecycle_guards_refuse_with_the_reason(client, users):
    cohort = make_cohort(status=CohortStatus.DRAFT)
    login_as(client, users["director"])
    page = _change_status(client, cohort, "active")
    assert "A cohort that is draft cannot become active (it can become: planning)." in page
    assert "Choose at least one host hospital first." in _change_status(client, cohort, "planning")
    assert cohort.status == CohortStatus.DRAFT


def test_a_cohort_goes_from_draft_to_scheduled_when_everything_is_in_place(client, users):
    department = make_department(specialty="anaesthesiology", capacity=2)
    hospital = db.session.get(Hospital, department.hospital_id)
    cohort = make_cohort([hospital], status=CohortStatus.DRAFT)
    enrollment = make_enrollment(
        cohort, arrival_date=cohort.start_date, departure_date=cohort.end_date
    )
    item = make_curriculum_item(cohort)  # own specialty: anaesthesiology
    login_as(client, users["director"])
    assert "The cohort is now planning." in _change_status(client, cohort, "planning")
    page = _change_status(client, cohort, "scheduled")
    assert "No placement is confirmed yet." in page and cohort.status == CohortStatus.PLANNING
    make_placement(enrollment, department, item, status=PlacementStatus.CONFIRMED)
    assert "The cohort is now scheduled." in _change_status(client, cohort, "scheduled")
    assert "Say why the cohort goes back to planning." in _change_status(client, cohort, "planning")
    _change_status(client, cohort, "planning", reason="Host asked to move two doctors")
    assert cohort.status == CohortStatus.PLANNING
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "cohort.status")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.details["reason"] == "Host asked to move two doctors"


def test_cloning_copies_curriculum_hosts_and_settings_but_not_doctors(client, users):
    hospital = make_hospital()
    department = make_department(hospital)
    source = make_cohort([hospital], status=CohortStatus.COMPLETED, hours_per_day=7.5)
    make_curriculum_item(source, [department], name="ICU", days=2, weight=4)
    make_curriculum_item(source, name="Core", days=5)
    make_enrollment(source)
    login_as(client, users["director"])
    response = client.submit(
        f"/cohorts/{source.id}/clone", {"name": "Abay 2028", "start_date": "2028-03-05"}
    )
    clone = db.session.scalar(select(Cohort).where(Cohort.name == "Abay 2028"))
    assert response.headers["Location"].endswith(f"/cohorts/{clone.id}")
    assert clone.status == CohortStatus.DRAFT and clone.cloned_from_id == source.id
    assert (clone.start_date, clone.end_date) == (date(2028, 3, 5), date(2028, 3, 16))
    assert clone.hours_per_day == 7.5 and clone.origin_region == source.origin_region
    items = db.session.scalars(
        select(CurriculumItem).where(CurriculumItem.cohort_id == clone.id)
    ).all()
    assert sorted((i.name, i.days) for i in items) == [("Core", 5), ("ICU", 2)]
    page = _text(client.get(f"/cohorts/{clone.id}"))
    assert hospital.name in page and "No doctor yet." in page
    assert (
        db.session.scalar(
            select(func.count()).select_from(Enrollment).where(Enrollment.cohort_id == clone.id)
        )
        == 0
    )


def test_overview_shows_placement_counts_and_readiness_in_words(client, users):
    department = make_department(name="ICU", specialty="intensive-care", capacity=1)
    cohort = make_cohort([db.session.get(Hospital, department.hospital_id)])
    saule = make_doctor(first_name="Saule", last_name="K", specialty="anaesthesiology")
    ready = make_enrollment(
        cohort, saule, arrival_date=cohort.start_date, departure_date=cohort.end_date
    )
    make_enrollment(cohort, make_doctor(first_name="Yerlan", last_name="Bekov", specialty=None))
    item = make_curriculum_item(
        cohort,
        name="Intensive care",
        specialty_mode=SpecialtyMode.NAMED,
        specialty="intensive-care",
        days=9,
    )
    make_curriculum_item(cohort, name="Core", days=1)  # own specialty: no anaesthesiology here
    for status in (PlacementStatus.CONFIRMED, PlacementStatus.CONFIRMED, PlacementStatus.DECLINED):
        make_placement(ready, department, item, status=status)
    login_as(client, users["director"])
    page = _text(client.get(f"/cohorts/{cohort.id}"))
    problems = page.split('class="readiness-problems')[1].split("</ul>")[0]
    assert re.findall(r"<li>(.*?)</li>", problems) == [
        "Saule K: the required rotation “Core” has no eligible department.",
        "Yerlan Bekov has no specialty.",
        "Yerlan Bekov has no arrival or departure date.",
    ]
    counts = page.split("placement-counts")[1].split("</form>")[0]
    assert '<div class="fs-4">2</div><div class="small text-muted">confirmed</div>' in counts
    assert '<div class="fs-4">1</div><div class="small text-muted">declined</div>' in counts
    assert '<div class="fs-4">0</div><div class="small text-muted">requested</div>' in counts


def test_overview_exposes_the_cohort_to_other_features_panels(app, client, users):
    from flask import template_rendered

    cohort = make_cohort()
    seen = []

    def remember(sender, template, context, **extra):
        seen.append(context)

    template_rendered.connect(remember, app)
    login_as(client, users["director"])
    assert client.get(f"/cohorts/{cohort.id}").status_code == 200
    overview = [c for c in seen if c.get("cohort") is not None]
    assert overview and overview[-1]["cohort"].id == cohort.id
    source = app.jinja_loader.get_source(app.jinja_env, "cohorts/overview.html")[0]
    for feature in ("planning", "certificates", "documents"):
        assert f'{{% include "{feature}/_cohort_panel.html" ignore missing %}}' in source


def test_curriculum_editor_adds_and_edits_rotations_on_one_page(client, users):
    hospital = make_hospital()
    icu = make_department(hospital, name="ICU", specialty="intensive-care")
    radiology = make_department(hospital, name="Radiology", specialty="radiology")
    cohort = make_cohort([hospital])
    login_as(client, users["director"])
    page = f"/cohorts/{cohort.id}/curriculum"
    new = {
        "new-name": "Electives",
        "new-specialty_mode": "departments",
        "new-days": "2",
        "new-weight": "5",
        "new-specialty": "",
    }
    response = client.submit(f"{page}/new", new, page=page)
    assert response.status_code == 400
    assert "Give preference points to at least one department." in _text(response)
    response = client.submit(
        f"{page}/new", dict(new, **{"new-name": "", "new-days": "0"}), page=page
    )
    assert "This field is required." in _text(response) and "between 1 and 60" in _text(response)
    named = dict(new, **{"new-specialty_mode": "named"})
    assert "Choose the specialty." in _text(client.submit(f"{page}/new", named, page=page))
    good = dict(new, **{f"new-dept_{icu.id}": "3", f"new-dept_{radiology.id}": "1"})
    assert client.submit(f"{page}/new", good, page=page).status_code == 302
    item = db.session.scalar(select(CurriculumItem))
    assert not item.required and item.weight == 5
    edit = {f"item-{item.id}-{k[4:]}": v for k, v in good.items()}
    edit.update({f"item-{item.id}-required": "y", f"item-{item.id}-dept_{radiology.id}": ""})
    assert client.submit(f"{page}/{item.id}", edit, page=page).status_code == 302
    shown = _text(client.get(f"/cohorts/{cohort.id}"))
    assert "ICU (3)" in shown and "Radiology (1)" not in shown


def test_a_directors_override_gives_one_doctor_other_departments(client, users):
    hospital = make_hospital()
    neuro = make_department(hospital, name="Neurosurgery", specialty="neurosurgery")
    cohort = make_cohort([hospital])
    enrollment = make_enrollment(
        cohort,
        make_doctor(first_name="Timur", last_name="A", specialty="cardiology"),
        arrival_date=cohort.start_date,
        departure_date=cohort.end_date,
    )
    item = make_curriculum_item(cohort, name="Core")
    login_as(client, users["director"])
    problem = "Timur A: the required rotation “Core” has no eligible department."
    assert problem in _text(client.get(f"/cohorts/{cohort.id}"))
    url = f"/cohorts/{cohort.id}/roster/{enrollment.id}/options"
    assert client.submit(url, {f"opt_{item.id}_{neuro.id}": "2"}).status_code == 302
    assert db.session.scalar(select(EnrollmentOption.preference)) == 2
    shown = client.get(url).get_data(as_text=True)  # the page shows the override it keeps
    assert re.search(rf'id="opt_{item.id}_{neuro.id}"[^>]*value="2"', shown)
    assert problem not in _text(client.get(f"/cohorts/{cohort.id}"))


def _doctors(count: int) -> None:
    for n in range(count):
        db.session.add(
            Doctor(
                first_name=f"Nurlan{n}",
                last_name="Zhaksylykov",
                native_name=f"Нұрлан {n}",
                specialty="general-surgery",
                region="Abay region",
                licence_number=f"L{n}",
                passport_number=f"P{n:07d}",
            )
        )
    db.session.commit()


@pytest.mark.parametrize(
    "url", ["/doctors", "/doctors?q=нұрлан&region=abay&specialty=general-surgery", "/cohorts"]
)
def test_lists_run_the_same_number_of_queries_at_10_and_500_rows(client, users, count_queries, url):
    login_as(client, users["director"])
    hospital = make_hospital()

    def measure() -> int:
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _doctors(10)
    for _ in range(10):
        make_cohort([hospital])
    small = measure()
    _doctors_more = 490
    db.session.add_all(
        Doctor(
            first_name=f"Aliya{n}",
            last_name="Sarsenbayeva",
            native_name=f"Нұрлан Ә{n}",
            specialty="general-surgery",
            region="Abay region",
        )
        for n in range(_doctors_more)
    )
    for n in range(40):
        db.session.add(
            Cohort(
                name=f"Cohort x{n}",
                origin_country="Kazakhstan",
                start_date=date(2027, 1, 1),
                end_date=date(2027, 1, 5),
            )
        )
    db.session.commit()
    assert measure() == small


def test_doctors_are_found_by_latin_or_cyrillic_name_in_any_case(client, users):
    make_doctor(first_name="Yerlan", last_name="Bekov", native_name="Ерлан Беков")
    make_doctor(
        first_name="Gulnara",
        last_name="Omarova",
        native_name="Гүлнара Омарова",
        passport_number="N99911122",
    )
    login_as(client, users["director"])
    for query in ("ерлан", "ЕРЛАН беков", "bekov", "YERLAN"):
        page = _text(client.get("/doctors", query_string={"q": query}))
        assert "Ерлан Беков" in page and "Омарова" not in page, query
    page = _text(client.get("/doctors", query_string={"q": "гүлнара"}))
    assert "Гүлнара Омарова" in page and "••••••122" in page and "N99911122" not in page


def test_the_demos_upcoming_cohort_is_ready_to_be_scheduled(client, runner, monkeypatch):
    # Last year's certificates are irrelevant here and take seconds to render as PDFs.
    monkeypatch.setattr("somet.demo.loader.issue_demo_certificates", lambda *a, **k: None)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    cohort = db.session.scalar(
        select(Cohort).where(Cohort.name == "Abay region — surgical specialties")
    )
    director = db.session.scalar(select(User).where(User.email == "director@example.org"))
    login_as(client, director, password=DEMO_PASSWORD)
    page = _text(client.get(f"/cohorts/{cohort.id}"))
    assert "Ready to be scheduled." in page and "Ерлан Беков" in page
