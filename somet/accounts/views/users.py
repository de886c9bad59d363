"""User management: the user list, invitations and deactivation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from somet.accounts import operations as accounts
from somet.accounts import queries as logins
from somet.accounts.forms import InviteUserForm
from somet.core.errors import DomainError
from somet.models import Doctor, Hospital, Language, Role, User
from somet.web.access import STAFF, role_required
from somet.web.extensions import db
from somet.web.i18n import language_choices, name_of
from somet.web.labels import enum_label
from somet.web.paging import cursor
from somet.web.refusals import flash_error, form_error

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
USERS_PER_PAGE = 50


@blueprint.route("/users")
@role_required(Role.ADMIN)
def list_users():
    search = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    chosen = Role(role) if role in set(Role) else None
    page = logins.users_page(
        search,
        chosen,
        per_page=USERS_PER_PAGE,
        before=cursor(request.args.get("before")),
        after=cursor(request.args.get("after")),
    )
    return render_template(
        "accounts/users.html", page=page, search=search, role=chosen, roles=list(Role)
    )


@blueprint.route("/users/invite", methods=["GET", "POST"])
@role_required(*STAFF)
def invite_user():
    form = InviteUserForm()
    search = request.args.get("q", "").strip()
    more_doctors = _fill_invite_choices(form, search)
    if form.validate_on_submit():
        try:
            issued = accounts.invite_user(
                current_user._get_current_object(),
                email=form.email.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                hospital=db.session.get(Hospital, form.hospital_id.data or 0),
                doctor=db.session.get(Doctor, form.doctor_id.data or 0),
                ttl_days=_ttl_days(),
                link_for=lambda token: url_for(
                    "auth.accept_invitation", token=token, _external=True
                ),
                language=Language(form.language.data) if form.language.data else None,
            )
        except DomainError as error:
            form_error(form.email, error)
        else:
            link = url_for("auth.accept_invitation", token=issued.token, _external=True)
            return render_template(
                "accounts/invited.html", user=issued.user, link=link, expires_at=issued.expires_at
            )
    return render_template(
        "accounts/invite.html",
        form=form,
        search=search,
        more_doctors=more_doctors,
        offered=logins.DOCTORS_OFFERED,
    )


def _ttl_days() -> int:
    from flask import current_app

    return current_app.config["SOMET_INVITATION_TTL_DAYS"]


def _fill_invite_choices(form: InviteUserForm, search: str) -> bool:
    """Fill the form's lists; the doctors' is a page of those whose names match ``search``
    (and, when the form was sent, the doctor chosen). True when more doctors match."""
    roles = [Role.COORDINATOR, Role.DOCTOR, Role.DIRECTOR]
    if current_user.role == Role.ADMIN:
        roles.append(Role.ADMIN)
    form.role.choices = [SelectChoice(role.value, enum_label(role).capitalize()) for role in roles]
    form.language.choices = [
        SelectChoice("", _("A doctor's preferred language, else English")),
        *(SelectChoice(code, name) for code, name in language_choices()),
    ]
    hospitals = db.session.execute(select(Hospital.id, Hospital.name).order_by(Hospital.name))
    form.hospital_id.choices = [SelectChoice("0", "—")] + [
        SelectChoice(str(h.id), h.name) for h in hospitals
    ]
    doctors, more = logins.doctors_to_invite(search)
    chosen = request.form.get("doctor_id", type=int) if request.method == "POST" else None
    if chosen and chosen not in {d.id for d in doctors}:
        # Chosen from an earlier search: still offered while it has no login.
        doctors = [*logins.doctors_to_invite(doctor_id=chosen)[0], *doctors]
    form.doctor_id.choices = [SelectChoice("0", "—")] + [
        SelectChoice(str(d.id), name_of(d)) for d in doctors
    ]
    return more


@blueprint.route("/users/<int:user_id>/active", methods=["POST"])
@role_required(Role.ADMIN)
def set_user_active(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    active = request.form.get("active") == "1"
    try:
        accounts.set_user_active(current_user._get_current_object(), user, active)
    except DomainError as error:
        flash_error(error)
    else:
        if active:
            flash(_("%(email)s is now active.", email=user.email), "success")
        else:
            flash(_("%(email)s is now deactivated.", email=user.email), "success")
    return redirect(url_for("admin.list_users"))
