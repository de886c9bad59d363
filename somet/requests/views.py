"""The host's side: a coordinator's requests, and the supervisor's one-tap link."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from somet.core.errors import DomainError
from somet.models import Role, utcnow
from somet.requests import listing as request_listing
from somet.requests import operations as requests
from somet.requests.forms import BulkDecisionForm, DeclineForm, LinkResponseForm
from somet.requests.rules import undo_deadline, undoable
from somet.requests.undo import undo_answer
from somet.web.access import role_required
from somet.web.refusals import flash_error

blueprint = Blueprint("requests", __name__)


def _actor():
    return current_user._get_current_object()


@blueprint.route("/requests")
@role_required(Role.COORDINATOR)
def list_requests():
    return _requests_page()


def _requests_page(bulk_form=None, declining=None, decline_form=None, status=200):
    """The page; shown again with a form's errors where they belong (the bulk bar, a row)."""
    hospital, groups, decided, page = request_listing.hospital_requests(_actor(), _page())
    if declining is not None and all(p.id != declining for g in groups for p in g.placements):
        # Answered meanwhile: no row to show the error on, so it is said at the top.
        errors = decline_form.reason.errors + decline_form.csrf_token.errors
        flash(" ".join(map(str, errors)), "danger")
        declining = None
    now = utcnow()
    undo_until = {
        p.id: undo_deadline(p.decided_at) for p in decided if undoable(p.status, p.decided_at, now)
    }
    return render_template(
        "requests/list.html",
        hospital=hospital,
        departments=request_listing.by_department(groups),
        decided=decided,
        undo_until=undo_until,
        bulk_form=bulk_form or BulkDecisionForm(formdata=None),
        declining=declining,
        decline_form=decline_form,
        page=page,
    ), status


def _page() -> int:
    """The page of open requests the coordinator is on (forms carry it back after a POST)."""
    return max(request.args.get("page", 1, type=int), 1)


def _back_to_list():
    page = _page()
    return redirect(url_for(".list_requests", page=page if page > 1 else None))


@blueprint.route("/requests/<int:placement_id>/confirm", methods=["POST"])
@role_required(Role.COORDINATOR)
def confirm_request(placement_id: int):
    try:
        requests.confirm_placement(_actor(), placement_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Confirmed."), "success")
    return _back_to_list()


@blueprint.route("/requests/<int:placement_id>/decline", methods=["POST"])
@role_required(Role.COORDINATOR)
def decline_request(placement_id: int):
    form = DeclineForm()
    if not form.validate_on_submit():
        requests.check_visible(_actor(), placement_id)  # another hospital's id: 404 first
        return _requests_page(declining=placement_id, decline_form=form, status=400)
    try:
        requests.decline_placement(_actor(), placement_id, form.reason.data)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Declined; the programme director is told."), "success")
    return _back_to_list()


@blueprint.route("/requests/bulk", methods=["POST"])
@role_required(Role.COORDINATOR)
def decide_requests():
    form = BulkDecisionForm()
    if not form.validate_on_submit():
        return _requests_page(bulk_form=form, status=400)
    outcome = requests.decide_many(
        _actor(), form.placement_ids.data, form.decision.data, form.reason.data or ""
    )
    if outcome.done:
        answered = ngettext("%(num)d request answered.", "%(num)d requests answered.", outcome.done)
        flash(answered, "success")
    for reason in outcome.refused:
        flash(reason, "danger")
    return _back_to_list()


@blueprint.route("/requests/<int:placement_id>/undo", methods=["POST"])
@role_required(Role.COORDINATOR)
def undo_request_answer(placement_id: int):
    try:
        undo_answer(_actor(), placement_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Answer undone: the request is waiting for your answer again."), "success")
    return _back_to_list()


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
