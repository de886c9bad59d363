"""The application factory: extensions, blueprints, error pages and CLI, bound to one app."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask

import config
from somet.web import database  # noqa: F401  (engine listeners: SQLite WAL, busy timeout)
from somet.web.extensions import csrf, db, limiter, login_manager, migrate
from somet.web.security import register_security

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application: bind extensions, register blueprints, errors and CLI. No I/O."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("SOMET_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config.settings_for(config_name, app.instance_path))
    if overrides:
        app.config.update(overrides)
    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_error_pages(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["SOMET_RATELIMIT_STORAGE_URI"])
    limiter.init_app(app)
    from somet.accounts.sessions import init_login_manager

    init_login_manager(app, login_manager)
    from somet.web.i18n import init_i18n

    init_i18n(app)


# Feature blueprints, each a module with a ``blueprint`` attribute. One line per feature.
BLUEPRINT_MODULES = (
    "somet.accounts.views.auth",
    "somet.accounts.views.home",
    "somet.accounts.views.users",
    "somet.accounts.views.languages",
    "somet.audit.views",
    "somet.portal.views",
    "somet.masterclasses.views",
    "somet.certificates.views",
    "somet.certificates.verify_views",
    "somet.documents.views",
    "somet.planning.views",
    "somet.requests.views",
    "somet.jobs.views",
    "somet.notifications.views",
    "somet.attendance.views",
    "somet.hospitals.views",
    "somet.cohorts.views.cohorts",
    "somet.cohorts.views.roster",
    "somet.cohorts.views.curriculum",
)


def register_blueprints(app: Flask) -> None:
    blueprints = [importlib.import_module(name).blueprint for name in BLUEPRINT_MODULES]
    for blueprint in dict.fromkeys(blueprints):
        app.register_blueprint(blueprint)


def register_error_pages(app: Flask) -> None:
    from somet.web.errors import register_error_handlers

    register_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from somet.web.templating import register_template_filters

    register_template_filters(app)


def register_commands(app: Flask) -> None:
    from somet.ops.cli import register_cli

    register_cli(app)
