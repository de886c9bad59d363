"""The permission check shared by the director's workspace services."""

from __future__ import annotations

from flask_babel import gettext as _

from somet.core.errors import NotAllowed
from somet.models import Role, User

STAFF = (Role.ADMIN, Role.DIRECTOR)


def require_staff(actor: User) -> None:
    """Cohorts, rosters and curriculum are for administrators and program directors."""
    if actor.role not in STAFF:
        raise NotAllowed(_("Only administrators and program directors manage cohorts."))
