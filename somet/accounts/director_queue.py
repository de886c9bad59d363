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


def by_cohort_queues(now: datetime) -> dict[str, list]:
    """The four lists by queue name, each in its own order. One statement."""
    found: dict[str, list] = {name: [] for name in _QUEUES}
    for row in db.session.execute(_statement()):
        name = _QUEUES[row.queue]
        if name == WAITING:
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


def _no(type_):
    return cast(null(), type_)


@functools.cache
def _statement():
    """Built once, without parameters: the same text on every request (kept prepared)."""
    waiting = waiting_on_hosts_rows().subquery()
    declines = declines_to_replan_rows().subquery()
    unsent = plans_ready_to_send_rows().subquery()
    uncertified = without_certificate_rows().subquery()

    def branch(
        queue: str,
        hospital_id,
        hospital_name,
        cohort_id,
        cohort_name,
        count,
        since,
        ended_on,
        position,
    ):
        return select(
            literal_column(str(_QUEUES.index(queue)), Integer).label("queue"),
            hospital_id.label("hospital_id"),
            hospital_name.label("hospital_name"),
            cohort_id.label("cohort_id"),
            cohort_name.label("cohort_name"),
            count.label("items"),
            since.label("since"),
            ended_on.label("ended_on"),
            position.label("position"),
        )

    no_hospital = (_no(Integer), _no(String))
    placements = [
        branch(name, *no_hospital, *list(rows.c)[:4], _no(Date), list(rows.c)[4])
        for name, rows in ((DECLINES, declines), (UNSENT, unsent))
    ]
    c = list(uncertified.c)
    every = union_all(
        branch(WAITING, *list(waiting.c)[:6], _no(Date), list(waiting.c)[6]),
        *placements,
        branch(
            UNCERTIFIED, *no_hospital, c[0], c[1], c[2], _no(DateTime(timezone=True)), c[3], c[4]
        ),
    ).subquery()
    return select(every).order_by(every.c.queue, every.c.position)
