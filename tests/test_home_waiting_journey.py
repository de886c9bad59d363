"""Journey: a busy centre's director sees the oldest requests waiting on hosts first, ten
hosts × cohorts at most, with the count of every request; "Show all" lists each of them.
A coordinator sees the oldest ten groups of their requests and reaches all on the requests page."""

import re
from datetime import timedelta

from somet.accounts.director_queue import HOME_ROWS
from somet.models import Role, utcnow
from tests.conftest import login_as
from tests.factories import (
    make_cohort,
    make_department,
    make_enrollment,
    make_hospital,
    make_placement,
    make_user,
)
from tests.test_home_queues import queue_count


def _waiting_rows(html: str) -> list[str]:
    """The "host — cohort" links of the queue of requests waiting on hosts, in order."""
    section = re.search(r'id="queue-waiting".*?</section>', html, re.S).group(0)
    return re.findall(r'<a href="/cohorts/\d+/timeline">([^<]+)</a>', section)


def test_director_sees_the_oldest_waiting_requests_and_can_show_them_all(client, users):
    hospital = make_hospital(name="Rambam")
    ward = make_department(hospital, name="Cardiology ward")
    groups = HOME_ROWS + 2
    for n in range(groups):  # cohort 00 has waited longest
        cohort = make_cohort([hospital], name=f"Cohort {n:02d}")
        for _ in range(2):
            make_placement(make_enrollment(cohort), ward, requested_at=utcnow() - timedelta(30 - n))
    login_as(client, users["director"])

    home = client.get("/").get_data(as_text=True)
    oldest = [f"Rambam — Cohort {n:02d}" for n in range(HOME_ROWS)]
    assert _waiting_rows(home) == oldest
    assert queue_count(home, "waiting") == 2 * groups  # every request counted
    assert f"Show all {groups} hosts and cohorts" in home

    link = re.search(r'<a href="([^"]+)#queue-waiting">Show all', home).group(1)
    every = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert _waiting_rows(every) == [f"Rambam — Cohort {n:02d}" for n in range(groups)]
    assert queue_count(every, "waiting") == 2 * groups and "Show all" not in every


def _requests_rows(html: str) -> list[str]:
    section = re.search(r'id="queue-requests".*?</section>', html, re.S).group(0)
    return re.findall(r'<a href="/requests">([^<]+)</a>', section)


def test_coordinator_sees_the_oldest_requests_and_reaches_every_one(client):
    hospital = make_hospital(name="Rambam")
    wards = [make_department(hospital, name=f"Ward {n:02d}") for n in range(HOME_ROWS + 2)]
    cohort = make_cohort([hospital], name="Spring cohort")
    for n, ward in enumerate(wards):  # ward 00 has waited longest
        make_placement(make_enrollment(cohort), ward, requested_at=utcnow() - timedelta(30 - n))
    login_as(client, make_user(Role.COORDINATOR, hospital_id=hospital.id))

    home = client.get("/").get_data(as_text=True)
    assert _requests_rows(home)[:-1] == [f"Ward {n:02d} — Spring cohort" for n in range(HOME_ROWS)]
    assert _requests_rows(home)[-1] == "All requests"
    assert queue_count(home, "requests") == HOME_ROWS + 2
    every = client.get("/requests").get_data(as_text=True)
    assert all(f"Ward {n:02d}" in every for n in range(HOME_ROWS + 2))


def _cohort_rows(html: str, key: str) -> list[str]:
    """The cohorts a home queue lists, in order."""
    section = re.search(rf'id="queue-{key}".*?</section>', html, re.S).group(0)
    return re.findall(r'<a href="/(?:documents/)?cohorts/\d+[^"]*">([^<]+)</a>', section)


def test_a_busy_centres_coming_cohorts_show_the_soonest_ten_and_can_show_them_all(client, users):
    """With more coming cohorts than the home lists, the queues of doctors not ready to
    travel and of cohorts starting soon show the ten soonest, count every doctor and cohort
    in their headings, and "Show all" lists each one."""
    from tests.factories import make_document_requirement

    hospital = make_hospital(name="Rambam")
    make_document_requirement(hospital, "passport")  # nobody has uploaded one
    cohorts = HOME_ROWS + 3
    for n in range(cohorts):  # cohort 00 starts first
        cohort = make_cohort([hospital], name=f"Cohort {n:02d}", start_date=utcnow().date()
                             + timedelta(days=5 + n))  # fmt: skip
        for _ in range(2):
            make_enrollment(cohort)
    login_as(client, users["director"])

    home = client.get("/").get_data(as_text=True)
    soonest = [f"Cohort {n:02d}" for n in range(HOME_ROWS)]
    everyone = [f"Cohort {n:02d}" for n in range(cohorts)]
    for key in ("not-ready", "starting"):
        assert _cohort_rows(home, key) == soonest
        link = re.search(rf'<a href="([^"]+)#queue-{key}">Show all {cohorts} cohorts<', home)
        every = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
        assert _cohort_rows(every, key) == everyone
        assert "show-all" not in every.split(f'id="queue-{key}"')[1].split("</section>")[0]
    assert queue_count(home, "not-ready") == 2 * cohorts  # every doctor counted
    assert queue_count(home, "starting") == cohorts
