"""How a view shows an operation's refusal (a ``DomainError``): the one way for every view.

Under the form field it concerns, or as a flash before the redirect (Post/Redirect/Get);
either way nothing the refused operation did stays in the session. An object that is not
there for this user is a 404 page, never a message (DESIGN §2: a guessed id learns nothing).
Refusals a view does not catch reach the app's DomainError handler (web.errors).
"""

from __future__ import annotations

from flask import abort, flash
from wtforms import Field

from somet.core.errors import DomainError
from somet.web.extensions import db


def abort_if_missing(error: DomainError) -> None:
    """A refusal to find the object becomes the 404 page."""
    if error.status_code == 404:
        abort(404)


def form_error(field: Field, error: DomainError) -> None:
    """Show ``error`` under ``field`` of the form being shown again."""
    db.session.rollback()
    abort_if_missing(error)
    field.errors.append(str(error))


def flash_error(error: DomainError, category: str = "danger") -> None:
    """Show ``error`` as a flash on the page the view redirects to (or renders)."""
    db.session.rollback()
    abort_if_missing(error)
    flash(str(error), category)
