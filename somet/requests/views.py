"""The host's side: a coordinator's requests, and the supervisor's one-tap link."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from somet.core.errors import DomainError
from somet.models import Role
from somet.requests import operations as requests
from somet.requests import queries as request_listing
from somet.requests.forms import BulkDecisionForm, DeclineForm, LinkResponseForm
from somet.web.access import role_required
from somet.web.refusals import flash_error

blueprint = Blueprint("requests", __name__)


def _actor():
    return current_user._get_current_object()


@blueprint.route("/requests")
@role_required(Role.COORDINATOR)
def list_requests():
    hospital, groups, decided = request_listing.hospital_requests(_actor())
    return render_template(
        "requests/list.html",
        hospital=hospital,
        groups=groups,
        decided=decided,
        bulk_form=BulkDecisionForm(),
        decline_form=DeclineForm(),
    )


@blueprint.route("/requests/<int:placement_id>/confirm", methods=["POST"])
@role_required(Role.COORDINATOR)
def confirm_request(placement_id: int):
    try:
        requests.confirm_placement(_actor(), placement_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Confirmed."), "success")
    return redirect(url_for(".list_requests"))


@blueprint.route("/requests/<int:placement_id>/decline", methods=["POST"])
@role_required(Role.COORDINATOR)
def decline_request(placement_id: int):
    form = DeclineForm()
    if not form.validate_on_submit():
        requests.check_visible(_actor(), placement_id)  # another hospital's id: 404 first
        flash(" ".join(map(str, form.reason.errors)) or _("Please say why you decline."), "danger")
        return redirect(url_for(".list_requests"))
    try:
        requests.decline_placement(_actor(), placement_id, form.reason.data)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Declined; the programme director is told."), "success")
    return redirect(url_for(".list_requests"))


@blueprint.route("/requests/bulk", methods=["POST"])
@role_required(Role.COORDINATOR)
def decide_requests():
    form = BulkDecisionForm()
    if not form.validate_on_submit():
        errors = [str(e) for f in form for e in f.errors]
        flash(" ".join(errors) or _("Tick the requests to answer."), "danger")
        return redirect(url_for(".list_requests"))
    outcome = requests.decide_many(
        _actor(), form.placement_ids.data, form.decision.data, form.reason.data or ""
    )
    if outcome.done:
        answered = ngettext(
            "%(num)d request answered.", "%(num)d requests answered.", outcome.done
        )
        flash(answered, "success")
    for reason in outcome.refused:
        flash(reason, "danger")
    return redirect(url_for(".list_requests"))


@blueprint.route(requests.RESPOND_PATH + "<token>", methods=["GET", "POST"])
def respond_by_link(token: str):
    try:
        placement = requests.placement_for_link(token)
    except DomainError as error:
        return render_template("requests/link_spent.html", reason=str(error)), error.status_code
    form = LinkResponseForm()
    if form.validate_on_submit():
        try:
            if form.declining:
                requests.decline_placement(None, placement.id, form.reason.data, link_token=token)
            else:
                requests.confirm_placement(None, placement.id, link_token=token)
        except DomainError as error:
            return _respond_page(form, placement, str(error)), error.status_code
        flash(_("Thank you: your answer is recorded."), "success")
        return redirect(url_for(".respond_by_link", token=token))
    return _respond_page(form, placement, None)


def _respond_page(form, placement, refusal):
    return render_template("requests/respond.html", form=form, placement=placement, refusal=refusal)
