"""The audit log for administrators: every state change, filterable."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from wtforms.fields.choices import SelectChoice

from somet.audit import catalogue
from somet.audit import operations as audit
from somet.audit.forms import AuditFilterForm
from somet.models import Role
from somet.web.access import role_required
from somet.web.paging import cursor

blueprint = Blueprint("audit", __name__, url_prefix="/admin/audit")
EVENTS_PER_PAGE = 50


@blueprint.route("")
@role_required(Role.ADMIN)
def list_events():
    form = AuditFilterForm(request.args)
    actions, object_types = catalogue.known_actions(), catalogue.known_object_types()
    form.action.choices = [SelectChoice("", "—")] + [SelectChoice(a, a) for a in actions]
    form.object_type.choices = [SelectChoice("", "—")] + [SelectChoice(t, t) for t in object_types]
    filters = audit.AuditFilter()
    if request.args and form.validate():
        filters = audit.AuditFilter(
            actor=form.actor.data or None,
            action=form.action.data or None,
            object_type=form.object_type.data or None,
            object_id=form.object_id.data,
            since=form.since.data,
            until=form.until.data,
        )
    page = audit.search_events(
        filters,
        per_page=EVENTS_PER_PAGE,
        before=cursor(request.args.get("before")),
        after=cursor(request.args.get("after")),
    )
    status = 400 if form.errors else 200
    return render_template("audit/events.html", form=form, page=page), status
