"""Changing a cohort's itinerary: flight legs, transfers, hotel stays and rooms, the emergency
contact, and a whole itinerary imported from a workbook.

One operation per action, used by the pages, the import and the demo alike. Each save tells
the doctors it reaches, in their language, one message per save: a doctor's own leg or
transfer reaches that doctor; the group's reaches every doctor travelling on the group's
(not those with their own); a hotel change reaches the doctors with a room there; an import
reaches the whole roster. ``notify_doctors`` is off only where nobody is to be told (the
demo's itinerary, entered before anyone travels).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import delete, select

from somet.audit.operations import record_event
from somet.core.errors import NotFound, ValidationFailed
from somet.core.problems import Problem, ProblemsFound
from somet.models import (
    Cohort,
    Enrollment,
    FlightLeg,
    HotelStay,
    RoomBooking,
    Transfer,
    User,
)
from somet.travel import messages, queries, rules
from somet.travel.itinerary_files import read_itinerary
from somet.travel.rules import LegInput, RoomInput, StayInput, TransferInput  # the demo's too
from somet.web.access import require_staff
from somet.web.extensions import db


class TravelInvalid(ValidationFailed):
    """Input that breaks a travel rule; ``found`` lists (field, problem)."""

    def __init__(self, found: list[tuple[str, Problem]]):
        super().__init__(_("Please correct the fields marked below."))
        self.found = found


class ImportRefused(ValidationFailed):
    """A workbook with problems: nothing was saved; ``problems`` name sheet, row, column."""

    def __init__(self, problems: Iterable[Problem]):
        super().__init__(_("The file has problems; nothing was saved."))
        self.problems = list(problems)


def _cohort(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(_("There is no such cohort."))
    return cohort


def _enrollment(cohort_id: int, enrollment_id: int | None) -> int | None:
    """The enrollment id if it is this cohort's (None: the group)."""
    if enrollment_id is None:
        return None
    found = db.session.scalar(
        select(Enrollment.id).where(
            Enrollment.id == enrollment_id, Enrollment.cohort_id == cohort_id
        )
    )
    if found is None:
        raise NotFound(_("That doctor is not in this cohort."))
    return found


def _check(found: list) -> None:
    if found:
        raise TravelInvalid(found)


# --- flight legs ------------------------------------------------------------------------------


def save_leg(
    actor: User,
    cohort_id: int,
    leg: LegInput,
    *,
    leg_id: int | None = None,
    enrollment_id: int | None = None,
    notify_doctors: bool = True,
) -> FlightLeg:
    """Add a flight leg (``leg_id`` None) or change one; the group's when no enrollment."""
    require_staff(actor)
    cohort = _cohort(cohort_id)
    enrollment_id = _enrollment(cohort.id, enrollment_id)
    _check(rules.leg_problems(leg))
    row = _leg(cohort.id, leg_id) if leg_id else FlightLeg(cohort_id=cohort.id)
    reached = _reached_by_leg(row) if leg_id else set()
    departs, arrives = rules.leg_times(leg)
    row.enrollment_id = enrollment_id
    row.carrier, row.flight_number = leg.carrier.strip(), leg.flight_number.strip()
    row.from_airport, row.to_airport = leg.from_airport.upper(), leg.to_airport.upper()
    row.departs_at, row.departure_timezone = departs, leg.departure_timezone.strip()
    row.arrives_at, row.arrival_timezone = arrives, leg.arrival_timezone.strip()
    row.booking_reference = (leg.booking_reference or "").strip() or None
    db.session.add(row)
    db.session.flush()
    reached |= _reached_by_leg(row)
    record_event(actor, "travel.leg_saved", row, cohort_id=cohort.id)
    _finish(cohort, reached, notify_doctors)
    return row


def delete_leg(actor: User, cohort_id: int, leg_id: int) -> None:
    require_staff(actor)
    cohort = _cohort(cohort_id)
    row = _leg(cohort.id, leg_id)
    reached = _reached_by_leg(row)
    record_event(actor, "travel.leg_deleted", row, cohort_id=cohort.id)
    db.session.delete(row)
    db.session.flush()
    _finish(cohort, reached, True)


def _leg(cohort_id: int, leg_id: int) -> FlightLeg:
    row = queries.leg_of(cohort_id, leg_id)
    if row is None:
        raise NotFound(_("There is no such flight in this cohort."))
    return row


def _reached_by_leg(row: FlightLeg) -> set[int]:
    return _reached(row.cohort_id, row.enrollment_id, FlightLeg)


def _reached(cohort_id: int, enrollment_id: int | None, model) -> set[int]:
    """Who a leg or transfer of ``enrollment_id`` (None: the group's) concerns."""
    if enrollment_id is not None:
        return {enrollment_id}
    everyone = [e.id for e in queries.travelling_enrollments(cohort_id)]
    return set(rules.group_travellers(everyone, queries.with_own(cohort_id, model)))


# --- transfers --------------------------------------------------------------------------------


def save_transfer(
    actor: User,
    cohort_id: int,
    transfer: TransferInput,
    *,
    transfer_id: int | None = None,
    enrollment_id: int | None = None,
    notify_doctors: bool = True,
) -> Transfer:
    require_staff(actor)
    cohort = _cohort(cohort_id)
    enrollment_id = _enrollment(cohort.id, enrollment_id)
    _check(rules.transfer_problems(transfer))
    row = _transfer(cohort.id, transfer_id) if transfer_id else Transfer(cohort_id=cohort.id)
    reached = _reached(cohort.id, row.enrollment_id, Transfer) if transfer_id else set()
    zone = transfer.timezone.strip()
    row.enrollment_id = enrollment_id
    row.departs_at, row.timezone = rules.to_utc(transfer.departs_local, zone), zone
    row.from_place, row.to_place = transfer.from_place.strip(), transfer.to_place.strip()
    row.details = (transfer.details or "").strip() or None
    db.session.add(row)
    db.session.flush()
    reached |= _reached(cohort.id, row.enrollment_id, Transfer)
    record_event(actor, "travel.transfer_saved", row, cohort_id=cohort.id)
    _finish(cohort, reached, notify_doctors)
    return row


def delete_transfer(actor: User, cohort_id: int, transfer_id: int) -> None:
    require_staff(actor)
    cohort = _cohort(cohort_id)
    row = _transfer(cohort.id, transfer_id)
    reached = _reached(cohort.id, row.enrollment_id, Transfer)
    record_event(actor, "travel.transfer_deleted", row, cohort_id=cohort.id)
    db.session.delete(row)
    db.session.flush()
    _finish(cohort, reached, True)


def _transfer(cohort_id: int, transfer_id: int) -> Transfer:
    row = queries.transfer_of(cohort_id, transfer_id)
    if row is None:
        raise NotFound(_("There is no such transfer in this cohort."))
    return row


# --- hotel stays and rooms --------------------------------------------------------------------


def save_stay(
    actor: User,
    cohort_id: int,
    stay: StayInput,
    *,
    stay_id: int | None = None,
    notify_doctors: bool = True,
) -> HotelStay:
    require_staff(actor)
    cohort = _cohort(cohort_id)
    _check(rules.stay_problems(stay))
    row = _stay(cohort.id, stay_id) if stay_id else HotelStay(cohort_id=cohort.id, rooms=[])
    row.hotel_name, row.address = stay.hotel_name.strip(), stay.address.strip()
    row.phone = (stay.phone or "").strip() or None
    row.check_in, row.check_out = stay.check_in, stay.check_out
    db.session.add(row)
    db.session.flush()
    record_event(actor, "travel.stay_saved", row, cohort_id=cohort.id)
    _finish(cohort, {room.enrollment_id for room in row.rooms}, notify_doctors)
    return row


def delete_stay(actor: User, cohort_id: int, stay_id: int) -> None:
    require_staff(actor)
    cohort = _cohort(cohort_id)
    row = _stay(cohort.id, stay_id)
    reached = {room.enrollment_id for room in row.rooms}
    record_event(actor, "travel.stay_deleted", row, cohort_id=cohort.id)
    db.session.delete(row)
    db.session.flush()
    _finish(cohort, reached, True)


def set_rooms(
    actor: User,
    cohort_id: int,
    stay_id: int,
    rooms: dict[int, RoomInput],
    *,
    notify_doctors: bool = True,
) -> int:
    """Give each enrollment in ``rooms`` its room at the stay (no room number: no bed there)
    and its own dates if they differ from the stay's; the same room number makes roommates.
    Tells the doctors whose booking changed; returns how many."""
    require_staff(actor)
    cohort = _cohort(cohort_id)
    row = _stay(cohort.id, stay_id)
    found = [
        (str(eid), fault)
        for eid, booking in rooms.items()
        for _f, fault in rules.room_problems(booking, row.check_in, row.check_out)
    ]
    _check(found)
    known = {e.id for e in queries.travelling_enrollments(cohort.id)}
    current = {booking.enrollment_id: booking for booking in row.rooms}
    changed: set[int] = set()
    for enrollment_id, wanted in rooms.items():
        if enrollment_id not in known:
            raise NotFound(_("That doctor is not in this cohort."))
        room = (wanted.room or "").strip() or None
        # A date equal to the stay's is the stay's: it follows the stay if that moves.
        dates = tuple(
            None if (mine == stays or room is None) else mine
            for mine, stays in ((wanted.check_in, row.check_in), (wanted.check_out, row.check_out))
        )
        booking = current.get(enrollment_id)
        if room is None and booking is not None:
            row.rooms.remove(booking)
        elif booking is None and room is not None:
            row.rooms.append(RoomBooking(enrollment_id=enrollment_id, room=room))
            row.rooms[-1].check_in, row.rooms[-1].check_out = dates
        elif booking is not None and (booking.room, booking.check_in, booking.check_out) != (
            room,
            *dates,
        ):
            booking.room, (booking.check_in, booking.check_out) = room, dates
        else:
            continue
        changed.add(enrollment_id)
    db.session.flush()
    if changed:
        record_event(actor, "travel.rooms_set", row, cohort_id=cohort.id, doctors=len(changed))
    _finish(cohort, changed, notify_doctors)
    return len(changed)


def _stay(cohort_id: int, stay_id: int) -> HotelStay:
    row = queries.stay_of(cohort_id, stay_id)
    if row is None:
        raise NotFound(_("There is no such hotel stay in this cohort."))
    return row


def set_emergency_contact(actor: User, cohort_id: int, contact: str | None) -> Cohort:
    """The cohort's emergency contact (a name and a phone the doctors call abroad)."""
    require_staff(actor)
    cohort = _cohort(cohort_id)
    contact = (contact or "").strip() or None
    if contact and len(contact) > 200:
        too_long = Problem("travel.too_long", {"value": contact, "limit": 200})
        raise TravelInvalid([("contact", too_long)])
    cohort.emergency_contact = contact
    record_event(actor, "travel.emergency_contact_set", cohort)
    db.session.commit()
    return cohort


# --- import -----------------------------------------------------------------------------------


def import_itinerary(
    actor: User,
    cohort_id: int,
    filename: str,
    content: bytes,
    *,
    notify_doctors: bool = True,
) -> dict[str, int]:
    """Replace the cohort's whole itinerary with the workbook's; a file with any problem
    saves nothing (``ImportRefused``). Returns the counts of what was saved."""
    require_staff(actor)
    cohort = _cohort(cohort_id)
    enrollments = queries.travelling_enrollments(cohort.id)
    doctors = {e.doctor.email.lower(): e.id for e in enrollments if e.doctor.email}
    try:
        itinerary = read_itinerary(filename, content, doctors)
    except ProblemsFound as refused:
        raise ImportRefused(refused.problems) from None
    stays_here = select(HotelStay.id).where(HotelStay.cohort_id == cohort.id)
    db.session.execute(delete(RoomBooking).where(RoomBooking.hotel_stay_id.in_(stays_here)))
    for model in (FlightLeg, Transfer, HotelStay):
        db.session.execute(delete(model).where(model.cohort_id == cohort.id))
    for enrollment_id, leg in itinerary.legs:
        departs, arrives = rules.leg_times(leg)
        db.session.add(
            FlightLeg(
                cohort_id=cohort.id, enrollment_id=enrollment_id, carrier=leg.carrier,
                flight_number=leg.flight_number, from_airport=leg.from_airport,
                to_airport=leg.to_airport, departs_at=departs,
                departure_timezone=leg.departure_timezone, arrives_at=arrives,
                arrival_timezone=leg.arrival_timezone, booking_reference=leg.booking_reference,
            )
        )  # fmt: skip
    for enrollment_id, transfer in itinerary.transfers:
        db.session.add(
            Transfer(
                cohort_id=cohort.id, enrollment_id=enrollment_id,
                departs_at=rules.to_utc(transfer.departs_local, transfer.timezone),
                timezone=transfer.timezone, from_place=transfer.from_place,
                to_place=transfer.to_place, details=transfer.details,
            )
        )  # fmt: skip
    stays = {}
    for stay in itinerary.stays:
        stays[stay.hotel_name.casefold()] = HotelStay(
            cohort_id=cohort.id, hotel_name=stay.hotel_name, address=stay.address,
            phone=stay.phone, check_in=stay.check_in, check_out=stay.check_out, rooms=[],
        )  # fmt: skip
        db.session.add(stays[stay.hotel_name.casefold()])
    for hotel, enrollment_id, booking in itinerary.rooms:
        stay = stays[hotel.casefold()]
        if all(b.enrollment_id != enrollment_id for b in stay.rooms):
            stay.rooms.append(
                RoomBooking(
                    enrollment_id=enrollment_id, room=booking.room,
                    check_in=booking.check_in, check_out=booking.check_out,
                )
            )  # fmt: skip
    db.session.flush()
    counts = {
        "legs": len(itinerary.legs),
        "transfers": len(itinerary.transfers),
        "stays": len(itinerary.stays),
        "rooms": len(itinerary.rooms),
    }
    record_event(actor, "travel.imported", cohort, filename=filename, **counts)
    _finish(cohort, {e.id for e in enrollments}, notify_doctors)
    return counts


def _finish(cohort: Cohort, reached: set[int], notify_doctors: bool) -> None:
    if notify_doctors and reached:
        messages.tell_doctors(cohort, reached)
    db.session.commit()


# Travel readiness (kept in its own module, offered here): the director's visa decisions.
from somet.travel.readiness_operations import record_visa_status  # noqa: E402, F401
