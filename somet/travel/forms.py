"""Forms of the itinerary pages: a flight leg, a transfer, a hotel stay, the emergency
contact and the workbook import. The travel rules check the values (``rules.py``); a form
only reads them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import DateField, DateTimeLocalField, SelectField, StringField
from wtforms.validators import InputRequired, Optional

from somet.travel import rules
from somet.travel.itinerary_files import MAX_BYTES
from somet.travel.rules import LegInput, StayInput, TransferInput

GROUP = ""  # the traveller choice that means the group's
LOCAL = "%Y-%m-%dT%H:%M"


def _text(field) -> str:
    return (field.data or "").strip()


class _TravellerForm(FlaskForm):
    traveller = SelectField(_l("Who travels"), choices=[], validate_choice=True)

    def set_travellers(self, enrollments, name_of) -> None:
        self.traveller.choices = [(GROUP, _l("The whole group"))] + [
            (str(e.id), name_of(e.doctor)) for e in enrollments
        ]

    def enrollment_id(self) -> int | None:
        return int(self.traveller.data) if self.traveller.data else None


class LegForm(_TravellerForm):
    carrier = StringField(_l("Airline"), validators=[InputRequired()])
    flight_number = StringField(_l("Flight number"), validators=[InputRequired()])
    from_airport = StringField(_l("From (airport code)"), validators=[InputRequired()])
    departs_local = DateTimeLocalField(
        _l("Departure (local time at that airport)"), format=LOCAL, validators=[InputRequired()]
    )
    departure_timezone = StringField(
        _l("Departure time zone"),
        description=_l("IANA name, e.g. Asia/Almaty; left empty, the airport's is used."),
        validators=[Optional()],
    )
    to_airport = StringField(_l("To (airport code)"), validators=[InputRequired()])
    arrives_local = DateTimeLocalField(
        _l("Arrival (local time at that airport)"), format=LOCAL, validators=[InputRequired()]
    )
    arrival_timezone = StringField(
        _l("Arrival time zone"),
        description=_l("IANA name, e.g. Asia/Jerusalem; left empty, the airport's is used."),
        validators=[Optional()],
    )
    booking_reference = StringField(_l("Booking reference"), validators=[Optional()])

    def fill(self, leg) -> None:
        self.traveller.data = str(leg.enrollment_id) if leg.enrollment_id else GROUP
        self.carrier.data, self.flight_number.data = leg.carrier, leg.flight_number
        self.from_airport.data, self.to_airport.data = leg.from_airport, leg.to_airport
        zones = (leg.departure_timezone, leg.arrival_timezone)
        self.departure_timezone.data, self.arrival_timezone.data = zones
        departs = rules.local_time(leg.departs_at, leg.departure_timezone)
        arrives = rules.local_time(leg.arrives_at, leg.arrival_timezone)
        self.departs_local.data = departs.replace(tzinfo=None)
        self.arrives_local.data = arrives.replace(tzinfo=None)
        self.booking_reference.data = leg.booking_reference

    def values(self) -> LegInput:
        start, end = _text(self.from_airport).upper(), _text(self.to_airport).upper()
        return LegInput(
            carrier=_text(self.carrier),
            flight_number=_text(self.flight_number),
            from_airport=start,
            to_airport=end,
            departs_local=self.departs_local.data,
            departure_timezone=_text(self.departure_timezone) or rules.airport_zone(start) or "",
            arrives_local=self.arrives_local.data,
            arrival_timezone=_text(self.arrival_timezone) or rules.airport_zone(end) or "",
            booking_reference=_text(self.booking_reference) or None,
        )


class TransferForm(_TravellerForm):
    departs_local = DateTimeLocalField(
        _l("Pick-up (local time)"), format=LOCAL, validators=[InputRequired()]
    )
    timezone = StringField(
        _l("Time zone"),
        description=_l("IANA name, e.g. Asia/Jerusalem."),
        validators=[InputRequired()],
    )
    from_place = StringField(_l("Pick-up place"), validators=[InputRequired()])
    to_place = StringField(_l("Drop-off place"), validators=[InputRequired()])
    details = StringField(_l("Details (driver, vehicle, phone)"), validators=[Optional()])

    def fill(self, transfer) -> None:
        self.traveller.data = str(transfer.enrollment_id) if transfer.enrollment_id else GROUP
        local = rules.local_time(transfer.departs_at, transfer.timezone)
        self.departs_local.data = local.replace(tzinfo=None)
        self.timezone.data = transfer.timezone
        self.from_place.data, self.to_place.data = transfer.from_place, transfer.to_place
        self.details.data = transfer.details

    def values(self) -> TransferInput:
        return TransferInput(
            departs_local=self.departs_local.data,
            timezone=_text(self.timezone),
            from_place=_text(self.from_place),
            to_place=_text(self.to_place),
            details=_text(self.details) or None,
        )


class StayForm(FlaskForm):
    hotel_name = StringField(_l("Hotel"), validators=[InputRequired()])
    address = StringField(_l("Address"), validators=[InputRequired()])
    phone = StringField(_l("Phone"), validators=[Optional()])
    check_in = DateField(_l("Check-in date"), validators=[InputRequired()])
    check_out = DateField(_l("Check-out date"), validators=[InputRequired()])

    def values(self) -> StayInput:
        return StayInput(
            hotel_name=_text(self.hotel_name),
            address=_text(self.address),
            phone=_text(self.phone) or None,
            check_in=self.check_in.data,
            check_out=self.check_out.data,
        )


class EmergencyContactForm(FlaskForm):
    contact = StringField(
        _l("Emergency contact"),
        description=_l("A name and a phone number the doctors can call at any hour."),
        validators=[Optional()],
    )


class RoomsForm(FlaskForm):
    """Only the CSRF token: the rooms are one text input per doctor (``room-<id>``)."""


class ItineraryImportForm(FlaskForm):
    file = FileField(
        _l("Itinerary workbook (XLSX)"),
        validators=[
            FileRequired(),
            FileAllowed(["xlsx"], _l("Upload an .xlsx file.")),
            FileSize(MAX_BYTES, message=_l("The file is larger than 5 MB.")),
        ],
    )
