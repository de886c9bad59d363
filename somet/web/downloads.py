"""Sending a stored upload to a browser: never sniffed into HTML, never cached."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, send_file


def download_headers(response: Response) -> Response:
    # Never sniffed into HTML, never cached by proxies or the browser.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_stored_file(
    path: Path, mimetype: str, filename: str, *, as_attachment: bool = True
) -> Response:
    """The file at ``path`` (a 404 when it is gone) under the upload's own name."""
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=as_attachment,
        download_name=filename,
        conditional=False,
        etag=False,
    )
    return download_headers(response)
