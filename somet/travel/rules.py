"""Travel rules on plain data: airport codes, time zones, local times, who travels on what.

A flight's times are entered as the local wall-clock time at each airport plus the airport's
IANA zone; they are stored in UTC and shown again in each airport's local time with its UTC
offset. A doctor with legs (or transfers) of their own travels on those instead of the
group's. No Flask, no database: problems are codes (``somet.core.problems``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from somet.core.problems import Problem, problem

IATA = re.compile(r"[A-Z]{3}")
MAP_SEARCH = "https://www.openstreetmap.org/search?query="
# The zone a user is offered for the airports SOMET's cohorts use; any IANA zone may be typed.
AIRPORT_ZONES = {
    "ALA": "Asia/Almaty",  # Almaty
    "NQZ": "Asia/Almaty",  # Astana
    "PLX": "Asia/Almaty",  # Semey (Abay region)
    "UKK": "Asia/Almaty",  # Oskemen
    "CIT": "Asia/Almaty",  # Shymkent
    "KGF": "Asia/Almaty",  # Karaganda
    "GUW": "Asia/Atyrau",  # Atyrau
    "SCO": "Asia/Aqtau",  # Aktau
    "TLV": "Asia/Jerusalem",  # Tel Aviv Ben Gurion
    "HFA": "Asia/Jerusalem",  # Haifa
    "IST": "Europe/Istanbul",
    "SAW": "Europe/Istanbul",
    "DXB": "Asia/Dubai",
    "AUH": "Asia/Dubai",
    "TAS": "Asia/Tashkent",
    "FRU": "Asia/Bishkek",
    "SVO": "Europe/Moscow",
    "FRA": "Europe/Berlin",
    "VIE": "Europe/Vienna",
    "WAW": "Europe/Warsaw",
}
# Lengths of the stored columns (somet/models/travel.py).
LIMITS = {
    "carrier": 80,
    "flight_number": 10,
    "booking_reference": 20,
    "from_place": 200,
    "to_place": 200,
    "details": 300,
    "hotel_name": 200,
    "address": 300,
    "phone": 40,
    "room": 20,
}


@dataclass(frozen=True)
class LegInput:
    carrier: str
    flight_number: str
    from_airport: str
    to_airport: str
    departs_local: datetime | None  # naive: the wall clock at the departure airport
    departure_timezone: str
    arrives_local: datetime | None
    arrival_timezone: str
    booking_reference: str | None = None


@dataclass(frozen=True)
class TransferInput:
    departs_local: datetime | None
    timezone: str
    from_place: str
    to_place: str
    details: str | None = None


@dataclass(frozen=True)
class StayInput:
    hotel_name: str
    address: str
    phone: str | None
    check_in: date | None
    check_out: date | None


@dataclass(frozen=True)
class RoomInput:
    """A doctor's bed at a hotel stay; dates left empty are the stay's."""

    room: str | None
    check_in: date | None = None
    check_out: date | None = None


Found = list[tuple[str, Problem]]  # (field name, what is wrong with it)


def valid_zone(name: str | None) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows (``Asia/Almaty``)."""
    if not name or name != name.strip() or ("/" not in name and name != "UTC"):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def airport_zone(code: str | None) -> str | None:
    """The time zone of a known airport, else None (the user types it)."""
    return AIRPORT_ZONES.get((code or "").strip().upper())


def to_utc(local: datetime, zone: str) -> datetime:
    """A wall-clock time in ``zone`` as an aware UTC datetime."""
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local_time(moment: datetime, zone: str) -> datetime:
    """A stored moment (naive means UTC) as the wall clock in ``zone``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone))


def offset_label(moment: datetime, zone: str) -> str:
    """The zone's UTC offset at ``moment``: ``UTC+05:00``, ``UTC+02:00``, ``UTC−03:30``."""
    offset = local_time(moment, zone).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _text(found: Found, field: str, value: str | None, *, required: bool = True) -> None:
    if not (value or "").strip():
        if required:
            found.append((field, problem("travel.missing")))
        return
    limit = LIMITS.get(field)
    if limit and len(value.strip()) > limit:
        found.append((field, problem("travel.too_long", value=value.strip(), limit=limit)))


def _zone(found: Found, field: str, value: str | None) -> None:
    if not (value or "").strip():
        found.append((field, problem("travel.missing")))
    elif not valid_zone(value.strip()):
        found.append((field, problem("travel.bad_zone", value=value.strip())))


def leg_problems(leg: LegInput) -> Found:
    """What is wrong with a flight leg, by field."""
    found: Found = []
    _text(found, "carrier", leg.carrier)
    _text(found, "flight_number", leg.flight_number)
    _text(found, "booking_reference", leg.booking_reference, required=False)
    for field in ("from_airport", "to_airport"):
        code = (getattr(leg, field) or "").strip()
        if not code:
            found.append((field, problem("travel.missing")))
        elif not IATA.fullmatch(code.upper()):
            found.append((field, problem("travel.bad_airport", value=code)))
    for field in ("departs_local", "arrives_local"):
        if getattr(leg, field) is None:
            found.append((field, problem("travel.missing")))
    _zone(found, "departure_timezone", leg.departure_timezone)
    _zone(found, "arrival_timezone", leg.arrival_timezone)
    if not found:
        departs, arrives = leg_times(leg)
        if arrives <= departs:
            found.append(("arrives_local", problem("travel.arrival_not_after_departure")))
    return found


def leg_times(leg: LegInput) -> tuple[datetime, datetime]:
    """(departure, arrival) in UTC; call only on a leg without problems."""
    return (
        to_utc(leg.departs_local, leg.departure_timezone.strip()),
        to_utc(leg.arrives_local, leg.arrival_timezone.strip()),
    )


def transfer_problems(transfer: TransferInput) -> Found:
    found: Found = []
    if transfer.departs_local is None:
        found.append(("departs_local", problem("travel.missing")))
    _zone(found, "timezone", transfer.timezone)
    _text(found, "from_place", transfer.from_place)
    _text(found, "to_place", transfer.to_place)
    _text(found, "details", transfer.details, required=False)
    return found


def stay_problems(stay: StayInput) -> Found:
    found: Found = []
    _text(found, "hotel_name", stay.hotel_name)
    _text(found, "address", stay.address)
    _text(found, "phone", stay.phone, required=False)
    for field in ("check_in", "check_out"):
        if getattr(stay, field) is None:
            found.append((field, problem("travel.missing")))
    if stay.check_in and stay.check_out and stay.check_out <= stay.check_in:
        found.append(("check_out", problem("travel.check_out_not_after_check_in")))
    return found


def room_problems(booking: RoomInput, stay_in: date | None, stay_out: date | None) -> Found:
    """What is wrong with a booking at a stay from ``stay_in`` to ``stay_out``."""
    found: Found = []
    _text(found, "room", booking.room, required=False)
    start, end = booking.check_in or stay_in, booking.check_out or stay_out
    if start and end and end <= start:
        found.append(("check_out", problem("travel.check_out_not_after_check_in")))
    return found


def own_or_group(items: Iterable, enrollment_id: int) -> list:
    """The doctor's own legs (or transfers) if they have any, else the group's."""
    items = list(items)
    own = [item for item in items if item.enrollment_id == enrollment_id]
    return own or [item for item in items if item.enrollment_id is None]


def group_travellers(enrollment_ids: Iterable[int], with_own: Iterable[int]) -> list[int]:
    """Who a change of the group's legs (or transfers) reaches: those without their own."""
    own = set(with_own)
    return [eid for eid in enrollment_ids if eid not in own]


DATES_DIFFER, OWN_LEGS, OWN_TRANSFERS = "dates", "own_legs", "own_transfers"


def differences(
    arrival: date | None,
    departure: date | None,
    cohort_start: date,
    cohort_end: date,
    *,
    own_legs: bool,
    own_transfers: bool,
) -> list[str]:
    """How a doctor's travel differs from the group's (empty: travels with the group)."""
    found = []
    if (arrival or cohort_start) != cohort_start or (departure or cohort_end) != cohort_end:
        found.append(DATES_DIFFER)
    if own_legs:
        found.append(OWN_LEGS)
    if own_transfers:
        found.append(OWN_TRANSFERS)
    return found


def map_link(*parts: str | None) -> str:
    """An OpenStreetMap search for the address (the parts that are given, comma-joined)."""
    return MAP_SEARCH + quote_plus(", ".join(p.strip() for p in parts if p and p.strip()))


def roommates(bookings: Iterable, stay_id: int, room: str | None, enrollment_id: int) -> list:
    """The other bookings of the same room number at the same stay (nobody without a room)."""
    if not room:
        return []
    key = room.strip().casefold()
    return [
        b
        for b in bookings
        if b.hotel_stay_id == stay_id
        and b.enrollment_id != enrollment_id
        and (b.room or "").strip().casefold() == key
    ]
