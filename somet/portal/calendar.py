"""A doctor's iCalendar feed: confirmed placements, registered masterclasses, flights, hotels.

Placements are all-day events spanning their dates: the dates are the hospital's local
dates, and an all-day event shows on the same dates in any viewer's time zone. Masterclasses
are timed events in their own zone (TZID plus a VTIMEZONE block). UIDs are stable per
placement / masterclass; SEQUENCE is derived from ``updated_at`` of the placement (or the
registration, which the masterclass service touches on every edit), so it grows whenever
the plan changes and calendar apps replace the old copy. Flights are timed events in UTC
(their real start and end, whatever zones the airports are in); hotel stays are all-day
events from check-in to check-out (the day of check-out is exclusive, as the night before it
is the last one). One statement per kind of event.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import get_timezone_location
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select

from somet.models import Doctor, RegistrationStatus, User
from somet.portal.queries import programme_of, registrations_of
from somet.travel import queries as travel
from somet.web.extensions import db

PRODID = "-//SOMET//Visiting doctor's programme//EN"
# Seconds since this moment fit a 32-bit SEQUENCE for a century.
_SEQUENCE_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


def sequence_of(updated_at: datetime | None) -> int:
    """A SEQUENCE number that increases with every change of the object."""
    if updated_at is None:
        return 0
    return max(int((updated_at - _SEQUENCE_EPOCH).total_seconds()), 0)


def subscribe_links(feed_url: str) -> dict[str, str]:
    """Where each calendar app takes the feed: ``webcal://`` opens the phone's or the Mac's
    own calendar app with a subscription ready to confirm; Google Calendar takes it as the
    ``cid`` of its "add by URL" page (it fetches the feed itself, from the internet)."""
    webcal = "webcal://" + feed_url.split("://", 1)[1]
    return {
        "feed": feed_url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}),
    }


def doctor_for_token(token: str) -> Doctor | None:
    """The doctor whose current (not revoked) feed token this is."""
    if not token:
        return None
    return db.session.scalar(select(Doctor).where(Doctor.calendar_token == token))


def feed_language(doctor: Doctor) -> str:
    """The language the doctor reads SOMET in (their login's), else the roster's."""
    chosen = db.session.scalar(select(User.language).where(User.doctor_id == doctor.id))
    return (chosen or doctor.preferred_language).value


def calendar_for(doctor: Doctor, uid_domain: str, *, stamp: datetime | None = None) -> bytes:
    """The doctor's feed as iCalendar bytes, its texts in the doctor's language.

    ``uid_domain`` is the public host's name: UIDs must be globally unique (RFC 5545).
    """
    language = feed_language(doctor)
    with force_locale(language):
        return _calendar(doctor, uid_domain, language, stamp or datetime.now(UTC))


def _calendar(doctor: Doctor, uid_domain: str, language: str, stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"SOMET — {doctor.latin_name}")
    for placement in programme_of(doctor.id).placements:
        if placement.fixed:
            calendar.add_component(_placement_event(placement, stamp, uid_domain, language))
    for registration in registrations_of(doctor.id, RegistrationStatus.HOLDING):
        calendar.add_component(_masterclass_event(registration, stamp, uid_domain))
    for leg in travel.feed_legs(doctor.id):
        calendar.add_component(_flight_event(leg, stamp, uid_domain))
    for stay in travel.feed_stays(doctor.id):
        calendar.add_component(_hotel_event(stay, stamp, uid_domain))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _place(*parts: str | None) -> str:
    """Address parts joined, leaving out one that an earlier part already names."""
    kept: list[str] = []
    for part in parts:
        if part and not any(part.casefold() in earlier.casefold() for earlier in kept):
            kept.append(part)
    return ", ".join(kept)


def _placement_event(placement, stamp: datetime, uid_domain: str, language: str) -> Event:
    event = Event()
    event.add("uid", f"placement-{placement.id}@{uid_domain}")
    event.add("dtstamp", stamp)
    event.add("sequence", sequence_of(placement.updated_at))
    event.add("summary", f"{placement.rotation} — {placement.department}, {placement.hospital}")
    event.add("dtstart", placement.start_date)
    event.add("dtend", placement.end_date + timedelta(days=1))  # DTEND of a date is exclusive
    event.add("location", _place(placement.address, placement.city))
    event.add("transp", "OPAQUE")
    event.add("status", "CONFIRMED")
    lines = [
        _("Department: %(name)s", name=placement.department),
        _("Hospital: %(name)s", name=placement.hospital),
    ]
    if placement.supervisor_name:
        lines.append(_("Supervisor: %(name)s", name=placement.supervisor_name))
    if placement.supervisor_email:
        lines.append(_("Supervisor e-mail: %(email)s", email=placement.supervisor_email))
    lines.append(_("Programme: %(name)s", name=placement.cohort_name))
    city = get_timezone_location(ZoneInfo(placement.timezone), locale=language, return_city=True)
    lines.append(_("Local time: %(city)s", city=city))
    event.add("description", "\n".join(lines))
    return event


def _masterclass_event(masterclass, stamp: datetime, uid_domain: str) -> Event:
    zone = ZoneInfo(masterclass.timezone)
    event = Event()
    event.add("uid", f"masterclass-{masterclass.masterclass_id}@{uid_domain}")
    event.add("dtstamp", stamp)
    event.add("sequence", sequence_of(masterclass.updated_at))  # the registration's
    event.add("summary", _("Masterclass: %(title)s", title=masterclass.title))
    event.add("dtstart", masterclass.starts_at.astimezone(zone))
    event.add("dtend", masterclass.ends_at.astimezone(zone))
    event.add("location", _place(masterclass.venue, masterclass.city, masterclass.country))
    event.add("status", "CONFIRMED")
    lead = masterclass.lead_specialist
    if masterclass.lead_title:
        lead = f"{lead}, {masterclass.lead_title}"
    lines = [
        _("Led by %(lead)s. Credit hours: %(hours)s.", lead=lead,
          hours=f"{masterclass.credit_hours:g}"),
    ]
    if masterclass.video_url:  # remote attendees join from the calendar entry
        event.add("url", masterclass.video_url)
        lines.append(_("Video link: %(url)s", url=masterclass.video_url))
    event.add("description", "\n".join(lines))
    return event


def _flight_event(leg, stamp: datetime, uid_domain: str) -> Event:
    event = Event()
    event.add("uid", f"flight-{leg.id}@{uid_domain}")
    event.add("dtstamp", stamp)
    event.add("sequence", sequence_of(leg.updated_at))
    event.add("summary", f"{leg.carrier} {leg.flight_number} {leg.from_airport}→{leg.to_airport}")
    event.add("dtstart", leg.departs_at)
    event.add("dtend", leg.arrives_at)
    event.add("location", leg.from_airport)
    event.add("status", "CONFIRMED")
    lines = [_("Programme: %(name)s", name=leg.cohort_name)]
    if leg.booking_reference:
        lines.append(_("Booking reference: %(code)s", code=leg.booking_reference))
    event.add("description", "\n".join(lines))
    return event


def _hotel_event(stay, stamp: datetime, uid_domain: str) -> Event:
    event = Event()
    event.add("uid", f"hotel-{stay.id}@{uid_domain}")
    event.add("dtstamp", stamp)
    event.add("summary", _("Hotel: %(name)s", name=stay.hotel_name))
    event.add("dtstart", stay.check_in)
    event.add("dtend", stay.check_out)  # the check-out day: exclusive, the last night before
    event.add("location", stay.address)
    event.add("transp", "TRANSPARENT")  # a night at a hotel does not make the doctor busy
    lines = [_("Programme: %(name)s", name=stay.cohort_name)]
    if stay.room:
        lines.append(_("Room: %(room)s", room=stay.room))
    if stay.phone:
        lines.append(_("Hotel phone: %(phone)s", phone=stay.phone))
    event.add("description", "\n".join(lines))
    return event

