"""Demo: last year's cohort's 3-month follow-up, played through the operations as of its days.

The daily job of the day the survey came due (three months after the cohort's end) sent it;
three doctors answered within days through their one-tap links, the reminder of a week later
went to the two who had not (Yerbol Dzhaksybekov and Ainur Sultanbekova), and they still have
not answered: the director's non-responder list shows them, with the "remind" buttons. Their
links have expired by now; a director's reminder renews them.

A demo loaded before that story could have happened (the real date earlier than a week after
the survey came due) plays none of it: the daily job sends the survey when it is due.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from somet.demo import data
from somet.followup import operations as followup
from somet.followup import queries as follow_up_answers
from somet.jobs import operations as jobs
from somet.models import Cohort, utcnow
from somet.web.extensions import db

JOB_TIME = time(2, 30)  # the job's usual time (UTC)
REMINDED_AFTER = timedelta(days=7)
# What the doctors who answered wrote, in the order of the roster (the others did not answer).
ANSWERS = [
    followup.Answers(
        "Регионарная анестезия под контролем УЗИ (блокады плечевого сплетения и TAP-блок)",
        46, 4, True, "Очень полезная стажировка, хотелось бы вернуться на курс по ЭКМО.",
    ),
    followup.Answers(
        "Лапароскопическая холецистэктомия по протоколу быстрого восстановления (ERAS)",
        31, 3, True, "",
    ),
    followup.Answers(
        "Чек-лист безопасности хирургической операции ВОЗ в операционной",
        120, 9, True, "Чек-лист теперь используется во всём отделении.",
    ),
]  # fmt: skip


def play_follow_up(now: datetime | None = None) -> None:
    """Send the past cohort's 3-month survey, answer most of it, remind the others."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == data.PAST_COHORT["name"]))
    due = followup.due_on(cohort.end_date, 3)
    sent_at = datetime.combine(due, JOB_TIME, UTC)
    if (now or utcnow()) < sent_at + REMINDED_AFTER:
        return  # not yet: the real job sends it when it is due
    jobs.execute_scheduled("follow-up-surveys", sent_at, runner="demo loader", now=sent_at)
    surveys = follow_up_answers.cohort_surveys(cohort.id)
    by_enrollment = sorted(surveys, key=lambda survey: survey.enrollment_id)
    for day, (survey, answers) in enumerate(zip(by_enrollment, ANSWERS, strict=False), 1):
        token = followup.survey_token(survey)
        followup.answer_survey(token, answers, now=sent_at + timedelta(days=day, hours=7))
    followup.send_automatic_reminders(sent_at + REMINDED_AFTER)
    db.session.commit()
