"""What the audit log's filters offer: every action a feature records and every kind of object,
known from the code (a fixed list and the enums) rather than read back from the history with
``SELECT DISTINCT`` over every event ever written.

tests/test_audit_log.py reads each ``record_event(...)`` call in somet/ and fails when an
action is missing here: add a new action to ``FIXED_ACTIONS`` (or its enum to ``BY_STATUS``).
"""

from __future__ import annotations

from somet.models import (
    Base,
    CohortStatus,
    DocumentStatus,
    EnrollmentStatus,
    RegistrationStatus,
)

FIXED_ACTIONS = (
    "api_token.create",
    "api_token.revoke",
    "attendance.recorded",
    "budget.currency_set",
    "budget.line_added",
    "budget.line_changed",
    "budget.line_removed",
    "budget.rate_set",
    "certificate.issued",
    "certificate.reissued",
    "certificate.revoked",
    "certificates.batch_issued",
    "certificates.batch_reissued",
    "certificates.key_added",
    "certificates.key_revoked",
    "certificates.key_rotated",
    "certificates.masterclass_issued",
    "cohort.clone",
    "cohort.create",
    "cohort.plan_queued",
    "cohort.planned",
    "cohort.requests_sent",
    "cohort.status",
    "cohort.update",
    "cost.changed",
    "cost.recorded",
    "cost.removed",
    "curriculum.add",
    "curriculum.remove",
    "curriculum.update",
    "department.activate",
    "department.capacity",
    "department.closure_add",
    "department.closure_remove",
    "department.create",
    "department.deactivate",
    "department.update",
    "doctor.calendar_token_regenerated",
    "doctor.calendar_token_revoked",
    "doctor.profile_updated",
    "document.uploaded",
    "document_requirement.removed",
    "enrollment.confirmed",
    "enrollment.options",
    "evaluation.answered",
    "evaluation.sent",
    "evaluation_form.changed",
    "evaluation_form.created",
    "evaluation_form.made_default",
    "evaluation_form.retired",
    "follow_up.answered",
    "follow_up.reminded",
    "follow_up.sent",
    "hospital.create",
    "hospital.holiday_add",
    "hospital.holiday_remove",
    "hospital.update",
    "job.run_now",
    "masterclass.attendance",
    "masterclass.attended_remotely",
    "masterclass.checked_in",
    "masterclass.created",
    "masterclass.guest_requested",
    "masterclass.updated",
    "notification.retried",
    "placement.answer_undone",
    "placement.cancelled",
    "placement.completed",
    "placement.confirmed",
    "placement.declined",
    "placement.moved",
    "placement.requested",
    "report.quote_chosen",
    "report.quote_dropped",
    "roster.add",
    "roster.import",
    "roster.update",
    "roster.visa",
    "roster.withdraw",
    "travel.emergency_contact_set",
    "travel.imported",
    "travel.leg_deleted",
    "travel.leg_saved",
    "travel.rooms_set",
    "travel.stay_deleted",
    "travel.stay_saved",
    "travel.transfer_deleted",
    "travel.transfer_saved",
    "user.activated",
    "user.deactivated",
    "user.invitation_accepted",
    "user.invitation_revoked",
    "user.invited",
    "user.language_changed",
    "user.password_changed",
    "user.portal_invited",
    "webhook.changed",
    "webhook.deleted",
    "webhook.ping",
    "webhook.resent",
    "webhook.secret_rotated",
    "webhook.subscribed",
)
# Actions named after the status an object moved to: "<prefix><status value>".
BY_STATUS = (
    ("cohort.", CohortStatus),
    ("document.", DocumentStatus),
    ("enrollment.", EnrollmentStatus),
    ("masterclass.", RegistrationStatus),
    ("masterclass.guest_", RegistrationStatus),
)


def known_actions() -> list[str]:
    """Every action the application records, sorted."""
    by_status = {prefix + status.value for prefix, statuses in BY_STATUS for status in statuses}
    return sorted(set(FIXED_ACTIONS) | by_status)


def known_object_types() -> list[str]:
    """The names of the mapped classes: what an event's ``object_type`` can be."""
    return sorted(mapper.class_.__name__ for mapper in Base.registry.mappers)
