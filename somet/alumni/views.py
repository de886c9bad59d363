"""The alumni registry for directors and administrators: the list, the export, a history."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from somet.alumni import history, queries
from somet.alumni.export import registry_workbook
from somet.alumni.forms import RegistryFilterForm
from somet.models import Doctor
from somet.web.access import STAFF, get_visible_or_404, role_required
from somet.web.i18n import page_language

blueprint = Blueprint("alumni", __name__, url_prefix="/alumni")
PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter_form() -> tuple[RegistryFilterForm, queries.FilterChoices]:
    form = RegistryFilterForm(request.args)
    choices = queries.filter_choices()
    form.offer(choices.years, choices.sponsors)
    return form, choices


def _page(form, choices, page=None):
    status = 400 if page is None else 200  # a refused filter: say which, list nobody
    return render_template("alumni/registry.html", form=form, choices=choices, page=page), status


@blueprint.route("")
@role_required(*STAFF)
def list_alumni():
    form, choices = _filter_form()
    if not form.validate():
        return _page(form, choices)
    page = queries.registry_page(form.values(), form.page.data or 1, PER_PAGE)
    return _page(form, choices, page)


@blueprint.route("/export.xlsx")
@role_required(*STAFF)
def export_alumni():
    form, choices = _filter_form()
    if not form.validate():
        return _page(form, choices)
    content = registry_workbook(queries.all_rows(form.values()), page_language())
    disposition = 'attachment; filename="alumni.xlsx"'
    return Response(content, content_type=XLSX, headers={"Content-Disposition": disposition})


@blueprint.route("/<int:doctor_id>")
@role_required(*STAFF)
def show_alumnus(doctor_id: int):
    doctor = get_visible_or_404(Doctor, doctor_id)
    return render_template("alumni/history.html", history=history.doctor_history(doctor))
