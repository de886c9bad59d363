"""The life-cycle statuses and their named sets: the one home of "which statuses count" (PURE).

The models store these enums; pure rules (lifecycle, programme) compare with them too, so
they live here, free of SQLAlchemy, and ``somet.models`` re-exports them. A set is named for
the rule it stands for (``PlacementStatus.HOLDING``: counts against capacity), and every
query and rule asks the set instead of listing statuses again. Sets are tuples so the SQL an
``in_()`` renders keeps one order.
"""

from __future__ import annotations

import enum
from typing import ClassVar


class CohortStatus(enum.StrEnum):
    DRAFT = "draft"
    PLANNING = "planning"
    SCHEDULED = "scheduled"
    ACTIVE = "active"
    COMPLETED = "completed"
    ARCHIVED = "archived"

    PLANNABLE: ClassVar[tuple[CohortStatus, ...]]
    UNDER_WAY: ClassVar[tuple[CohortStatus, ...]]
    FINISHED: ClassVar[tuple[CohortStatus, ...]]


# Enum bodies would turn these into members, so the sets are attached once the members exist.
# The solver may still (re)place its doctors.
CohortStatus.PLANNABLE = (CohortStatus.DRAFT, CohortStatus.PLANNING, CohortStatus.SCHEDULED)
# Doctors are at the hospitals or have been: certificates may be earned.
CohortStatus.UNDER_WAY = (CohortStatus.ACTIVE, CohortStatus.COMPLETED)
# Over: travel documents no longer matter.
CohortStatus.FINISHED = (CohortStatus.COMPLETED, CohortStatus.ARCHIVED)


class EnrollmentStatus(enum.StrEnum):
    INVITED = "invited"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    INCOMPLETE = "incomplete"
    WITHDRAWN = "withdrawn"

    TRAVELLING: ClassVar[tuple[EnrollmentStatus, ...]]
    CERTIFIABLE: ClassVar[tuple[EnrollmentStatus, ...]]


# Still to travel (or travelling): their documents matter.
EnrollmentStatus.TRAVELLING = (EnrollmentStatus.INVITED, EnrollmentStatus.CONFIRMED)
# Came (or are coming): the nightly auto-issue waits for their certificates.
EnrollmentStatus.CERTIFIABLE = (EnrollmentStatus.CONFIRMED, EnrollmentStatus.COMPLETED)


class PlacementStatus(enum.StrEnum):
    PROPOSED = "proposed"
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    AWAITING: ClassVar[tuple[PlacementStatus, ...]]
    FIXED: ClassVar[tuple[PlacementStatus, ...]]
    HOLDING: ClassVar[tuple[PlacementStatus, ...]]
    UPCOMING: ClassVar[tuple[PlacementStatus, ...]]
    STANDING: ClassVar[tuple[PlacementStatus, ...]]


# The host has not agreed yet (proposed by the planner, or sent and unanswered).
PlacementStatus.AWAITING = (PlacementStatus.PROPOSED, PlacementStatus.REQUESTED)
# The host agreed (and it may be done): fixed for the doctor, attendance can be recorded.
PlacementStatus.FIXED = (PlacementStatus.CONFIRMED, PlacementStatus.COMPLETED)
# Holds a place in a department (counts against capacity).
PlacementStatus.HOLDING = (PlacementStatus.REQUESTED, *PlacementStatus.FIXED)
# Not yet done: a director may still move them, a withdrawal cancels them, and they keep a
# department in use.
PlacementStatus.UPCOMING = (*PlacementStatus.AWAITING, PlacementStatus.CONFIRMED)
# Neither declined nor cancelled: shown on the timeline and checked for clashes.
PlacementStatus.STANDING = (*PlacementStatus.AWAITING, *PlacementStatus.FIXED)


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    ATTENDED = "attended"
    CANCELLED = "cancelled"

    HOLDING: ClassVar[tuple[RegistrationStatus, ...]]
    CANCELLABLE: ClassVar[tuple[RegistrationStatus, ...]]
    STANDING: ClassVar[tuple[RegistrationStatus, ...]]


# Holds a place at the masterclass (an attended doctor was registered).
RegistrationStatus.HOLDING = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)
# Not yet attended: the doctor may still cancel (or leave the waitlist).
RegistrationStatus.CANCELLABLE = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)
# Not cancelled: shown in the doctor's programme.
RegistrationStatus.STANDING = (
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.ATTENDED,
)
