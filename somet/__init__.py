"""SOMET: running international physician training programmes.

The package itself imports nothing, so its pure parts (``somet.scheduling``, the certificate
core, ``somet.core.localisation``) load without Flask or SQLAlchemy; the application is built by
``somet.app.create_app``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application (``somet.app.create_app``): no I/O, no side effects."""
    from somet.app import create_app as build_app

    return build_app(config_name, overrides)
