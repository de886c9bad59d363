"""A doctor's iCalendar feed: confirmed placements and registered masterclasses.

Placements are all-day events spanning their dates: the dates are the hospital's local
dates, and an all-day event shows on the same dates in any viewer's time zone. Masterclasses
are timed events in their own zone (TZID plus a VTIMEZONE block). UIDs are stable per
placement / masterclass; SEQUENCE is derived from ``updated_at`` of the placement (or the
registration, which the masterclass service touches on every edit), so it grows whenever
the plan changes and calendar apps replace the old copy.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select

from somet.models import Doctor, RegistrationStatus
from somet.portal.queries import programme_of, registrations_of
from somet.web.extensions import db

PRODID = "-//SOMET//Visiting doctor's programme//EN"
UID_DOMAIN = "somet"
# Seconds since this moment fit a 32-bit SEQUENCE for a century.
_SEQUENCE_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def sequence_of(updated_at: datetime | None) -> int:
    """A SEQUENCE number that increases with every change of the object."""
    if updated_at is None:
        return 0
    return max(int((updated_at - _SEQUENCE_EPOCH).total_seconds()), 0)


def doctor_for_token(token: str) -> Doctor | None:
    """The doctor whose current (not revoked) feed token this is."""
    if not token:
        return None
    return db.session.scalar(select(Doctor).where(Doctor.calendar_token == token))


def calendar_for(doctor: Doctor, *, stamp: datetime | None = None) -> bytes:
    """The doctor's feed as iCalendar bytes (two queries)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"SOMET — {doctor.latin_name}")
    stamp = stamp or datetime.now(UTC)
    for placement in programme_of(doctor.id).placements:
        if placement.fixed:
            calendar.add_component(_placement_event(placement, stamp))
    for registration in registrations_of(doctor.id, RegistrationStatus.HOLDING):
        calendar.add_component(_masterclass_event(registration, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _placement_event(placement, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"placement-{placement.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", sequence_of(placement.updated_at))
    event.add("summary", f"{placement.rotation} — {placement.department}, {placement.hospital}")
    event.add("dtstart", placement.start_date)
    event.add("dtend", placement.end_date + timedelta(days=1))  # DTEND of a date is exclusive
    event.add("location", ", ".join(p for p in (placement.address, placement.city) if p))
    event.add("transp", "OPAQUE")
    event.add("status", "CONFIRMED")
    lines = [f"Department: {placement.department}", f"Hospital: {placement.hospital}"]
    if placement.supervisor_name:
        lines.append(f"Supervisor: {placement.supervisor_name}")
    if placement.supervisor_email:
        lines.append(f"Supervisor e-mail: {placement.supervisor_email}")
    lines.append(f"Programme: {placement.cohort_name}")
    lines.append(f"Local time zone: {placement.timezone}")
    event.add("description", "\n".join(lines))
    return event


def _masterclass_event(masterclass, stamp: datetime) -> Event:
    zone = ZoneInfo(masterclass.timezone)
    event = Event()
    event.add("uid", f"masterclass-{masterclass.masterclass_id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", sequence_of(masterclass.updated_at))  # the registration's
    event.add("summary", f"Masterclass: {masterclass.title}")
    event.add("dtstart", masterclass.starts_at.astimezone(zone))
    event.add("dtend", masterclass.ends_at.astimezone(zone))
    event.add("location", f"{masterclass.venue}, {masterclass.city}, {masterclass.country}")
    event.add("status", "CONFIRMED")
    lead = masterclass.lead_specialist
    if masterclass.lead_title:
        lead = f"{lead}, {masterclass.lead_title}"
    event.add("description", f"Led by {lead}. Credit hours: {masterclass.credit_hours:g}.")
    return event
