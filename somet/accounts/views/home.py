"""The home page of each role: its work queue, oldest first (``somet.accounts.queues``)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from somet.accounts import queues
from somet.models import Role, utcnow
from somet.web.navigation import use_nav_counts

blueprint = Blueprint("home", __name__)


@blueprint.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    now = utcnow()
    queue = _queue_for(current_user, now)
    use_nav_counts(queue["badges"])  # the menu's badges, without counting again
    template = f"accounts/home/{current_user.role.value}.html"
    return render_template(template, now=now, **queue)


def _queue_for(user, now) -> dict:
    every = request.args.get("all")  # "Show all" of a long queue: its name
    if user.role == Role.ADMIN:
        return queues.admin_queue(now, every)
    if user.role.is_staff:
        return queues.staff_queue(now, every)
    if user.role == Role.COORDINATOR:
        return queues.coordinator_queue(user, now)
    return queues.doctor_queue(user, now)
