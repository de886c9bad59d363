"""The director's pages read a fixed, small number of statements however much work and
history the centre holds (issue 22): the home's queues come in one statement per panel group."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from somet.models import Role, utcnow
from tests.conftest import login_as
from tests.factories import make_department, make_hospital, make_placement, make_user
from tests.test_home_queues import _director_world, queue_count

# The login, uploads to review, readiness of upcoming cohorts, the four by-cohort queues,
# cohorts starting soon, trips at risk.
DIRECTOR_HOME_STATEMENTS = 6


def _statements(app, count_queries, user, url: str) -> tuple[int, str]:
    client = app.test_client()
    login_as(client, user)
    client.get(url)
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    queries = [q for q in statements if not q.startswith("BEGIN")]  # SQLite's own
    return len(queries), response.get_data(as_text=True)


def test_director_home_is_six_statements_with_one_or_many_cohorts(app, count_queries):
    director = make_user(Role.DIRECTOR)
    _director_world("Host 0")
    few, html = _statements(app, count_queries, director, "/")
    assert queue_count(html, "waiting") == 2
    for n in range(1, 6):
        _director_world(f"Host {n}")
    many, html = _statements(app, count_queries, director, "/")
    assert few == many == DIRECTOR_HOME_STATEMENTS
    for key, count in (("waiting", 12), ("declines", 6), ("unsent", 6), ("uncertified", 6)):
        assert queue_count(html, key) == count, key
    assert queue_count(html, "not-ready") == 12


def test_each_home_queue_keeps_its_own_order_oldest_first(client, users):
    """The queues share one statement; each still lists its oldest work first."""
    older, newer = make_hospital(name="Older host"), make_hospital(name="Newer host")
    for hospital, days in ((newer, 1), (older, 9)):
        make_placement(
            department=make_department(hospital), requested_at=utcnow() - timedelta(days)
        )
    _director_world("Middle host")  # its requests were sent three days ago
    login_as(client, users["director"])
    html = client.get("/").get_data(as_text=True)
    waiting = html[html.index('id="queue-waiting"') :]
    positions = [waiting.index(name) for name in ("Older host", "Middle host", "Newer host")]
    assert positions == sorted(positions)
    assert queue_count(html, "declines") == 1 and queue_count(html, "uncertified") == 1


def _roster_with_history(cohort, hospital, department, doctors: int) -> None:
    """``doctors`` more doctors on the roster, each with a login, a masterclass place and an
    earlier cohort of their own: what years of a centre's history add around a cohort."""
    from tests.factories import (
        make_cohort,
        make_curriculum_item,
        make_doctor,
        make_enrollment,
        make_masterclass,
        make_registration,
    )

    masterclass = make_masterclass(cohort_id=cohort.id)
    for n in range(doctors):
        doctor = make_doctor(email=f"Roster.Doctor{cohort.id}-{doctors}-{n}@Example.org")
        make_enrollment(cohort, doctor=doctor)
        make_enrollment(make_cohort([hospital], start_date=date(2019, 3, 1)), doctor=doctor)
        make_registration(masterclass, doctor)
        if n % 2:
            make_user(Role.DOCTOR, doctor_id=doctor.id, email=doctor.email.lower())
    make_curriculum_item(cohort, [department], days=3)


def test_cohort_overview_reads_the_same_statements_for_a_small_or_long_roster(app, count_queries):
    """Planning (readiness problems shown) and a finished cohort (none): each a fixed count,
    whatever the roster, the doctors' logins, masterclasses and earlier cohorts."""
    from somet.core.statuses import CohortStatus
    from somet.web.extensions import db
    from tests.factories import make_cohort

    director = make_user(Role.DIRECTOR)
    hospital = make_hospital()
    department = make_department(hospital)
    counts = {}
    for status in (CohortStatus.PLANNING, CohortStatus.COMPLETED):
        cohort = make_cohort([hospital], status=status)
        _roster_with_history(cohort, hospital, department, 1)
        few, _ = _statements(app, count_queries, director, f"/cohorts/{cohort.id}")
        _roster_with_history(cohort, hospital, department, 6)
        db.session.commit()
        many, html = _statements(app, count_queries, director, f"/cohorts/{cohort.id}")
        assert few == many, status
        assert html.count('class="portal-login"') == 7  # each doctor's login state shows
        counts[status] = many
    # the login with the menu badges, the cohort (director, hosts, the figures), rotations
    # (options), roster (doctors, option overrides), the portal logins; planning adds the
    # readiness check's departments (their closed days) and masterclass days
    assert counts == {CohortStatus.PLANNING: 7, CohortStatus.COMPLETED: 5}


def test_enrollment_options_page_reads_the_same_statements_for_a_small_or_long_roster(
    app, count_queries
):
    """The curriculum's defaults for one doctor come from the rotations and departments the
    page has loaded, not from a plan of the whole roster, its masterclasses and calendars."""
    from somet.web.extensions import db
    from tests.factories import make_cohort, make_curriculum_item, make_enrollment

    director = make_user(Role.DIRECTOR)
    hospital = make_hospital()
    department = make_department(hospital, name="Cardiology ward")
    cohort = make_cohort([hospital])
    make_curriculum_item(cohort, [department], days=3, name="Cardiology rotation")
    enrollment = make_enrollment(cohort)
    url = f"/cohorts/{cohort.id}/roster/{enrollment.id}/options"
    few, _ = _statements(app, count_queries, director, url)
    _roster_with_history(cohort, hospital, department, 6)
    db.session.commit()
    many, html = _statements(app, count_queries, director, url)
    # login (with the menu badges), cohort, doctor (with the overrides), departments,
    # rotations (options)
    assert few == many == 5
    assert "Cardiology rotation" in html and "Cardiology ward" in html


def test_curriculum_page_reads_the_same_statements_for_few_or_many_rotations(app, count_queries):
    """Each rotation comes with its options in the rotations' one statement."""
    from somet.web.extensions import db
    from tests.factories import make_cohort, make_curriculum_item

    director = make_user(Role.DIRECTOR)
    hospital = make_hospital()
    departments = [make_department(hospital, name=f"Ward {n}") for n in range(4)]
    cohort = make_cohort([hospital])
    make_curriculum_item(cohort, departments[:1], days=3, name="Rotation 0")
    url = f"/cohorts/{cohort.id}/curriculum"
    few, _ = _statements(app, count_queries, director, url)
    for n in range(1, 6):
        make_curriculum_item(cohort, departments, days=2, name=f"Rotation {n}")
    db.session.commit()
    many, html = _statements(app, count_queries, director, url)
    # login (with the menu badges), the cohort with its host departments, rotations (options)
    assert few == many == 3
    assert html.count('name="item-') >= 6 * len(departments)  # every rotation's boxes


def test_alumnus_page_reads_the_same_statements_for_one_or_many_years(app, count_queries):
    """A doctor's history: each list one statement, the credit hours computed from the
    enrollments and registrations the page loads anyway."""
    from somet.models import EnrollmentStatus
    from tests import factories
    from tests.alumni_data import alumnus, attended, certificate, cohort_of

    director = make_user(Role.DIRECTOR)
    cohort = cohort_of(2015, name="Abay cardiology 2015")
    doctor, enrollment, _ = alumnus(cohort, present=3, first_name="Yerlan", last_name="Bekov")
    certificate(doctor, enrollment)
    attended(doctor, 4.0, cohort)
    few, html = _statements(app, count_queries, director, f"/alumni/{doctor.id}")
    for year in range(2016, 2024):
        later = cohort_of(year, name=f"Abay surgery {year}")
        factories.make_enrollment(later, doctor, status=EnrollmentStatus.COMPLETED)
        attended(doctor, 2.0, later)
        attended(doctor, 1.0)
    many, html = _statements(app, count_queries, director, f"/alumni/{doctor.id}")
    # login (with the menu badges), doctor, enrollments with their curricula, placements with
    # their attendance counted, registrations, certificates, evaluations, follow-ups
    assert few == many == 8
    assert "Abay surgery 2023" in html and "Abay cardiology 2015" in html


def test_alumni_registry_reads_five_statements_for_a_few_or_many_doctors(app, count_queries):
    """The registry's page: its doctors come with their certificates in force, their
    enrollments with their cohorts' curricula, each rotation with its placements and the
    attendance counted by the database (a row per rotation and placement)."""
    from tests.alumni_data import alumnus, attended, certificate, cohort_of

    director = make_user(Role.DIRECTOR)

    def doctors(count: int, year: int) -> None:
        cohort = cohort_of(year, name=f"Abay cardiology {year}")
        for n in range(count):
            doctor, enrollment, _ = alumnus(cohort, present=5, absent=1, first_name=f"Bek{n}")
            certificate(doctor, enrollment)
            attended(doctor, 2.0, cohort)

    doctors(2, 2015)
    few, _ = _statements(app, count_queries, director, "/alumni")
    doctors(20, 2016)
    many, html = _statements(app, count_queries, director, "/alumni")
    # login (with the menu badges), the filters' choices, the doctors with their certificates
    # and the count, their classes, enrollments with curricula and each rotation's
    # placements with attendance counted
    assert few == many == 5
    assert "22 doctors match." in html


def test_readiness_page_reads_the_same_statements_for_a_small_or_long_roster(app, count_queries):
    """The cohort is read once, its doctors' documents once (checklist and passports alike)."""
    from tests.factories import (
        make_cohort,
        make_doctor,
        make_document_requirement,
        make_enrollment,
        make_travel_document,
    )

    director = make_user(Role.DIRECTOR)
    hospital = make_hospital()
    make_document_requirement(hospital, "passport")
    cohort = make_cohort([hospital])
    url = f"/cohorts/{cohort.id}/readiness"

    def doctors(n: int) -> None:
        for _ in range(n):
            doctor = make_doctor()
            make_enrollment(cohort, doctor)
            make_travel_document(doctor)

    doctors(1)
    few, _ = _statements(app, count_queries, director, url)
    doctors(6)
    many, html = _statements(app, count_queries, director, url)
    # login (with the menu badges), cohort (hosts), requirements, roster, documents, flights,
    # rooms
    assert few == many == 7
    assert html.count('id="enrollment-') == 7


@pytest.mark.parametrize("page", ["budget", "capacity", "readiness"])
def test_cohort_pages_read_their_cohort_once(client, users, count_queries, page):
    from tests.factories import make_cohort

    url = f"/cohorts/{make_cohort([make_hospital()]).id}/{page}"
    login_as(client, users["director"])
    client.get(url)
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    cohorts = [q for q in statements if q.startswith("SELECT cohorts.id")]
    assert len(cohorts) == 1, cohorts


def test_director_badges_and_queues_are_sent_with_their_statuses_in_the_text(client, users):
    """No parameter to guess: PostgreSQL's plan for the prepared statement knows from its
    statistics how few placements are still waiting (``somet.models.constant``)."""
    from sqlalchemy import event

    from somet.web.extensions import db

    sent: list[tuple[str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    login_as(client, users["director"])
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        assert client.get("/").status_code == 200  # the queues (and the badges they give)
        assert client.get("/hospitals").status_code == 200  # the badges, with the user
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    queues = [(s, p) for s, p in sent if "'requested'" in s and "UNION ALL" in s]
    badges = [(s, p) for s, p in sent if "'declined'" in s and "UNION ALL" not in s]
    assert len(queues) == 1 and len(badges) == 1
    assert badges[0][0].startswith("SELECT users.id")  # one statement: the user and badges
    assert not queues[0][1]
    # its parameters are the user's id and the staff roles, no status
    parameters = {str(value) for value in badges[0][1]}
    assert not parameters & {"declined", "proposed", "uploaded", "completed", "withdrawn"}
    # the oldest uploads to review: built once, the status in its text, only the limit sent
    (to_review,) = [(s, p) for s, p in sent if "OVER ()" in s and "travel_documents" in s]
    sent_values = to_review[1].values() if isinstance(to_review[1], dict) else to_review[1]
    assert "'uploaded'" in to_review[0] and next(iter(sent_values)) == 5  # SQLite: an offset too


def test_hospital_forms_read_the_hospital_alone_whatever_its_years_of_holidays(app, count_queries):
    """Editing the hospital or adding a department shows neither the departments nor the
    holidays: login (with the menu badges), the hospital."""
    from somet.models import HospitalHoliday
    from somet.web.extensions import db

    director = make_user(Role.DIRECTOR)
    hospital = make_hospital(name="Rambam")
    make_department(hospital)
    for year in range(2009, 2027):
        holiday = HospitalHoliday(hospital_id=hospital.id, day=date(year, 4, 22), name="Passover")
        db.session.add(holiday)
    db.session.commit()
    for url in (f"/hospitals/{hospital.id}/edit", f"/hospitals/{hospital.id}/departments/new"):
        count, html = _statements(app, count_queries, director, url)
        assert count == 2, url
        assert "Rambam" in html


@pytest.mark.parametrize("page", ["/cohorts/{id}/readiness", "/documents/cohorts/{id}"])
def test_checklist_roster_joins_its_doctors_once(app, count_queries, page):
    """The roster is ordered by the doctors' names and loads them from that same join (one
    join of ``doctors``, not a second aliased one for the eager load)."""
    from tests.factories import make_cohort, make_enrollment

    director = make_user(Role.DIRECTOR)
    cohort = make_cohort([make_hospital()])
    for _ in range(3):
        make_enrollment(cohort)
    client = app.test_client()
    login_as(client, director)
    with count_queries() as statements:
        assert client.get(page.format(id=cohort.id)).status_code == 200
    (roster,) = [q for q in statements if "ORDER BY doctors.last_name" in q]
    assert roster.count("JOIN doctors") == 1, roster
