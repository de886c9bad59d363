"""Itinerary workbooks: read an XLSX upload into checked rows, write the blank template.

No Flask and no database: bytes (and the cohort's doctors by e-mail) in, rows out. One sheet
per kind: Flights, Transfers, Hotels, Rooms. A row whose doctor's e-mail is empty is the
group's. Every problem names its sheet, row and column; a file with any problem gives no
rows at all (``ProblemsFound``), so nothing is saved.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook, load_workbook

from somet.core.problems import Problem, ProblemsFound, problem
from somet.travel import rules
from somet.travel.rules import LegInput, RoomInput, StayInput, TransferInput

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 30
DOCTOR = "Doctor e-mail"
# sheet -> [(field, header)]; the header row of each sheet, in order.
SHEETS = {
    "Flights": [
        ("doctor", DOCTOR),
        ("carrier", "Carrier"),
        ("flight_number", "Flight number"),
        ("from_airport", "From"),
        ("to_airport", "To"),
        ("departs_local", "Departure (local)"),
        ("departure_timezone", "Departure time zone"),
        ("arrives_local", "Arrival (local)"),
        ("arrival_timezone", "Arrival time zone"),
        ("booking_reference", "Booking reference"),
    ],
    "Transfers": [
        ("doctor", DOCTOR),
        ("departs_local", "Departure (local)"),
        ("timezone", "Time zone"),
        ("from_place", "From"),
        ("to_place", "To"),
        ("details", "Details"),
    ],
    "Hotels": [
        ("hotel_name", "Hotel"),
        ("address", "Address"),
        ("phone", "Phone"),
        ("check_in", "Check-in"),
        ("check_out", "Check-out"),
    ],
    "Rooms": [
        ("hotel_name", "Hotel"),
        ("doctor", DOCTOR),
        ("room", "Room"),
        ("check_in", "Check-in"),
        ("check_out", "Check-out"),
    ],
}
EXAMPLES = {
    "Flights": [
        "", "Air Astana", "KC 323", "ALA", "TLV", "2027-01-09 06:10", "Asia/Almaty",
        "2027-01-09 10:05", "Asia/Jerusalem", "ABC123",
    ],
    "Transfers": ["", "2027-01-09 11:30", "Asia/Jerusalem", "TLV airport", "Hotel", "Bus"],
    "Hotels": ["Dan Panorama Haifa", "107 Yefe Nof St, Haifa", "+972 4 835 2222",
               "2027-01-09", "2027-01-22"],
    "Rooms": ["Dan Panorama Haifa", "doctor@example.kz", "512", "", ""],
}  # fmt: skip


@dataclass
class Itinerary:
    """A read workbook: legs and transfers with their enrollment (None: the group's)."""

    legs: list[tuple[int | None, LegInput]] = field(default_factory=list)
    transfers: list[tuple[int | None, TransferInput]] = field(default_factory=list)
    stays: list[StayInput] = field(default_factory=list)
    rooms: list[tuple[str, int, RoomInput]] = field(default_factory=list)  # hotel, enrollment


def read_itinerary(filename: str, content: bytes, doctors: dict[str, int]) -> Itinerary:
    """The workbook's rows; ``doctors`` maps a lower-case e-mail to the cohort's enrollment.

    Raises ``ProblemsFound`` with every problem found (each ``travel.in_file``).
    """
    book = _workbook(filename, content)
    present = [name for name in SHEETS if name in book.sheetnames]
    if not present:
        raise ProblemsFound(problem("travel.no_sheets", sheets=list(SHEETS)))
    reader = _Reader(doctors)
    for name in present:
        reader.sheet(name, book[name])
    hotels = {stay.hotel_name.strip().casefold(): stay for stay in reader.result.stays}
    columns = dict(SHEETS["Rooms"])
    for line, (hotel, _enrollment, booking) in zip(
        reader.room_lines, reader.result.rooms, strict=True
    ):
        stay = hotels.get(hotel.strip().casefold())
        if stay is None:
            reader.fault("Rooms", line, "Hotel", problem("travel.unknown_hotel", value=hotel))
            continue
        for key, fault in rules.room_problems(booking, stay.check_in, stay.check_out):
            reader.fault("Rooms", line, columns[key], fault)
    if reader.problems:
        raise ProblemsFound(*reader.problems)
    found = reader.result
    if not (found.legs or found.transfers or found.stays):
        raise ProblemsFound(problem("roster.file_empty"))  # would wipe the itinerary out
    return found


def _workbook(filename: str, content: bytes):
    if not filename.lower().endswith(".xlsx"):
        raise ProblemsFound(problem("travel.file_type"))
    if len(content) > MAX_BYTES:
        raise ProblemsFound(problem("roster.file_too_large", megabytes=MAX_BYTES // 2**20))
    if not content.startswith(b"PK\x03\x04"):
        raise ProblemsFound(problem("roster.bad_xlsx"))
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ProblemsFound(problem("roster.bad_xlsx")) from None


class _Reader:
    def __init__(self, doctors: dict[str, int]):
        self.doctors = doctors
        self.problems: list[Problem] = []
        self.result = Itinerary()
        self.room_lines: list[int] = []

    def fault(self, sheet: str, line: int, column: str, found: Problem) -> None:
        self.problems.append(
            problem("travel.in_file", sheet=sheet, row=line, column=column, fault=found)
        )

    def sheet(self, name: str, worksheet) -> None:
        rows = worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        header = [_text(cell) or "" for cell in next(rows, ())]
        columns = SHEETS[name]
        positions = {}
        for key, title in columns:
            if title.casefold() not in [h.casefold() for h in header]:
                self.problems.append(problem("travel.missing_column", sheet=name, column=title))
                continue
            positions[key] = [h.casefold() for h in header].index(title.casefold())
        if len(positions) < len(columns):
            return
        headers = dict(columns)
        for line, cells in enumerate(rows, start=2):
            if line > MAX_ROWS + 1:
                self.problems.append(problem("travel.too_many_rows", sheet=name, count=MAX_ROWS))
                return
            if not any(cell not in (None, "") for cell in cells):
                continue
            values = {k: cells[i] if i < len(cells) else None for k, i in positions.items()}
            if [_text(v) or "" for v in values.values()] == EXAMPLES[name]:
                continue  # the template's example row, left in
            self._row(name, line, values, headers)

    def _row(self, name: str, line: int, values: dict, headers: dict[str, str]) -> None:
        found: rules.Found = []
        enrollment = None
        if "doctor" in values:
            enrollment = self._doctor(values["doctor"], found)
        if name == "Flights":
            leg = LegInput(
                carrier=_text(values["carrier"]) or "",
                flight_number=_text(values["flight_number"]) or "",
                from_airport=(_text(values["from_airport"]) or "").upper(),
                to_airport=(_text(values["to_airport"]) or "").upper(),
                departs_local=_moment(values["departs_local"], "departs_local", found),
                departure_timezone=_text(values["departure_timezone"]) or "",
                arrives_local=_moment(values["arrives_local"], "arrives_local", found),
                arrival_timezone=_text(values["arrival_timezone"]) or "",
                booking_reference=_text(values["booking_reference"]),
            )
            found += [f for f in rules.leg_problems(leg) if f[0] not in dict(found)]
            self.result.legs.append((enrollment, leg))
        elif name == "Transfers":
            transfer = TransferInput(
                departs_local=_moment(values["departs_local"], "departs_local", found),
                timezone=_text(values["timezone"]) or "",
                from_place=_text(values["from_place"]) or "",
                to_place=_text(values["to_place"]) or "",
                details=_text(values["details"]),
            )
            found += [f for f in rules.transfer_problems(transfer) if f[0] not in dict(found)]
            self.result.transfers.append((enrollment, transfer))
        elif name == "Hotels":
            stay = StayInput(
                hotel_name=_text(values["hotel_name"]) or "",
                address=_text(values["address"]) or "",
                phone=_text(values["phone"]),
                check_in=_day(values["check_in"], "check_in", found),
                check_out=_day(values["check_out"], "check_out", found),
            )
            found += [f for f in rules.stay_problems(stay) if f[0] not in dict(found)]
            self.result.stays.append(stay)
        else:
            hotel = _text(values["hotel_name"]) or ""
            booking = RoomInput(
                room=_text(values["room"]),
                check_in=_day(values["check_in"], "check_in", found),
                check_out=_day(values["check_out"], "check_out", found),
            )
            if not hotel:
                found.append(("hotel_name", problem("travel.missing")))
            if "doctor" not in dict(found) and enrollment is None:
                found.append(("doctor", problem("travel.missing")))
            self.result.rooms.append((hotel, enrollment or 0, booking))
            self.room_lines.append(line)
        for key, fault in found:
            self.fault(name, line, headers[key], fault)

    def _doctor(self, value, found: rules.Found) -> int | None:
        email = (_text(value) or "").strip().lower()
        if not email:
            return None
        enrollment = self.doctors.get(email)
        if enrollment is None:
            found.append(("doctor", problem("travel.unknown_doctor", value=email)))
        return enrollment


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _moment(value, key: str, found: rules.Found) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    text = _text(value) or ""
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    found.append((key, problem("travel.bad_datetime", value=text)))
    return None


def _day(value, key: str, found: rules.Found) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value) or ""
    try:
        return date.fromisoformat(text)
    except ValueError:
        found.append((key, problem("travel.bad_date", value=text)))
        return None


def template_workbook() -> bytes:
    """The blank workbook: each sheet's header row and one example row to overwrite."""
    book = Workbook(write_only=True)
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append([title for _key, title in columns])
        sheet.append(EXAMPLES[name])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
