"""The application factory: extensions, then each feature's ``register(app)``, error pages."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

import config
from somet.web.extensions import csrf, db, limiter, login_manager, migrate
from somet.web.security import register_security

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application: bind extensions, register each feature, errors. No I/O."""
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
    register_features(app)
    register_error_pages(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    from somet.web.database import install_engine_events, read_outside_transactions

    install_engine_events()
    db.init_app(app)
    with app.app_context():  # the engines exist once init_app returns; nothing connects yet
        for engine in db.engines.values():
            read_outside_transactions(engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["SOMET_RATELIMIT_STORAGE_URI"])
    limiter.init_app(app)
    from somet.accounts.sessions import init_login_manager

    init_login_manager(app, login_manager)
    from somet.web.i18n import init_i18n

    init_i18n(app)


def register_features(app: Flask) -> None:
    """Each feature's blueprints, navigation, access scopes, jobs, reminders and commands."""
    from somet import (
        accounts,
        alumni,
        api,
        attendance,
        audit,
        budget,
        certificates,
        cohorts,
        documents,
        evaluations,
        followup,
        hospitals,
        jobs,
        masterclasses,
        notifications,
        ops,
        planning,
        portal,
        reports,
        requests,
        travel,
        webhooks,
    )

    accounts.register(app)
    audit.register(app)
    portal.register(app)
    masterclasses.register(app)
    certificates.register(app)
    documents.register(app)
    planning.register(app)
    requests.register(app)
    jobs.register(app)
    notifications.register(app)
    attendance.register(app)
    hospitals.register(app)
    cohorts.register(app)
    alumni.register(app)
    evaluations.register(app)
    followup.register(app)
    ops.register(app)
    reports.register(app)
    webhooks.register(app)
    travel.register(app)
    budget.register(app)
    api.register(app)


def register_error_pages(app: Flask) -> None:
    from somet.web.errors import register_error_handlers

    register_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from somet.web.templating import register_template_filters

    register_template_filters(app)
