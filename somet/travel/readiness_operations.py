"""Travel readiness: the director records each doctor's visa decision."""

from __future__ import annotations

from flask_babel import gettext as _

from somet.audit.operations import record_event
from somet.core.errors import ValidationFailed
from somet.models import Enrollment, EnrollmentStatus, User, VisaStatus
from somet.web.access import require_staff
from somet.web.extensions import db


def record_visa_status(actor: User, enrollment: Enrollment, status: str | None) -> bool:
    """Set the doctor's visa status for this cohort (None: not recorded). Audited as a roster
    change; returns whether anything changed."""
    require_staff(actor)
    if enrollment.status == EnrollmentStatus.WITHDRAWN:
        raise ValidationFailed(_("The doctor is withdrawn from this cohort."))
    try:
        new = VisaStatus(status) if status else None
    except ValueError:
        raise ValidationFailed(_("Choose a visa status from the list.")) from None
    old = enrollment.visa_status
    if new == old:
        return False
    enrollment.visa_status = new
    record_event(
        actor,
        "roster.visa",
        enrollment,
        old=old.value if old else None,
        new=new.value if new else None,
    )
    db.session.commit()
    return True
