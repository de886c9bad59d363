"""The administrator's integration tokens: the list, a new token (shown once), revoking."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from somet.api import operations as tokens
from somet.api import queries
from somet.api.forms import TokenForm
from somet.api.rules import SCOPES
from somet.core.errors import DomainError
from somet.models import Role
from somet.web.access import role_required
from somet.web.refusals import flash_error, form_error

blueprint = Blueprint("integrations", __name__, url_prefix="/admin/integrations")

SCOPE_LABELS = {
    "read:cohorts": _l("Read cohorts"),
    "read:doctors": _l("Read doctors"),
    "read:placements": _l("Read placements"),
    "read:masterclasses": _l("Read masterclasses"),
    "read:certificates": _l("Read certificates"),
    "write:rosters": _l("Import rosters"),
    "write:attendance": _l("Record attendance"),
}


@blueprint.route("")
@role_required(Role.ADMIN)
def list_tokens():
    return render_template("api/tokens.html", tokens=queries.tokens(), scope_labels=SCOPE_LABELS)


@blueprint.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_token():
    form = TokenForm()
    form.scopes.choices = [
        SelectChoice(scope, f"{scope} — {SCOPE_LABELS[scope]}") for scope in SCOPES
    ]
    form.hospital_id.choices = [SelectChoice(0, _("No limit: everything a director sees"))] + [
        SelectChoice(hospital_id, name) for hospital_id, name in queries.hospitals_to_limit_to()
    ]
    if form.validate_on_submit():
        try:
            issued = tokens.create_token(
                current_user._get_current_object(),
                form.name.data,
                form.scopes.data,
                queries.hospital(form.hospital_id.data) if form.hospital_id.data else None,
            )
        except DomainError as error:
            form_error(form.name, error)
        else:
            # Rendered, not redirected: the token is shown this once and kept nowhere.
            return render_template(
                "api/token_created.html", token=issued.token, secret=issued.secret,
                scope_labels=SCOPE_LABELS,
            )  # fmt: skip
    status = 400 if form.is_submitted() else 200
    return render_template("api/token_form.html", form=form), status


@blueprint.route("/<int:api_token_id>/revoke", methods=["POST"])
@role_required(Role.ADMIN)
def revoke_token(api_token_id: int):
    token = queries.token(api_token_id) or abort(404)
    try:
        tokens.revoke_token(current_user._get_current_object(), token)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("The token of %(name)s is revoked.", name=token.name), "success")
    return redirect(url_for("integrations.list_tokens"))
