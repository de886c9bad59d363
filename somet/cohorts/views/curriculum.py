"""The curriculum editor (every rotation on one page) and per-doctor option overrides."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from somet.cohorts import curriculum as service
from somet.cohorts import overview
from somet.cohorts.departments import cohort_with_departments
from somet.cohorts.forms import curriculum_item_form_class, options_form, override_values
from somet.cohorts.views import actor, blueprint, cohort_or_404
from somet.cohorts.views.roster import enrollment_or_404
from somet.core.errors import DomainError
from somet.models import Cohort, Enrollment
from somet.web.access import STAFF, role_required
from somet.web.i18n import name_of
from somet.web.refusals import flash_error, form_error


def _item_form(form_class, item=None, **kwargs):
    """The form of one rotation, prefixed so several live on one page (``form_class``: a
    ``curriculum_item_form_class``, built once for a page's forms)."""
    prefix = f"item-{item.id}" if item else "new"
    if item is None or kwargs.get("formdata") is not None:
        return form_class(prefix=prefix, **kwargs)
    form = form_class(prefix=prefix, obj=item, formdata=None)
    form.specialty_mode.data = item.specialty_mode.value
    form.specialty.data = item.specialty or ""
    for option in item.options:
        field = form._fields.get(f"dept_{option.department_id}")
        if field is not None:
            field.data = option.preference
    return form


def _render(cohort: Cohort, departments, failed=None, failed_id=None):
    """The page, its rotations as plain rows (``overview.rotations``: objects cost more)."""
    items = overview.rotations(cohort.id)
    form_class = curriculum_item_form_class(departments)
    forms = [
        (item, failed if failed_id == item.id else _item_form(form_class, item)) for item in items
    ]
    new_form = failed if failed_id == "new" else _item_form(form_class, formdata=None)
    return render_template("cohorts/curriculum.html", cohort=cohort, forms=forms, new_form=new_form)


@blueprint.route("/cohorts/<int:cohort_id>/curriculum")
@role_required(*STAFF)
def edit_curriculum(cohort_id: int):
    found = cohort_with_departments(cohort_id)  # one statement for both
    if found is None:
        abort(404)
    return _render(*found)


@blueprint.route("/cohorts/<int:cohort_id>/curriculum/new", methods=["POST"])
@role_required(*STAFF)
def add_curriculum_item(cohort_id: int):
    cohort = cohort_or_404(cohort_id)
    departments = service.host_departments(cohort.id)
    form = _item_form(curriculum_item_form_class(departments))
    if form.validate_on_submit():
        try:
            service.add_item(actor(), cohort, form.options(), **form.values())
        except DomainError as error:
            form_error(form.name, error)
        else:
            flash(_("Rotation added."), "success")
            return redirect(url_for("cohorts.edit_curriculum", cohort_id=cohort.id))
    return _render(cohort, departments, form, "new"), 400


@blueprint.route("/cohorts/<int:cohort_id>/curriculum/<int:item_id>", methods=["POST"])
@role_required(*STAFF)
def update_curriculum_item(cohort_id: int, item_id: int):
    cohort = cohort_or_404(cohort_id)
    departments = service.host_departments(cohort.id)
    item = next((i for i in service.curriculum_items(cohort.id) if i.id == item_id), None)
    if item is None:
        return _render(cohort, departments), 404
    form = _item_form(curriculum_item_form_class(departments), item, formdata=request.form)
    if form.validate_on_submit():
        try:
            service.update_item(actor(), cohort, item.id, form.options(), **form.values())
        except DomainError as error:
            form_error(form.name, error)
        else:
            flash(_("Rotation saved."), "success")
            return redirect(url_for("cohorts.edit_curriculum", cohort_id=cohort.id))
    return _render(cohort, departments, form, item.id), 400


@blueprint.route("/cohorts/<int:cohort_id>/curriculum/<int:item_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_curriculum_item(cohort_id: int, item_id: int):
    cohort = cohort_or_404(cohort_id)
    try:
        service.remove_item(actor(), cohort, item_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Rotation removed."), "success")
    return redirect(url_for("cohorts.edit_curriculum", cohort_id=cohort.id))


@blueprint.route(
    "/cohorts/<int:cohort_id>/roster/<int:enrollment_id>/options", methods=["GET", "POST"]
)
@role_required(*STAFF)
def edit_enrollment_options(cohort_id: int, enrollment_id: int):
    cohort = cohort_or_404(cohort_id)
    # the doctor's overrides come with the enrollment: a statement less
    enrollment = enrollment_or_404(cohort, enrollment_id, joinedload(Enrollment.option_overrides))
    departments = service.host_departments(cohort.id)
    items = service.curriculum_items(cohort.id)
    form = options_form(items, departments)
    if not form.is_submitted():
        for item_id, options in service.enrollment_overrides(enrollment).items():
            for department_id, preference in options.items():
                form[f"opt_{item_id}_{department_id}"].data = preference
    if form.validate_on_submit():
        try:
            service.set_enrollment_options(actor(), enrollment, override_values(form))
        except DomainError as error:
            flash_error(error)
        else:
            flash(_("Options saved for %(name)s.", name=name_of(enrollment.doctor)), "success")
            return redirect(url_for("cohorts.show_cohort", cohort_id=cohort.id))
    defaults = service.curriculum_defaults(cohort, enrollment, departments, items)
    return render_template(
        "cohorts/options.html",
        cohort=cohort,
        enrollment=enrollment,
        items=items,
        departments=departments,
        form=form,
        defaults=defaults,
    )
