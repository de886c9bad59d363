"""The administrator's webhook pages: subscriptions, one subscription with its deliveries."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from somet.core.errors import DomainError
from somet.models import Role
from somet.web.access import role_required
from somet.web.refusals import flash_error, form_error
from somet.webhooks import operations, queries
from somet.webhooks.forms import EVENT_LABELS, SubscriptionForm
from somet.webhooks.rules import SIGNATURE_TOLERANCE_SECONDS

blueprint = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


@blueprint.route("")
@role_required(Role.ADMIN)
def list_subscriptions():
    return render_template("webhooks/list.html", rows=queries.subscription_rows())


@blueprint.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_subscription():
    form = SubscriptionForm()
    if form.validate_on_submit():
        try:
            subscription = operations.subscribe(
                _actor(),
                form.name.data,
                form.url.data.strip(),
                form.events.data,
                form.allow_private_network.data,
            )
        except DomainError as error:
            form_error(form.url, error)
        else:
            flash(_("Subscribed. Give the receiver the signing secret below."), "success")
            return redirect(url_for(".show_subscription", subscription_id=subscription.id))
    return render_template("webhooks/new.html", form=form), 422 if form.errors else 200


@blueprint.route("/<int:subscription_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def show_subscription(subscription_id: int):
    subscription = queries.subscription(subscription_id)
    if subscription is None:
        abort(404)
    form = SubscriptionForm(obj=subscription)
    if form.validate_on_submit():
        try:
            operations.change_subscription(
                _actor(),
                subscription_id,
                name=form.name.data,
                url=form.url.data.strip(),
                events=form.events.data,
                allow_private_network=form.allow_private_network.data,
                active=form.active.data,
            )
        except DomainError as error:
            form_error(form.url, error)
            subscription = queries.subscription(subscription_id)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".show_subscription", subscription_id=subscription_id))
    page = queries.deliveries(subscription_id, request.args.get("older_than", type=int))
    return render_template(
        "webhooks/show.html",
        subscription=subscription,
        form=form,
        page=page,
        event_labels=EVENT_LABELS,
        tolerance_minutes=SIGNATURE_TOLERANCE_SECONDS // 60,
    ), 422 if form.errors else 200


@blueprint.route("/<int:subscription_id>/secret", methods=["POST"])
@role_required(Role.ADMIN)
def rotate_secret(subscription_id: int):
    return _act(
        subscription_id,
        lambda: operations.rotate_secret(_actor(), subscription_id),
        _("A new signing secret is in use. Give it to the receiver."),
    )


@blueprint.route("/<int:subscription_id>/ping", methods=["POST"])
@role_required(Role.ADMIN)
def send_ping(subscription_id: int):
    return _act(
        subscription_id,
        lambda: operations.send_ping(_actor(), subscription_id),
        _("A test delivery is queued; it goes out within a minute."),
    )


@blueprint.route("/<int:subscription_id>/deliveries/<int:delivery_id>/again", methods=["POST"])
@role_required(Role.ADMIN)
def send_again(subscription_id: int, delivery_id: int):
    return _act(
        subscription_id,
        lambda: operations.send_again(_actor(), subscription_id, delivery_id),
        _("The delivery is queued again."),
    )


@blueprint.route("/<int:subscription_id>/delete", methods=["POST"])
@role_required(Role.ADMIN)
def delete_subscription(subscription_id: int):
    try:
        operations.unsubscribe(_actor(), subscription_id)
    except DomainError as error:
        flash_error(error)
        return redirect(url_for(".show_subscription", subscription_id=subscription_id))
    flash(_("The subscription and its deliveries were deleted."), "success")
    return redirect(url_for(".list_subscriptions"))


def _act(subscription_id: int, action, done: str):
    try:
        action()
    except DomainError as error:
        flash_error(error)
    else:
        flash(done, "success")
    return redirect(url_for(".show_subscription", subscription_id=subscription_id))


def _actor():
    return current_user._get_current_object()
