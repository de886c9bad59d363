"""``/notifications``: the signed-in user's messages; the unread count for the navigation."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from somet.core.errors import DomainError
from somet.models import DeliveryStatus, Role
from somet.notifications import operations
from somet.notifications import queries as inbox
from somet.web.access import role_required
from somet.web.extensions import db
from somet.web.paging import cursor
from somet.web.refusals import abort_if_missing, flash_error

blueprint = Blueprint("notifications", __name__, url_prefix="/notifications")
PER_PAGE = 30


@blueprint.route("")
@login_required
def list_notifications():
    page = db.paginate(inbox.inbox_query(current_user), per_page=PER_PAGE, error_out=False)
    return render_template("notifications/list.html", page=page)


@blueprint.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_notification_read(notification_id: int):
    try:
        inbox.mark_read(current_user, notification_id)
    except DomainError as error:
        abort_if_missing(error)
        raise
    return redirect(url_for("notifications.list_notifications"))


@blueprint.route("/read", methods=["POST"])
@login_required
def mark_all_notifications_read():
    inbox.mark_all_read(current_user)
    return redirect(url_for("notifications.list_notifications"))


@blueprint.route("/outbox")
@role_required(Role.ADMIN)
def list_outbox():
    status = request.args.get("status", "")
    recipient = request.args.get("recipient", "")
    chosen = DeliveryStatus(status) if status in set(DeliveryStatus) else None
    page = inbox.outbox_page(
        chosen,
        recipient,
        per_page=PER_PAGE,
        before=cursor(request.args.get("before")),
        after=cursor(request.args.get("after")),
    )
    return render_template(
        "notifications/outbox.html", page=page, status=chosen, recipient=recipient,
        statuses=list(DeliveryStatus), retryable=operations.RETRYABLE,
    )  # fmt: skip


@blueprint.route("/outbox/<int:notification_id>/retry", methods=["POST"])
@role_required(Role.ADMIN)
def retry_notification(notification_id: int):
    try:
        operations.retry_delivery(current_user, notification_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("The e-mail is queued to be sent again."), "success")
    return redirect(url_for("notifications.list_outbox", status=request.args.get("status", "")))


@blueprint.app_context_processor
def unread_notifications() -> dict:
    # A function, so the count query runs only where the navigation is drawn (signed in).
    def count() -> int:
        return inbox.unread_count(current_user) if current_user.is_authenticated else 0

    return {"unread_notification_count": count}


