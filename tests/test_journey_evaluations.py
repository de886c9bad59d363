"""Evaluations from the demo's completed cohort to the results, through HTTP and the CLI only.

No factories and no model writes: the demo is loaded by ``flask demo`` (its cohort's nightly
lifecycle sent the evaluations when it closed the placements, and most were answered); the
lifecycle run again sends nothing twice; a supervisor who never answered follows the link in
their e-mail (read from the outbox, as the admin's outbox page shows it); the director reads
the results, the host's coordinator its own under the anonymity rule, another host nothing.
The links of a cohort a year back would have expired: the journey gives them a long life.
"""

from __future__ import annotations

import html
import itertools
import re

from sqlalchemy import func, select

from somet.demo.data import DEMO_PASSWORD, PAST_COHORT
from somet.models import Evaluation, Notification
from somet.web.extensions import db
from tests.conftest import login_as

LINK_RE = re.compile(r"https?://[^/\s\"<>]+(/evaluations/answer/[^\s\"<>]+)")
_ADDRESSES = itertools.count(1)


class Login:
    def __init__(self, email):
        self.email = email


def _logged_in(app, email: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"10.9.{next(_ADDRESSES)}.1"
    login_as(client, Login(email), DEMO_PASSWORD)
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def _link_to(html_text: str, pattern: str) -> str:
    match = re.search(r'href="(' + pattern + r')"', html_text)
    assert match, pattern
    return match.group(1)


def test_from_the_demos_completed_cohort_to_the_results_pages(app, runner):
    app.config["SOMET_EVALUATION_LINK_TTL_DAYS"] = 36500
    assert runner.invoke(args=["demo"]).exit_code == 0
    sent = db.session.scalar(select(func.count(Evaluation.id)))
    day_after = PAST_COHORT["end_date"].replace(day=PAST_COHORT["end_date"].day + 1)
    again = runner.invoke(args=["jobs", "run-now", "nightly-lifecycle", "--as-of", str(day_after)])
    assert again.exit_code == 0, again.output
    assert db.session.scalar(select(func.count(Evaluation.id))) == sent  # sent once only

    # A supervisor who has not answered opens the link in their e-mail and answers.
    unanswered = db.session.scalars(
        select(Notification.body)
        .where(Notification.kind == "evaluation_request", Notification.to_email.like("%hospital%"))
        .order_by(Notification.id)
    ).all()
    supervisor_address = db.session.scalar(
        select(Notification.to_email).where(
            Notification.kind == "evaluation_request", Notification.to_email.like("%hospital%")
        )
    )
    admin = _logged_in(app, "admin@example.org")
    outbox = _page(admin, f"/notifications/outbox?recipient={supervisor_address}")
    assert "evaluate" in outbox.lower()
    supervisor = app.test_client()
    for body in unanswered:
        url = LINK_RE.search(body).group(1)
        if "already answered" not in _page(supervisor, url):
            break
    form = _page(supervisor, url)
    assert "1 = poor, 5 = excellent" in form
    fields = dict.fromkeys(re.findall(r'name="(q\d+)"', form))
    values = {}
    for name in fields:
        options = re.findall(rf'name="{name}"[^>]*value="([^"]+)"', form)
        values[name] = options[-1] if options else "Journey: a remarkable visitor"
    answered = supervisor.submit(url, values)
    assert answered.status_code == 302
    assert "already answered" in _page(supervisor, url)
    assert supervisor.submit(url, values, page="/login").status_code == 200  # stored once

    # The director reads the hospital's, the department's and the doctor's results.
    director = _logged_in(app, "director@example.org")
    index = _page(director, "/evaluations")
    hospital_url = re.search(r'href="(/evaluations/hospitals/\d+)">Rambam', index).group(1)
    hospital = _page(director, hospital_url)
    assert "Journey: a remarkable visitor" in hospital and "/ 5" in hospital
    department = _page(director, _link_to(hospital, r"/evaluations/departments/\d+"))
    assert "answered of" in department
    doctors = _page(director, "/doctors")
    doctor_page = _page(director, _link_to(doctors, r"/doctors/\d+"))
    results = _page(director, _link_to(doctor_page, r"/evaluations/doctors/\d+"))
    assert "How the supervisors rated the doctor" in results

    # The host's coordinator sees its own hospital under the rule; another host sees nothing.
    coordinator = _logged_in(app, "coordinator@example.org")
    mine = _link_to(_page(coordinator, "/evaluations/hospital"), r"/evaluations/hospitals/\d+")
    assert mine == hospital_url
    host_view = _page(coordinator, mine)
    assert "anonymity rule" in host_view and "Journey: a remarkable visitor" in host_view
    other = _logged_in(app, "coordinator2@example.org")
    assert other.get(hospital_url).status_code == 404
