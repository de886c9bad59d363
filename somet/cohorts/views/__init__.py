"""The ``cohorts`` blueprint object, shared by the view modules of this package."""

from flask import Blueprint
from flask_login import current_user

from somet.models import Cohort
from somet.web.access import get_visible_or_404

blueprint = Blueprint("cohorts", __name__)
PER_PAGE = 25


def actor():
    """The logged-in user as a plain object for services."""
    return current_user._get_current_object()


def cohort_or_404(cohort_id: int, *options) -> Cohort:
    """The cohort through the user's scope (staff only: anyone else gets 404)."""
    return get_visible_or_404(Cohort, cohort_id, *options)
