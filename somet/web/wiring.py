"""What the features registered on one app: navigation, access scopes, jobs, reminders and
listeners to audit events.

``create_app`` calls each feature's ``register(app)``, which fills the app's ``Wiring``;
nothing is registered when a module is imported. Kept on the app (``app.extensions``), not in
module globals, so two apps in one process (the tests build many) neither share nor repeat
an entry, and what the job runner runs depends only on the app it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app

EXTENSION_KEY = "somet"


@dataclass
class Wiring:
    nav_items: dict = field(default_factory=dict)  # endpoint -> navigation.NavItem
    nav_counters: dict = field(default_factory=dict)  # role -> function(user) -> {endpoint: n}
    scopes: dict = field(default_factory=dict)  # model -> access scope, beyond access.SCOPES
    scheduled_jobs: dict = field(default_factory=dict)  # job id -> jobs.registry.ScheduledJob
    one_off_jobs: dict = field(default_factory=dict)  # job name -> function(run, **params)
    reminder_sources: dict = field(default_factory=dict)  # name -> function(now) -> count
    # function(action, obj) called for every audit event, inside the writer's transaction
    audit_listeners: list = field(default_factory=list)


def wiring_of(app: Flask | None = None) -> Wiring:
    """The registrations of ``app`` (default: the current app)."""
    app = app if app is not None else current_app._get_current_object()
    return app.extensions.setdefault(EXTENSION_KEY, Wiring())
