"""The language switcher: saved on the account when logged in, in the session otherwise."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import current_user

from somet.accounts import languages
from somet.accounts.views.auth import safe_next
from somet.core.errors import ValidationFailed
from somet.web.i18n import SESSION_KEY

blueprint = Blueprint("languages", __name__)


@blueprint.route("/language", methods=["POST"])
def set_language():
    code = request.form.get("language")
    try:
        if current_user.is_authenticated:
            languages.set_user_language(current_user._get_current_object(), code)
        else:
            session[SESSION_KEY] = languages.parse_language(code).value
    except ValidationFailed:
        abort(400)
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
