"""Follow-up surveys through the app: the daily job, the one-tap answer, reminders, the
director's lists, the cohort's setting. Real database, real job runs (``flask jobs run-now``),
real SMTP where mail matters (the aiosmtpd fixture of test_notifications)."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from somet.models import (
    AuditEvent,
    EnrollmentStatus,
    FollowUpSurvey,
    Language,
    Notification,
    Role,
)
from somet.notifications.tasks import deliver_notifications
from somet.web.extensions import db
from tests import factories
from tests.conftest import login_as
from tests.test_notifications import smtp_server  # noqa: F401  (the real SMTP fixture)

END = date(2025, 8, 31)  # 3 months: 30 Nov 2025; 6 months: 28 Feb 2026
LINK_RE = re.compile(r"https?://[^/\s]+(/follow-up/answer/\S+)")
ANSWER = {"procedures_introduced": "Ultrasound-guided nerve blocks", "patients_treated": "40",
          "colleagues_taught": "5", "would_recommend": "yes", "comment": "Thank you!"}  # fmt: skip


def _ended_cohort(**overrides):
    """An ended cohort: two completed doctors, one incomplete, one withdrawn."""
    cohort = factories.make_cohort(
        start_date=END - timedelta(days=11), end_date=END, status="completed", **overrides
    )
    statuses = [EnrollmentStatus.COMPLETED, EnrollmentStatus.COMPLETED,
                EnrollmentStatus.INCOMPLETE, EnrollmentStatus.WITHDRAWN]  # fmt: skip
    doctors = [factories.make_doctor(last_name=f"Doc{n}") for n in range(len(statuses))]
    for doctor, status in zip(doctors, statuses, strict=True):
        factories.make_enrollment(cohort, doctor, status=status)
    return cohort, doctors


def _run(runner, job: str, day: date) -> str:
    result = runner.invoke(args=["jobs", "run-now", job, "--as-of", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def _mails(kind: str = "follow_up_survey") -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    return list(db.session.scalars(query))


def _link(notification: Notification) -> str:
    return LINK_RE.search(notification.body).group(1)


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- the daily job --------------------------------------------------------------------------


def test_the_job_sends_each_survey_once_on_its_day_even_at_a_months_end(runner):
    cohort, doctors = _ended_cohort()
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2025, 11, 29))
    assert "'surveys_sent': 3" in _run(runner, "follow-up-surveys", date(2025, 11, 30))
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2025, 11, 30))
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2025, 12, 1))
    mails = _mails()
    # the completed and the incomplete doctor are asked; the withdrawn one is not
    asked = {d.email for d in doctors[:3]}
    assert sorted(m.to_email for m in mails) == sorted(asked)
    # 31 August + 6 months: the last day of February, not before
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2026, 2, 27))
    assert "'surveys_sent': 3" in _run(runner, "follow-up-surveys", date(2026, 2, 28))
    assert "'surveys_sent': 0" in _run(runner, "follow-up-surveys", date(2026, 2, 28))
    surveys = db.session.scalars(select(FollowUpSurvey).order_by(FollowUpSurvey.id)).all()
    assert [(s.months_after, s.due_on) for s in surveys] == [(3, date(2025, 11, 30))] * 3 + [
        (6, date(2026, 2, 28))
    ] * 3
    assert len(_mails()) == 6
