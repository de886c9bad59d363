"""Logging in and out, accepting an invitation, changing one's password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from somet.accounts import operations as accounts
from somet.accounts.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from somet.core.errors import DomainError
from somet.models import User
from somet.web.extensions import db, limiter
from somet.web.i18n import SESSION_KEY as LANGUAGE_SESSION_KEY
from somet.web.refusals import form_error

blueprint = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site (never another host), else None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(
                _("Wrong e-mail or password, or the account is inactive.")
            )
        else:
            session.clear()  # a fresh session at login: no fixation
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("accounts/login.html", form=form)


@blueprint.route("/logout", methods=["POST"])
@login_required
def logout():
    language = current_user.language.value
    accounts.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    session[LANGUAGE_SESSION_KEY] = language  # the login page stays in the user's language
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = accounts.find_valid_invitation(token)
    except DomainError as error:
        return render_template("accounts/invitation_invalid.html", reason=str(error)), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.accept_invitation(token, form.password.data)
        except DomainError as error:
            form_error(form.password, error)
        else:
            flash(_("Your password is set. Please log in."), "success")
            return redirect(url_for("auth.login"))
    email = db.session.get(User, invitation.user_id).email
    return render_template("accounts/accept_invitation.html", form=form, email=email)


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if accounts.authenticate(user.email, form.current_password.data) is None:
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            accounts.set_password(user, form.password.data)
            session.clear()
            login_user(user)  # this session carries on with the new epoch; others end
            flash(_("Your password is changed; other sessions were logged out."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/change_password.html", form=form)
