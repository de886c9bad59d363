"""The API's request and response bodies and query parameters, as pydantic models.

Their JSON Schema (draft 2020-12) is what the OpenAPI 3.1 document publishes, and the same
models check what comes in: the document and the behaviour cannot drift apart.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from somet.api.rules import MAX_ID
from somet.core.limits import DOCTOR_TEXT_LIMITS
from somet.models import (
    AttendanceStatus,
    CertificateKind,
    CohortStatus,
    PlacementStatus,
)

NO_NUL = r"^[^\x00]*$"  # databases refuse the NUL character in text
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Days far from now are refused before any date arithmetic could overflow.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2999, 12, 31))]
SearchText = Annotated[str, StringConstraints(max_length=100, pattern=NO_NUL)]


def _cell(limit: int):
    return Annotated[str | None, StringConstraints(max_length=limit + 100, pattern=NO_NUL)]


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors (RFC 9457) ----------------------------------------------------------------------


class FieldProblem(BaseModel):
    """One field's problem: ``row`` (1 = the first row sent) for a roster row's field."""

    field: str | None = None
    row: int | None = None
    code: str
    detail: str


class Problem(BaseModel):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] | None = None


# --- query parameters -----------------------------------------------------------------------


class PageQuery(Closed):
    limit: int = Field(50, ge=1, le=200, description="Items per page.")
    cursor: int | None = Field(
        None, ge=0, le=MAX_ID, description="Where the page starts: take it from `next`."
    )

    model_config = ConfigDict(extra="ignore")


class CohortQuery(PageQuery):
    status: CohortStatus | None = None
    year: int | None = Field(None, ge=1900, le=2999, description="Cohorts under way that year.")
    search: SearchText | None = Field(None, description="Words of the cohort's name.")


class DoctorQuery(PageQuery):
    cohort_id: Id | None = Field(None, description="Doctors on this cohort's roster.")
    specialty: SearchText | None = None
    search: SearchText | None = Field(None, description="Words of the doctor's names.")


class PlacementQuery(PageQuery):
    cohort_id: Id | None = None
    hospital_id: Id | None = None
    doctor_id: Id | None = None
    status: PlacementStatus | None = None
    date_from: Day | None = Field(None, description="Placements ending on or after this day.")
    date_to: Day | None = Field(None, description="Placements starting on or before this day.")

    @model_validator(mode="after")
    def _range(self):
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValueError("date_to is before date_from")
        return self


class MasterclassQuery(PageQuery):
    cohort_id: Id | None = None
    hospital_id: Id | None = None
    date_from: Day | None = Field(None, description="Classes ending on or after this day.")
    date_to: Day | None = Field(None, description="Classes starting on or before this day.")


class CertificateQuery(PageQuery):
    cohort_id: Id | None = None
    doctor_id: Id | None = None
    serial: Annotated[str, StringConstraints(max_length=32, pattern=NO_NUL)] | None = None
    kind: CertificateKind | None = None
    revoked: bool | None = None


# --- resources ------------------------------------------------------------------------------


class Cohort(BaseModel):
    id: int
    name: str
    status: CohortStatus
    origin_country: str
    origin_region: str | None
    sponsor: str | None
    start_date: date
    end_date: date
    hours_per_day: float
    host_hospital_ids: list[int]


class Doctor(BaseModel):
    """A visiting doctor; contact details and passport numbers are not in the API."""

    id: int
    first_name: str
    last_name: str
    native_name: str | None
    specialty: str | None
    home_institution: str | None
    country: str | None
    region: str | None
    licence_number: str | None


class AttendanceDay(BaseModel):
    day: date
    status: AttendanceStatus


class Placement(BaseModel):
    id: int
    cohort_id: int
    enrollment_id: int
    doctor_id: int
    department_id: int
    hospital_id: int
    rotation: str
    start_date: date
    end_date: date
    status: PlacementStatus
    attendance: list[AttendanceDay] | None = Field(
        None, description="The recorded days (in the single placement's answer only)."
    )


class Masterclass(BaseModel):
    id: int
    title: str
    lead_specialist: str
    venue: str
    city: str
    country: str
    hospital_id: int | None
    cohort_id: int | None = Field(description="None: open to all.")
    starts_at: datetime
    ends_at: datetime
    timezone: str
    capacity: int
    credit_hours: float


class Holder(BaseModel):
    doctor_id: int
    first_name: str
    last_name: str


class Certificate(BaseModel):
    id: int
    serial: str
    kind: CertificateKind
    holder: Holder
    cohort_id: int | None
    masterclass_id: int | None
    hours: float
    issued_at: datetime
    revoked: bool
    revoked_at: datetime | None
    verification_url: str


def _page(item: type[BaseModel], name: str) -> type[BaseModel]:
    return type(
        name,
        (BaseModel,),
        {
            "__annotations__": {"items": list[item], "next": str | None},
            "__doc__": f"A page of {item.__name__.lower()}s; ``next`` is the next page's link.",
            "__module__": __name__,
        },
    )


CohortPage = _page(Cohort, "CohortPage")
DoctorPage = _page(Doctor, "DoctorPage")
PlacementPage = _page(Placement, "PlacementPage")
MasterclassPage = _page(Masterclass, "MasterclassPage")
CertificatePage = _page(Certificate, "CertificatePage")


# --- writes ---------------------------------------------------------------------------------


class RosterRow(Closed):
    """A roster row, with the columns of the roster template (dates as YYYY-MM-DD)."""

    first_name: _cell(DOCTOR_TEXT_LIMITS["first_name"]) = None
    last_name: _cell(DOCTOR_TEXT_LIMITS["last_name"]) = None
    native_name: _cell(DOCTOR_TEXT_LIMITS["native_name"]) = None
    specialty: _cell(DOCTOR_TEXT_LIMITS["specialty"]) = None
    email: _cell(DOCTOR_TEXT_LIMITS["email"]) = None
    phone: _cell(DOCTOR_TEXT_LIMITS["phone"]) = None
    home_institution: _cell(DOCTOR_TEXT_LIMITS["home_institution"]) = None
    country: _cell(DOCTOR_TEXT_LIMITS["country"]) = None
    region: _cell(DOCTOR_TEXT_LIMITS["region"]) = None
    licence_number: _cell(DOCTOR_TEXT_LIMITS["licence_number"]) = None
    passport_number: _cell(DOCTOR_TEXT_LIMITS["passport_number"]) = None
    arrival_date: _cell(20) = None
    departure_date: _cell(20) = None


class RosterImport(Closed):
    rows: list[RosterRow] = Field(min_length=1, max_length=2000)


class RosterResult(BaseModel):
    counts: dict[str, int] = Field(description="Rows per outcome: new, known, changed.")
    enrollment_ids: list[int] = Field(description="The enrollments the import added.")


class AttendanceMark(Closed):
    day: Day
    status: AttendanceStatus | None = Field(description="None clears the day.")


class AttendanceResult(BaseModel):
    placement_id: int
    day: date
    status: AttendanceStatus | None
    changed: bool
