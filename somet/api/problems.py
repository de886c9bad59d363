"""Errors of the API as RFC 9457 problem details (``application/problem+json``).

API titles stay English (they are for the integration's developers); ``detail`` comes from
the operation's own message, in the request's language.
"""

from __future__ import annotations

from flask import Response, json
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from somet.api import schemas
from somet.api.rules import row_problem_field
from somet.core.errors import DomainError
from somet.web.problem_texts import describe

PROBLEM_TYPE = "application/problem+json"
INVALID_REQUEST = "urn:somet:problem:invalid-request"
INVALID_ROWS = "urn:somet:problem:invalid-roster-rows"
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


class ApiProblem(Exception):
    """Answer the request with a problem instead of its result."""

    def __init__(self, status: int, detail: str | None = None, *, errors=None, type_=None):
        super().__init__(detail or TITLES.get(status, ""))
        self.problem = schemas.Problem(
            type=type_ or "about:blank",
            title=TITLES.get(status, "Error"),
            status=status,
            detail=detail,
            errors=errors,
        )


def problem_response(problem: schemas.Problem) -> Response:
    body = json.dumps(problem.model_dump(mode="json", exclude_none=True))
    response = Response(body, status=problem.status, mimetype=PROBLEM_TYPE)
    if problem.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="somet"'
    return response


def from_http_error(error: HTTPException) -> Response:
    """A problem for Werkzeug's own errors (unknown URL, wrong method, rate limit)."""
    own = error.description if error.description != type(error).description else None
    status = error.code or 500
    problem = ApiProblem(status, own or error.description).problem
    response = problem_response(problem)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def from_domain_error(error: DomainError) -> Response:
    return problem_response(ApiProblem(error.status_code, str(error)).problem)


def from_validation(error: ValidationError, *, rows: bool = False) -> ApiProblem:
    """The request's field problems (pydantic's), each with its field (and row)."""
    found = []
    for item in error.errors(include_url=False):
        location = [part for part in item["loc"] if part != "__root__"]
        row = None
        if rows and len(location) >= 2 and location[0] == "rows" and isinstance(location[1], int):
            row, location = location[1] + 1, location[2:]
        found.append(
            schemas.FieldProblem(
                field=".".join(str(part) for part in location) or None,
                row=row,
                code=item["type"],
                detail=item["msg"],
            )
        )
    return ApiProblem(400, "The request has invalid fields.", errors=found, type_=INVALID_REQUEST)


def from_row_decisions(decisions) -> ApiProblem:
    """The roster rows that break the roster's rules: each problem with its row and field."""
    found = [
        schemas.FieldProblem(
            row=decision.line,
            field=row_problem_field(found.code, found.params),
            code=found.code,
            detail=describe(found),
        )
        for decision in decisions
        for found in decision.errors
    ]
    return ApiProblem(
        422,
        f"{len(decisions)} row(s) are invalid; nothing was saved.",
        errors=found,
        type_=INVALID_ROWS,
    )
