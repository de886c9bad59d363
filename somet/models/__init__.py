"""All models, importable from one place (``from somet.models import Cohort``)."""

from somet.models.audit import AuditEvent
from somet.models.base import Base, constant, utcnow
from somet.models.certificates import (
    Certificate,
    CertificateKind,
    KeyStatus,
    SerialCounter,
    SigningKey,
)
from somet.models.cohorts import (
    Cohort,
    CohortHost,
    CohortStatus,
    CurriculumItem,
    CurriculumOption,
    Enrollment,
    EnrollmentOption,
    EnrollmentStatus,
    SpecialtyMode,
)
from somet.models.documents import (
    DocumentKind,
    DocumentRequirement,
    DocumentStatus,
    TravelDocument,
)
from somet.models.hospitals import Department, DepartmentClosure, Hospital, HospitalHoliday
from somet.models.integrations import ApiToken
from somet.models.jobs import JobOutcome, JobRun, RunnerLease
from somet.models.masterclasses import (
    GuestRequest,
    Masterclass,
    Registration,
    RegistrationStatus,
)
from somet.models.money import BudgetLine, BudgetUnit, Cost, CostCategory, ExchangeRate
from somet.models.notifications import DeliveryStatus, Notification
from somet.models.outcomes import (
    Evaluation,
    EvaluationAnswer,
    EvaluationCohortTally,
    EvaluationDirection,
    EvaluationForm,
    EvaluationHospitalTally,
    EvaluationQuestion,
    EvaluationQuestionTally,
    EvaluationTally,
    FollowUpSurvey,
    FollowUpTally,
    QuestionKind,
)
from somet.models.people import Doctor, Invitation, Language, Role, User
from somet.models.placements import Attendance, AttendanceStatus, Placement, PlacementStatus
from somet.models.reports import (
    EVERY_SPONSOR,
    EnrollmentStatusTally,
    ReportQuote,
    TrainedDoctorTally,
)
from somet.models.travel import FlightLeg, HotelStay, RoomBooking, Transfer, VisaStatus
from somet.models.webhooks import WebhookDelivery, WebhookDeliveryStatus, WebhookSubscription

__all__ = [
    "EVERY_SPONSOR",
    "ApiToken",
    "Attendance",
    "AttendanceStatus",
    "AuditEvent",
    "Base",
    "BudgetLine",
    "BudgetUnit",
    "Certificate",
    "CertificateKind",
    "Cohort",
    "CohortHost",
    "CohortStatus",
    "Cost",
    "CostCategory",
    "CurriculumItem",
    "CurriculumOption",
    "DeliveryStatus",
    "Department",
    "DepartmentClosure",
    "Doctor",
    "DocumentKind",
    "DocumentRequirement",
    "DocumentStatus",
    "Enrollment",
    "EnrollmentOption",
    "EnrollmentStatus",
    "EnrollmentStatusTally",
    "Evaluation",
    "EvaluationAnswer",
    "EvaluationCohortTally",
    "EvaluationDirection",
    "EvaluationForm",
    "EvaluationHospitalTally",
    "EvaluationQuestion",
    "EvaluationQuestionTally",
    "EvaluationTally",
    "ExchangeRate",
    "FlightLeg",
    "FollowUpSurvey",
    "FollowUpTally",
    "GuestRequest",
    "Hospital",
    "HospitalHoliday",
    "HotelStay",
    "Invitation",
    "JobOutcome",
    "JobRun",
    "KeyStatus",
    "Language",
    "Masterclass",
    "Notification",
    "Placement",
    "PlacementStatus",
    "QuestionKind",
    "Registration",
    "RegistrationStatus",
    "ReportQuote",
    "Role",
    "RoomBooking",
    "RunnerLease",
    "SerialCounter",
    "SigningKey",
    "SpecialtyMode",
    "TrainedDoctorTally",
    "Transfer",
    "TravelDocument",
    "User",
    "VisaStatus",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "WebhookSubscription",
    "constant",
    "utcnow",
]
