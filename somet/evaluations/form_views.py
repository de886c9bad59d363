"""The director's evaluation forms: list per direction, create, edit, copy, default, retire."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from somet.core.errors import DomainError, NotFound
from somet.evaluations import queries as listing
from somet.evaluations import questionnaires
from somet.evaluations.forms import EvaluationFormForm, load_form_rows
from somet.evaluations.views import blueprint
from somet.web.access import STAFF, role_required
from somet.web.refusals import flash_error


def _actor():
    return current_user._get_current_object()


@blueprint.route("/evaluations/forms")
@role_required(*STAFF)
def list_forms():
    return render_template("evaluations/forms.html", forms=listing.forms_by_direction())


@blueprint.route("/evaluations/forms/new", methods=["GET", "POST"])
@role_required(*STAFF)
def create_form():
    builder = EvaluationFormForm()
    copied = request.args.get("copy", type=int)
    if copied is not None and not builder.is_submitted():
        source = _form_or_404(copied)
        builder.name.data = _("Copy of %(name)s", name=source.name)
        builder.direction.data = source.direction.value
        load_form_rows(builder, source.questions)
    if builder.validate_on_submit():
        try:
            form = questionnaires.create_form(
                _actor(), builder.name.data, builder.direction.data, builder.drafts()
            )
        except questionnaires.DraftInvalid as error:
            builder.show_problems(error.problems)
        else:
            flash(_("Form created. Make it the default to use it for new evaluations."), "success")
            return redirect(url_for(".list_forms", _anchor=f"form-{form.id}"))
    status = 400 if builder.is_submitted() else 200
    return render_template("evaluations/form_edit.html", builder=builder, form_obj=None), status


@blueprint.route("/evaluations/forms/<int:form_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_form(form_id: int):
    source = _form_or_404(form_id)
    locked = listing.form_answer_count(source.id) > 0 or source.retired_at is not None
    builder = EvaluationFormForm()
    del builder.direction  # a form keeps its direction
    if not builder.is_submitted():
        builder.name.data = source.name
        load_form_rows(builder, source.questions)
    elif not locked and builder.validate():
        try:
            questionnaires.update_form(_actor(), source.id, builder.name.data, builder.drafts())
        except questionnaires.DraftInvalid as error:
            builder.show_problems(error.problems)
        except DomainError as error:
            flash_error(error)
        else:
            flash(_("Form saved."), "success")
            return redirect(url_for(".list_forms", _anchor=f"form-{source.id}"))
    status = 400 if builder.is_submitted() else 200
    return render_template(
        "evaluations/form_edit.html", builder=builder, form_obj=source, locked=locked
    ), status


@blueprint.route("/evaluations/forms/<int:form_id>/default", methods=["POST"])
@role_required(*STAFF)
def make_form_default(form_id: int):
    try:
        form = questionnaires.make_default(_actor(), form_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(
            _("“%(name)s” is now the default form for new evaluations.", name=form.name), "success"
        )
    return redirect(url_for(".list_forms"))


@blueprint.route("/evaluations/forms/<int:form_id>/retire", methods=["POST"])
@role_required(*STAFF)
def retire_form(form_id: int):
    try:
        questionnaires.retire_form(_actor(), form_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Form retired: its answers stay in the results."), "success")
    return redirect(url_for(".list_forms"))


def _form_or_404(form_id: int):
    try:
        return questionnaires.get_form(form_id)
    except NotFound:
        abort(404)
