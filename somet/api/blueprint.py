"""The API's blueprint (``/api/v1``): token auth only, so CSRF-exempt; errors as problems."""

from __future__ import annotations

from flask import Blueprint, url_for
from werkzeug.exceptions import HTTPException

from somet.api.problems import ApiProblem, from_domain_error, from_http_error, problem_response
from somet.core.errors import DomainError
from somet.web.extensions import db

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


@blueprint.errorhandler(ApiProblem)
def _api_problem(error: ApiProblem):
    db.session.rollback()
    return problem_response(error.problem)


@blueprint.errorhandler(DomainError)
def _domain_error(error: DomainError):
    db.session.rollback()
    return from_domain_error(error)


@blueprint.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return from_http_error(error)


def found_or_404(obj):
    """``obj``, or a 404 problem when the token may not see it (or it does not exist)."""
    if obj is None:
        raise ApiProblem(404, "There is no such object, or the token may not see it.")
    return obj


def next_link(endpoint: str, cursor: int | None, query, **path) -> str | None:
    """The link to the page after ``cursor`` with the same filters (None: no more pages)."""
    if cursor is None:
        return None
    filters = query.model_dump(mode="json", exclude_none=True, exclude={"cursor"})
    return url_for(endpoint, **path, **filters, cursor=cursor, _external=True)
