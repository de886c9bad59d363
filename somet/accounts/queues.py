"""Each role's work queue: what waits for this user, oldest first, and the menu's badges.

The features read their own items (``<feature>.queries``); this module only puts a role's
items together. The badge counters run on every page that draws the menu, so each is one
statement, whatever the amount of data.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select

from somet.accounts.director_queue import HOME_ROWS, WAITING, by_cohort_queues
from somet.attendance.queries import counts_from_rows, weeks_from_rows, weeks_to_record_beside
from somet.certificates.queries import without_certificate_count
from somet.cohorts.queries import cohorts_starting_soon, doctors_not_ready
from somet.core.workdays import week_start
from somet.documents.queries import (
    documents_from_rows,
    documents_to_provide,
    documents_to_review,
    to_review_count,
    trip_documents_beside,
)
from somet.evaluations.queries import (
    doctor_to_answer_count,
    hospital_waiting_on_coordinators,
    hospital_waiting_on_coordinators_count,
)
from somet.followup.queries import open_surveys_for_doctor
from somet.models import (
    EnrollmentStatus,
    Hospital,
    PlacementStatus,
    RegistrationStatus,
    User,
    utcnow,
)
from somet.portal.queries import (
    arrivals_at,
    doctor_home,
    invitations_to_answer_count,
    visitors_on_site_count,
)
from somet.requests.queries import (
    declines_to_replan_count,
    unsent_count,
    waiting_count,
    waiting_on_hosts,
)
from somet.travel.queries import flagged_travellers
from somet.web.extensions import db
from somet.webhooks.queries import failed_deliveries as failed_webhook_deliveries

HOME, DOCUMENTS, MY_DOCUMENTS = (
    "home.index",
    "documents.list_overview",
    "documents.list_my_documents",
)
REQUESTS, ATTENDANCE = "requests.list_requests", "attendance.list_weeks"
MY_EVALUATIONS = "evaluations.list_my_evaluations"
HOSPITAL_EVALUATIONS = "evaluations.list_hospital_evaluations"


def _total(items) -> int:
    return sum(item.count for item in items)


# --- director and admin ---------------------------------------------------------------------


# The home's queues that a large centre makes long (every coming cohort); "Show all" (the
# ``every`` argument names one) lists every row.
NOT_READY, STARTING = "not-ready", "starting"


def staff_queue(now: datetime, every: str | None = None) -> dict:
    """Everything a director follows: hosts, plans, documents, certificates, cohorts. The
    requests waiting on hosts, the cohorts with doctors not ready and the cohorts starting
    soon list their first ``HOME_ROWS`` rows, unless ``every`` names that queue; the
    ``*_total`` and ``*_rows`` entries say how many there are in all."""
    today = now.date()
    review_count, to_review = documents_to_review()
    not_ready = doctors_not_ready(today)
    starting = cohorts_starting_soon(today, {c.cohort_id: c.count for c in not_ready})
    queue = {
        # waiting, declines, unsent, uncertified: one statement
        **by_cohort_queues(now, every == WAITING),
        "review_count": review_count,
        "to_review": to_review,
        "not_ready": not_ready if every == NOT_READY else not_ready[:HOME_ROWS],
        "not_ready_total": _total(not_ready),
        "not_ready_rows": len(not_ready),
        "starting": starting if every == STARTING else starting[:HOME_ROWS],
        "starting_rows": len(starting),
        # travel: a refused visa or a passport expiring before departure (one statement)
        "travel_flags": flagged_travellers(today),
    }
    queue["badges"] = staff_badges(
        _total(queue["declines"]),
        _total(queue["unsent"]),
        review_count,
        _total(queue["uncertified"]),
    )
    return queue


def admin_queue(now: datetime, every: str | None = None) -> dict:
    """The director's queues and the integrations only an administrator can put right."""
    return {**staff_queue(now, every), "failed_webhooks": failed_webhook_deliveries()}


def staff_counts(user: User) -> dict[str, int]:
    """The director's badges: work that is theirs to do. One statement (a page usually has
    them already: they come with the signed-in user, ``accounts.sessions``)."""
    return staff_badges(*db.session.execute(select(*staff_badge_columns())).one())


def staff_badge_columns() -> list:
    """The director's four counts (``staff_badges``' arguments), as scalar subqueries without
    parameters: the menu's badges on every page a director opens."""
    return [
        declines_to_replan_count(),
        unsent_count(),
        to_review_count(),
        without_certificate_count(),
    ]


def staff_badges(declines: int, unsent: int, to_review: int, uncertified: int) -> dict:
    return {HOME: declines + unsent + to_review + uncertified, DOCUMENTS: to_review}


# --- coordinator ----------------------------------------------------------------------------


def coordinator_queue(user: User, now: datetime) -> dict:
    """The host's work: requests to answer, who arrives, attendance to record, who is here."""
    hospital = db.session.get(Hospital, user.hospital_id)
    today = now.astimezone(ZoneInfo(hospital.timezone)).date()
    this_week = week_start(today, hospital.weekday_numbers)
    waiting = waiting_on_hosts(now, hospital.id, shown=HOME_ROWS)
    queue = {
        "hospital": hospital,
        "waiting": waiting.groups,  # the oldest; the requests page lists every one
        "waiting_total": waiting.requests,
        "waiting_groups": waiting.all_groups,
        "arrivals": arrivals_at(hospital.id, this_week, this_week + timedelta(days=13)),
        **_weeks_and_on_site(hospital, today),
        "evaluations": hospital_waiting_on_coordinators(hospital.id, now),
        "today": today,
    }
    queue["badges"] = _coordinator_badges(
        waiting.requests, len(queue["weeks"]), len(queue["evaluations"])
    )
    return queue


def _weeks_and_on_site(hospital: Hospital, today: date) -> dict:
    """The weeks to record and how many visiting doctors are here today: one statement."""
    parameters = {"hospital_id": hospital.id, "today": today}
    rows = db.session.execute(_coordinator_home_statement(), parameters).all()
    on_site, _ = counts_from_rows(rows)
    return {"weeks": weeks_from_rows(rows, hospital.weekday_numbers, today), "on_site": on_site}


@cache
def _coordinator_home_statement():
    """Built once (parameters: ``hospital_id``, ``today``)."""
    return weeks_to_record_beside(
        visitors_on_site_count(bindparam("hospital_id"), bindparam("today"))
    )


def coordinator_counts(user: User) -> dict[str, int]:
    """The coordinator's badges: requests to answer, attendance weeks to record, evaluations
    only the coordinators can answer. One statement (the hospital comes with the signed-in
    user): the weeks' rows, tallied by the attendance page's own rule, and both counts."""
    hospital = db.session.get(Hospital, user.hospital_id)
    now = utcnow()
    today = now.astimezone(ZoneInfo(hospital.timezone)).date()
    parameters = {"hospital_id": hospital.id, "today": today, "now": now}
    rows = db.session.execute(_coordinator_badge_statement(), parameters).all()
    weeks = weeks_from_rows(rows, hospital.weekday_numbers, today)
    waiting, evaluations = counts_from_rows(rows)
    return _coordinator_badges(waiting, len(weeks), evaluations)


@cache
def _coordinator_badge_statement():
    """The coordinator's badge statement, built once (parameters: ``hospital_id``, ``today``,
    ``now``): it runs on every page a coordinator opens."""
    hospital_id = bindparam("hospital_id")
    return weeks_to_record_beside(
        waiting_count(hospital_id),
        hospital_waiting_on_coordinators_count(hospital_id, bindparam("now")),
    )


def _coordinator_badges(waiting: int, weeks: int, evaluations: int = 0) -> dict:
    return {
        HOME: waiting + weeks + evaluations,
        REQUESTS: waiting,
        ATTENDANCE: weeks,
        HOSPITAL_EVALUATIONS: evaluations,
    }


# --- doctor ---------------------------------------------------------------------------------


def doctor_queue(user: User, now: datetime) -> dict:
    """The doctor's programme (``portal``) with what the doctor must do first."""
    home = doctor_home(user.doctor_id, now)
    today = now.date()
    upcoming = [e for e in home["enrollments"] if e.cohort_end >= today]
    to_confirm = [e for e in upcoming if e.status == EnrollmentStatus.INVITED]
    # No trip still to make (or under way): no documents to ask for, and no statement to run.
    travelling = any(e.status in EnrollmentStatus.TRAVELLING for e in upcoming)
    documents = documents_to_provide(user.doctor_id, today) if travelling else []
    # Evaluations follow completed rotations, surveys ended cohorts: none yet, no statement.
    rotated = any(p.status == PlacementStatus.COMPLETED for p in home["placements"])
    ended = any(e.cohort_end < today for e in home["enrollments"])
    evaluations = home["evaluations_to_answer"] if rotated else []
    home.update(
        documents_to_provide=documents,
        to_confirm=to_confirm,
        evaluations_to_answer=evaluations,
        # alumni: what came home
        follow_ups=open_surveys_for_doctor(user.doctor_id, now) if ended else [],
        next_masterclass=_next_masterclass(home["registrations"], now),
        badges=doctor_badges(len(documents), len(to_confirm), len(evaluations)),
    )
    return home


def doctor_counts(user: User) -> dict[str, int]:
    """The doctor's badges: documents to send, invitations and evaluations to answer. One
    statement: both counts beside the trip documents' rows, which the rules then judge (a
    page usually has them already: they come with the signed-in user, ``accounts.sessions``)."""
    now = utcnow()
    parameters = {"doctor_id": user.doctor_id, "today": now.date(), "now": now}
    rows = db.session.execute(doctor_badge_statement(), parameters).mappings().all()
    return doctor_badges_from_rows(rows, now.date())


def doctor_badges_from_rows(rows, today: date) -> dict[str, int]:
    """The doctor's badges from the rows of ``doctor_badge_statement`` (as mappings)."""
    documents = documents_from_rows(rows, today)
    return doctor_badges(len(documents), rows[0]["to_confirm"], rows[0]["evaluations"])


@cache
def doctor_badge_statement():
    """The doctor's badge statement, built once (parameters: ``doctor_id``, ``today``,
    ``now``): it runs on every page a doctor opens."""
    return doctor_badges_of(None)


def doctor_badges_of(doctor_id):
    """The doctor's badge statement for ``doctor_id``, an expression (None: the parameter
    ``doctor_id``), with the parameters ``today`` and ``now``."""
    return trip_documents_beside(
        invitations_to_answer_count(doctor_id).label("to_confirm"),
        doctor_to_answer_count(doctor_id).label("evaluations"),
        doctor_id=doctor_id,
    )


def doctor_badges(documents: int, to_confirm: int, evaluations: int = 0) -> dict:
    """The doctor's menu badges from their counts (the documents page counts its own)."""
    return {
        HOME: documents + to_confirm + evaluations,
        MY_DOCUMENTS: documents,
        MY_EVALUATIONS: evaluations,
    }


def _next_masterclass(registrations, now: datetime):
    upcoming = [
        r
        for r in registrations
        if r.status in RegistrationStatus.CANCELLABLE and r.starts_at >= now
    ]
    return min(upcoming, key=lambda r: r.starts_at, default=None)


def days_since(moment: datetime | None, now: datetime) -> int:
    """Whole days from ``moment`` to ``now`` (0 for none)."""
    return (now - moment).days if moment else 0


def days_until(day: date, today: date) -> int:
    return (day - today).days
