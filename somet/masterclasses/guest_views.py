"""Public masterclass pages for guests without a login: registration, its confirmation,
QR check-in and remote attendance. Only classes open to all doctors have them (else 404).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from somet.core.errors import DomainError
from somet.masterclasses import check_in as attendance
from somet.masterclasses import guests, remote
from somet.masterclasses.forms import (
    AttendanceForm,
    GuestIdentityForm,
    GuestRegistrationForm,
    GuestRemoteCodeForm,
)
from somet.masterclasses.queries import public_masterclass
from somet.models import Language, utcnow
from somet.web.extensions import db, limiter
from somet.web.refusals import flash_error, form_error

blueprint = Blueprint("guests", __name__, url_prefix="/masterclasses")
# A public form that sends e-mail, and codes worth guessing: per address, kept low.
GUEST_LIMIT = "10 per hour"


def _public_or_404(masterclass_id: int):
    masterclass = public_masterclass(masterclass_id)
    if masterclass is None:
        abort(404)
    return masterclass


def _page(masterclass, form=None, remote_form=None):
    now = utcnow()
    if remote_form is None and remote.is_running(masterclass, now) and masterclass.video_url:
        remote_form = GuestRemoteCodeForm()
    return render_template(
        "masterclasses/public.html",
        masterclass=masterclass,
        form=form or GuestRegistrationForm(),
        remote_form=remote_form,
        now=now,
    )


@blueprint.route("/<int:masterclass_id>/public")
def show_public_masterclass(masterclass_id: int):
    return _page(_public_or_404(masterclass_id))


@blueprint.route("/<int:masterclass_id>/public/registration", methods=["POST"])
@limiter.limit(GUEST_LIMIT)
def request_guest_place(masterclass_id: int):
    masterclass = _public_or_404(masterclass_id)
    form = GuestRegistrationForm()
    if form.validate_on_submit():
        try:
            guests.request_place(masterclass_id, _details(form))
        except DomainError as error:
            form_error(form.email, error)
        else:
            flash(_("We sent you an e-mail: open its link to confirm your place."), "success")
            return redirect(url_for(".show_public_masterclass", masterclass_id=masterclass_id))
    return _page(masterclass, form=form), 422


def _details(form: GuestRegistrationForm) -> guests.GuestDetails:
    language = str(get_locale() or "en")
    return guests.GuestDetails(
        first_name=form.first_name.data.strip(),
        last_name=form.last_name.data.strip(),
        email=form.email.data.strip(),
        licence_number=form.licence_number.data.strip(),
        language=language if language in set(Language) else "en",
    )


@blueprint.route("/guest-requests/<token>", methods=["GET", "POST"])
def confirm_guest_request(token: str):
    request_row = guests.pending_request(token)
    if request_row is None:
        abort(404)
    form = AttendanceForm()  # just the CSRF token: opening the link changes nothing
    if not form.validate_on_submit():
        return render_template(
            "masterclasses/guest_confirm.html", guest_request=request_row, form=form
        )
    masterclass_id = request_row.masterclass_id
    try:
        registration = guests.confirm_request(token)
    except DomainError as error:
        db.session.rollback()
        flash_error(error)
    else:
        if registration.status.value == "waitlisted":
            flash(_("The class is full: you are on the waitlist."), "warning")
        else:
            flash(_("You are registered."), "success")
    return redirect(url_for(".show_public_masterclass", masterclass_id=masterclass_id))


@blueprint.route("/<int:masterclass_id>/guest-check-in/<token>", methods=["GET", "POST"])
@limiter.limit(GUEST_LIMIT, methods=["POST"])
def check_in_guest(masterclass_id: int, token: str):
    masterclass = _public_or_404(masterclass_id)
    form = GuestIdentityForm()
    if form.validate_on_submit():
        secret = current_app.config["SECRET_KEY"]
        try:
            attendance.check_in_guest(
                masterclass_id, token, form.email.data, form.licence_number.data, secret
            )
        except DomainError as error:
            form_error(form.licence_number, error)
        else:
            flash(_("You are checked in. Welcome!"), "success")
            return redirect(url_for(".show_public_masterclass", masterclass_id=masterclass_id))
    return render_template("masterclasses/guest_check_in.html", masterclass=masterclass, form=form)


@blueprint.route("/<int:masterclass_id>/public/remote-attendance", methods=["POST"])
@limiter.limit(GUEST_LIMIT)
def record_guest_remote_attendance(masterclass_id: int):
    masterclass = _public_or_404(masterclass_id)
    form = GuestRemoteCodeForm()
    if form.validate_on_submit():
        secret = current_app.config["SECRET_KEY"]
        try:
            remote.attend_remotely_as_guest(
                masterclass_id, form.email.data, form.licence_number.data, form.code.data, secret
            )
        except DomainError as error:
            form_error(form.code, error)
        else:
            flash(_("Your remote attendance is recorded. Welcome!"), "success")
            return redirect(url_for(".show_public_masterclass", masterclass_id=masterclass_id))
    return _page(masterclass, remote_form=form), 422
