"""Portal invitations from the roster: in bulk, after an import, re-sent or revoked."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from somet.cohorts import portal_invitations as service
from somet.cohorts.forms import InviteToPortalForm, PortalInvitationForm
from somet.cohorts.views import actor, blueprint, cohort_or_404
from somet.core.errors import DomainError, NotFound
from somet.web.access import STAFF, role_required
from somet.web.i18n import name_of
from somet.web.refusals import flash_error


def _link_for(token: str) -> str:
    return url_for("auth.accept_invitation", token=token, _external=True)


def _ttl_days() -> int:
    return current_app.config["SOMET_INVITATION_TTL_DAYS"]


def _overview(cohort_id: int):
    return redirect(url_for("cohorts.show_cohort", cohort_id=cohort_id, _anchor="roster"))


@blueprint.route("/cohorts/<int:cohort_id>/roster/portal-invitations", methods=["POST"])
@role_required(*STAFF)
def invite_to_portal(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    form = InviteToPortalForm()
    if not form.validate_on_submit():
        flash(_("Choose the doctors to invite again."), "danger")
        return _overview(cohort_id)
    chosen = None if form.invite_all.data else form.enrollment_ids.data
    if chosen == []:
        flash(_("Tick at least one doctor to invite."), "danger")
        return _overview(cohort_id)
    try:
        outcome = service.invite_to_portal(
            actor(), cohort, chosen, ttl_days=_ttl_days(), link_for=_link_for
        )
    except DomainError as error:  # another cohort's enrollment id: a 404
        flash_error(error)
    else:
        _flash_outcome(outcome)
    return _overview(cohort_id)


def _flash_outcome(outcome: service.InviteOutcome) -> None:
    flash(
        ngettext(
            "%(num)d doctor is invited to the portal.",
            "%(num)d doctors are invited to the portal.",
            outcome.invited,
        ),
        "success" if outcome.invited else "info",
    )
    if outcome.skipped:
        flash(
            ngettext(
                "%(num)d already has a login or an open invitation.",
                "%(num)d already have a login or an open invitation.",
                outcome.skipped,
            ),
            "info",
        )
    if outcome.not_invitable:
        flash(
            ngettext(
                "%(num)d cannot be invited: no e-mail, or the e-mail belongs to another login.",
                "%(num)d cannot be invited: no e-mail, or the e-mail belongs to another login.",
                outcome.not_invitable,
            ),
            "warning",
        )


@blueprint.route(
    "/cohorts/<int:cohort_id>/roster/<int:enrollment_id>/portal-invitation/resend",
    methods=["POST"],
)
@role_required(*STAFF)
def resend_portal_invitation(cohort_id: int, enrollment_id: int):
    cohort = cohort_or_404(cohort_id)
    if not PortalInvitationForm().validate_on_submit():
        abort(400)
    try:
        enrollment = service.resend_portal_invitation(
            actor(), cohort, enrollment_id, ttl_days=_ttl_days(), link_for=_link_for
        )
    except DomainError as error:
        flash_error(error)
    else:
        name = name_of(enrollment.doctor)
        flash(_("A new invitation is sent to %(name)s.", name=name), "success")
    return _overview(cohort_id)


@blueprint.route(
    "/cohorts/<int:cohort_id>/roster/<int:enrollment_id>/portal-invitation/revoke",
    methods=["POST"],
)
@role_required(*STAFF)
def revoke_portal_invitation(cohort_id: int, enrollment_id: int):
    cohort = cohort_or_404(cohort_id)
    if not PortalInvitationForm().validate_on_submit():
        abort(400)
    try:
        enrollment = service.revoke_portal_invitation(actor(), cohort, enrollment_id)
    except DomainError as error:
        flash_error(error)
    else:
        name = name_of(enrollment.doctor)
        flash(_("The invitation of %(name)s no longer works.", name=name), "success")
    return _overview(cohort_id)


@blueprint.route("/cohorts/<int:cohort_id>/roster/imported")
@role_required(*STAFF)
def show_roster_import_result(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    try:
        added = service.roster_enrollments(cohort, request.args.getlist("enrollment", type=int))
    except NotFound:
        abort(404)
    added.sort(key=lambda e: (e.doctor.last_name, e.doctor.first_name))
    portal = service.portal_logins_of(added)
    invitable = [e for e in added if portal[e.doctor_id].invitable]
    form = InviteToPortalForm()
    return render_template(
        "cohorts/import_result.html",
        cohort=cohort,
        added=added,
        portal=portal,
        invitable=invitable,
        form=form,
    )
