"""The follow-up messages (through the notification outbox), in the doctor's language.

A doctor with an active login reads in the language of that login (and finds the message
among the app's notifications too); one without, in ``Doctor.preferred_language``, at the
doctor's own e-mail address (``notifications.operations.recipient_for_doctor``).
"""

from __future__ import annotations

from sqlalchemy import select

from somet.models import Doctor, FollowUpSurvey, User
from somet.notifications.operations import Recipient, notify, recipient_for_doctor
from somet.web.extensions import db

SURVEY_KIND, REMINDER_KIND = "follow_up_survey", "follow_up_reminder"


def logins_of(doctor_ids) -> dict[int, User]:
    """Each doctor's login, by doctor id (one statement)."""
    users = db.session.scalars(select(User).where(User.doctor_id.in_(set(doctor_ids))))
    return {user.doctor_id: user for user in users}


def recipient_of(doctor: Doctor, login: User | None) -> Recipient | None:
    return recipient_for_doctor(doctor, login)


def survey_language(doctor: Doctor, login: User | None) -> str:
    """The language a survey is asked in: the login's, else the doctor's preferred one."""
    if login is not None and login.active:
        return login.language.value
    return doctor.preferred_language.value


def send_survey(survey: FollowUpSurvey, recipient: Recipient, cohort, link: str) -> bool:
    """The survey's e-mail (and in-app notice), once per survey."""
    sent = notify(
        recipient,
        SURVEY_KIND,
        f"follow-up:{survey.id}",
        survey=survey,
        cohort=cohort,
        link=link,
    )
    return sent is not None


def send_reminder(
    survey: FollowUpSurvey, recipient: Recipient, cohort, link: str, dedup_key: str
) -> bool:
    """A reminder of an unanswered survey, once per ``dedup_key``."""
    sent = notify(
        recipient,
        REMINDER_KIND,
        dedup_key,
        survey=survey,
        cohort=cohort,
        link=link,
    )
    return sent is not None
