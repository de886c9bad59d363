"""The director's budget of a cohort: rates, lines, costs, invoices and the workbook."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from somet.budget import export, queries
from somet.budget import operations as service
from somet.budget.forms import CostForm, CurrencyChoiceForm, LineForm, RateForm
from somet.budget.labels import PER_DOCTOR_RULE, ROUNDING_RULE
from somet.core.errors import DomainError
from somet.core.localisation import person_name
from somet.documents.operations import document_file_path
from somet.models import BudgetUnit, Cohort, CostCategory
from somet.web.access import STAFF, get_visible_or_404, role_required
from somet.web.downloads import download_headers, send_stored_file
from somet.web.i18n import page_language
from somet.web.refusals import flash_error, form_error

blueprint = Blueprint("budget", __name__, url_prefix="/cohorts/<int:cohort_id>/budget")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor():
    return current_user._get_current_object()


def _page(cohort_id: int):
    # kept referenced: the session's identity map holds objects weakly, so the budget's own
    # read of the cohort finds it there instead of selecting it again
    cohort = get_visible_or_404(Cohort, cohort_id)
    return queries.cohort_budget(cohort.id) or abort(404)


def _show(page, currency_form=None, rate_form=None, status: int = 200):
    currency_form = currency_form or CurrencyChoiceForm(
        formdata=None, currency=page.cohort.reporting_currency
    )
    return render_template(
        "budget/cohort.html",
        page=page,
        figures=page.summary,
        currency_form=currency_form,
        rate_form=rate_form or RateForm(formdata=None),
        rounding_rule=ROUNDING_RULE,
        per_doctor_rule=PER_DOCTOR_RULE,
    ), status


@blueprint.route("")
@role_required(*STAFF)
def show_budget(cohort_id: int):
    return _show(_page(cohort_id))


@blueprint.route("/currency", methods=["POST"])
@role_required(*STAFF)
def set_reporting_currency(cohort_id: int):
    page = _page(cohort_id)
    form = CurrencyChoiceForm()
    if form.validate_on_submit():
        try:
            changed = service.set_reporting_currency(_actor(), cohort_id, form.currency.data)
        except DomainError as error:
            form_error(form.currency, error)
        else:
            if changed:
                message = _(
                    "Reporting currency set to %(currency)s. Enter each exchange rate again, "
                    "against %(currency)s.",
                    currency=form.currency.data,
                )
                flash(message, "success")
            return redirect(url_for(".show_budget", cohort_id=cohort_id))
    return _show(page, currency_form=form, status=400)


@blueprint.route("/rates", methods=["POST"])
@role_required(*STAFF)
def set_exchange_rate(cohort_id: int):
    page = _page(cohort_id)
    form = RateForm()
    if form.validate_on_submit():
        try:
            service.set_rate(_actor(), cohort_id, form.rate_currency.data, form.rate_value)
        except DomainError as error:
            form_error(form.rate_currency, error)
        else:
            flash(_("Exchange rate for %(currency)s saved.", currency=form.rate_currency.data),
                  "success")  # fmt: skip
            return redirect(url_for(".show_budget", cohort_id=cohort_id, _anchor="rates"))
    return _show(page, rate_form=form, status=400)


def _line_input(form: LineForm, suggested) -> service.LineInput:
    unit = BudgetUnit(form.unit.data)
    quantity = form.quantity_value
    if quantity is None:
        quantity = suggested.get(unit.value, 1)
    return service.LineInput(
        category=CostCategory(form.category.data),
        description=form.description.data or "",
        unit=unit,
        quantity=quantity,
        unit_amount=form.unit_amount_value,
        currency=form.currency.data,
        sponsor_share_percent=form.sponsor_share_value,
    )


@blueprint.route("/lines/new", methods=["GET", "POST"])
@role_required(*STAFF)
def add_budget_line(cohort_id: int):
    return _line_form(cohort_id, None)


@blueprint.route("/lines/<int:line_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_budget_line(cohort_id: int, line_id: int):
    return _line_form(cohort_id, line_id)


def _line_form(cohort_id: int, line_id: int | None):
    cohort = get_visible_or_404(Cohort, cohort_id)
    line = queries.line_of(cohort_id, line_id) if line_id else None
    if line_id and line is None:
        abort(404)
    suggested = queries.suggested_quantities(cohort_id)
    form = LineForm(obj=None)
    if line is not None and not form.is_submitted():
        form.process(
            formdata=None, category=line.category.value, description=line.description,
            unit=line.unit.value, quantity=f"{line.quantity.normalize():f}",
            unit_amount=f"{line.unit_amount:f}", currency=line.currency,
            sponsor_share=f"{line.sponsor_share_percent.normalize():f}",
        )  # fmt: skip
    elif not form.is_submitted():
        form.currency.data = cohort.reporting_currency
    if form.validate_on_submit():
        try:
            service.save_line(_actor(), cohort_id, _line_input(form, suggested), line_id)
        except DomainError as error:
            form_error(form.unit_amount, error)
        else:
            flash(_("Budget line saved."), "success")
            return redirect(url_for(".show_budget", cohort_id=cohort_id, _anchor="lines"))
    return render_template(
        "budget/line_form.html", cohort=cohort, form=form, line=line, suggested=suggested
    ), (400 if form.errors else 200)


@blueprint.route("/lines/<int:line_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_budget_line(cohort_id: int, line_id: int):
    get_visible_or_404(Cohort, cohort_id)
    try:
        service.delete_line(_actor(), cohort_id, line_id)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Budget line deleted; its costs are kept, against no line."), "success")
    return redirect(url_for(".show_budget", cohort_id=cohort_id, _anchor="lines"))


def _cost_choices(form: CostForm, cohort_id: int) -> None:
    language = page_language()
    form.budget_line.choices = [SelectChoice("", _("No budget line"))] + [
        SelectChoice(str(line.id), export.line_name(line))
        for line in queries.cohort_line_choices(cohort_id)
    ]
    form.enrollment.choices = [SelectChoice("", _("The whole cohort"))] + [
        SelectChoice(str(e.id), person_name(d.first_name, d.last_name, d.native_name, language))
        for e in queries.cohort_enrollments(cohort_id)
        for d in (e.doctor,)
    ]


@blueprint.route("/costs/new", methods=["GET", "POST"])
@role_required(*STAFF)
def record_cost(cohort_id: int):
    return _cost_form(cohort_id, None)


@blueprint.route("/costs/<int:cost_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_cost(cohort_id: int, cost_id: int):
    return _cost_form(cohort_id, cost_id)


def _cost_form(cohort_id: int, cost_id: int | None):
    cohort = get_visible_or_404(Cohort, cohort_id)
    cost = queries.cost_of(cohort_id, cost_id) if cost_id else None
    if cost_id and cost is None:
        abort(404)
    form = CostForm()
    _cost_choices(form, cohort_id)
    if not form.is_submitted():
        _fill_cost_form(form, cohort, cost)
    if form.validate_on_submit():
        upload = form.invoice.data
        invoice = None
        if upload and upload.filename:
            invoice = service.InvoiceUpload(upload.stream, upload.filename)
        storage = current_app.config["SOMET_STORAGE_DIR"]
        try:
            if cost is None:
                service.record_cost(_actor(), cohort_id, _cost_input(form), storage, invoice)
            else:
                data = _cost_input(form)
                service.change_cost(_actor(), cohort_id, cost_id, data, storage, invoice)
        except DomainError as error:
            form_error(form.invoice if invoice else form.amount, error)
        else:
            flash(_("Cost recorded.") if cost is None else _("Cost saved."), "success")
            return redirect(url_for(".show_budget", cohort_id=cohort_id, _anchor="costs"))
    return render_template("budget/cost_form.html", cohort=cohort, form=form, cost=cost), (
        400 if form.errors else 200
    )


def _fill_cost_form(form: CostForm, cohort, cost) -> None:
    if cost is None:
        form.currency.data, form.incurred_on.data = cohort.reporting_currency, date.today()
        return
    share = cost.sponsor_share_percent
    form.process(
        formdata=None, category=cost.category.value,
        budget_line=str(cost.budget_line_id or ""), enrollment=str(cost.enrollment_id or ""),
        description=cost.description, supplier=cost.supplier or "",
        invoice_number=cost.invoice_number or "", incurred_on=cost.incurred_on,
        amount=f"{cost.amount:f}", currency=cost.currency,
        sponsor_share="" if share is None else f"{share.normalize():f}",
    )  # fmt: skip


def _cost_input(form: CostForm) -> service.CostInput:
    return service.CostInput(
        category=CostCategory(form.category.data),
        description=form.description.data or "",
        amount=form.amount_value,
        currency=form.currency.data,
        incurred_on=form.incurred_on.data,
        supplier=form.supplier.data or "",
        invoice_number=form.invoice_number.data or "",
        budget_line_id=form.chosen_id(form.budget_line),
        enrollment_id=form.chosen_id(form.enrollment),
        sponsor_share_percent=form.sponsor_share_value,
    )


# Declared before the delete route: the permission matrix probes routes in this order.
@blueprint.route("/costs/<int:cost_id>/invoice")
@role_required(*STAFF)
def download_invoice(cohort_id: int, cost_id: int):
    get_visible_or_404(Cohort, cohort_id)
    cost = queries.invoice_of(cohort_id, cost_id) or abort(404)
    path = document_file_path(current_app.config["SOMET_STORAGE_DIR"], cost.invoice_storage_name)
    return send_stored_file(path, cost.invoice_content_type, cost.invoice_filename or "invoice")


@blueprint.route("/costs/<int:cost_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_cost(cohort_id: int, cost_id: int):
    get_visible_or_404(Cohort, cohort_id)
    try:
        service.delete_cost(_actor(), cohort_id, cost_id, current_app.config["SOMET_STORAGE_DIR"])
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Cost deleted."), "success")
    return redirect(url_for(".show_budget", cohort_id=cohort_id, _anchor="costs"))


@blueprint.route("/export.xlsx")
@role_required(*STAFF)
def export_budget(cohort_id: int):
    page = _page(cohort_id)
    content = export.budget_xlsx(page, page_language())
    response = current_app.response_class(content, mimetype=XLSX)
    name = f"budget-cohort-{cohort_id}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return download_headers(response)
