"""The director's four by-cohort queues in one statement (``queues.staff_queue``).

Requests waiting on hosts, declines to re-plan, plans ready to send and cohorts ended without
a certificate are each a short grouped list; one UNION ALL reads them in one round trip, each
branch keeping its own order (``row_number``) and the features keeping their conditions.
"""

from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    cast,
    literal_column,
    null,
    or_,
    select,
    union_all,
)

from somet.certificates.queries import CohortWithoutCertificates, without_certificate_rows
from somet.requests.queries import (
    CohortPlacements,
    declines_to_replan_rows,
    plans_ready_to_send_rows,
    waiting_from,
    waiting_on_hosts_rows,
)
from somet.web.extensions import db

WAITING, DECLINES, UNSENT, UNCERTIFIED = "waiting", "declines", "unsent", "uncertified"
_QUEUES = (WAITING, DECLINES, UNSENT, UNCERTIFIED)
# The home shows the oldest groups of requests waiting on hosts (a large centre has a hundred
# hosts × cohorts at a time); "Show all" lists every one.
HOME_ROWS = 10


def by_cohort_queues(now: datetime, every_waiting: bool = False) -> dict:
    """The four lists by queue name, each in its own order, the requests waiting on hosts
    only their ``HOME_ROWS`` oldest groups (unless ``every_waiting``), with ``waiting_total``
    requests and ``waiting_groups`` groups in all. One statement."""
    found: dict = {name: [] for name in _QUEUES}
    found.update(waiting_total=0, waiting_groups=0)
    for row in db.session.execute(_statement(every_waiting)):
        name = _QUEUES[row.queue]
        if name == WAITING:
            found.update(waiting_total=row.total, waiting_groups=row.groups)
            found[name].append(
                waiting_from(
                    (row.hospital_id, row.hospital_name),
                    (row.cohort_id, row.cohort_name),
                    row.items,
                    row.since,
                    now,
                )
            )
        elif name == UNCERTIFIED:
            found[name].append(
                CohortWithoutCertificates(row.cohort_id, row.cohort_name, row.items, row.ended_on)
            )
        else:
            found[name].append(
                CohortPlacements(row.cohort_id, row.cohort_name, row.items, row.since)
            )
    return found


# The statement's columns by name, each with its type for the branches that lack it (NULL).
_COLUMNS = {
    "hospital_id": Integer,
    "hospital_name": String,
    "cohort_id": Integer,
    "cohort_name": String,
    "items": Integer,
    "since": DateTime(timezone=True),
    "ended_on": Date,
    "position": Integer,
    "groups": Integer,
    "total": Integer,
}


@functools.cache
def _statement(every_waiting: bool):
    """Built once each, without parameters: the same text on every request (kept prepared).
    Each branch's columns are taken by name (``<feature>.queries.*_rows`` label theirs)."""

    def branch(queue: str, rows):
        rows = rows.subquery()
        return select(
            literal_column(str(_QUEUES.index(queue)), Integer).label("queue"),
            *(
                (rows.c[name] if name in rows.c else cast(null(), type_)).label(name)
                for name, type_ in _COLUMNS.items()
            ),
        )

    every = union_all(
        branch(WAITING, waiting_on_hosts_rows()),
        branch(DECLINES, declines_to_replan_rows()),
        branch(UNSENT, plans_ready_to_send_rows()),
        branch(UNCERTIFIED, without_certificate_rows()),
    ).subquery()
    statement = select(every).order_by(every.c.queue, every.c.position)
    if every_waiting:
        return statement
    waiting = literal_column(str(_QUEUES.index(WAITING)), Integer)
    shown = literal_column(str(HOME_ROWS), Integer)
    return statement.where(or_(every.c.queue != waiting, every.c.position <= shown))
