"""Error pages for HTML requests, JSON for API requests."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from somet.core.errors import DomainError
from somet.web.extensions import db


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _problem(status: int, title: str, detail: str | None = None):
    """An RFC 9457 problem (``application/problem+json``), as the JSON API answers errors."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def register_error_handlers(app: Flask) -> None:
    """Render 4xx/5xx as pages (or JSON) and domain errors as their status code."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _wants_json():
            return _problem(error.code, error.name, error.description)
        # Werkzeug's own descriptions are English; only a view's own (translated) one is shown.
        own = error.description if error.description != type(error).description else None
        template = "errors/error.html"
        return render_template(template, error=error, code=error.code, description=own), error.code

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        if _wants_json():
            return _problem(error.status_code, type(error).__name__, str(error))
        return (
            render_template(
                "errors/error.html", error=error, code=error.status_code, description=str(error)
            ),
            error.status_code,
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        if _wants_json():
            return _problem(500, "Internal Server Error")
        return render_template("errors/500.html"), 500
