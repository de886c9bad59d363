"""The funder's report (page, PDF, XLSX), choosing its quotes, and the director's dashboard."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from somet.core.errors import DomainError
from somet.reports import files, queries, trends
from somet.reports import operations as service
from somet.reports.forms import QuoteForm, ReportForm
from somet.reports.presentation import Section, dashboard_sections, report_sections
from somet.reports.rules import Scope
from somet.web.access import STAFF, role_required
from somet.web.i18n import page_language
from somet.web.refusals import flash_error

blueprint = Blueprint("reports", __name__, url_prefix="/reports")
SCOPE_FIELDS = ("sponsor", "start", "end", "cohort")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope_form() -> tuple[ReportForm, Scope | None]:
    """The form filled from the query string, and the scope when it is a valid choice."""
    form = ReportForm(request.args)
    sponsors = queries.sponsors()
    form.sponsor.choices = [SelectChoice("", "—")] + [SelectChoice(s, s) for s in sponsors]
    form.cohort.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(i), name) for i, name in queries.cohort_choices()
    ]
    if not request.args or not form.validate():
        return form, None
    scope = Scope(form.sponsor.data or None, form.start.data, form.end.data, form.cohort_id())
    return form, scope


def _scope_args() -> dict:
    return {k: request.args[k] for k in SCOPE_FIELDS if request.args.get(k)}


def _report(scope: Scope):
    language = page_language()
    report = queries.funder_report(scope, language)
    return report, report_sections(report, language)


@blueprint.route("/funder")
@role_required(*STAFF)
def show_report():
    form, scope = _scope_form()
    report, sections = _report(scope) if scope else (None, [])
    status = 400 if form.errors else 200
    return render_template(
        "reports/report.html", form=form, report=report, sections=sections, args=_scope_args()
    ), status


@blueprint.route("/funder.pdf")
@role_required(*STAFF)
def download_report_pdf():
    _form, scope = _scope_form()
    if scope is None:
        return redirect(url_for("reports.show_report", **_scope_args()))
    report, sections = _report(scope)
    html = render_template("reports/report_pdf.html", report=report, sections=sections)
    return Response(
        files.report_pdf(html),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="somet-funder-report.pdf"'},
    )


@blueprint.route("/funder.xlsx")
@role_required(*STAFF)
def download_report_xlsx():
    _form, scope = _scope_form()
    if scope is None:
        return redirect(url_for("reports.show_report", **_scope_args()))
    report, sections = _report(scope)
    quotes = Section(
        "quotes",
        _("Quotes"),
        [_("Words"), _("From")],
        [[quote.text, _quote_source(quote)] for quote in report.quotes],
    )
    content = files.report_xlsx(sections, quotes)
    return Response(
        content,
        mimetype=XLSX,
        headers={"Content-Disposition": 'attachment; filename="somet-funder-report.xlsx"'},
    )


def _quote_source(quote) -> str:
    if quote.source == "evaluation":
        return _("A doctor on %(department)s, %(year)d", department=quote.detail, year=quote.year)
    return _(
        "A doctor, %(months)s months after the %(year)d cohort",
        months=quote.detail,
        year=quote.year,
    )


@blueprint.route("/funder/quotes", methods=["GET"])
@role_required(*STAFF)
def choose_quotes():
    form, scope = _scope_form()
    candidates = queries.quotes(scope, chosen_only=False) if scope else []
    return render_template(
        "reports/quotes.html",
        form=form,
        scope=scope,
        candidates=candidates,
        args=_scope_args(),
        quote_form=QuoteForm(),
        describe=_quote_source,
    ), (400 if form.errors else 200)


@blueprint.route("/funder/quotes", methods=["POST"])
@role_required(*STAFF)
def set_quote():
    form = QuoteForm()
    back = {k: form[k].data for k in SCOPE_FIELDS if form[k].data}
    if not form.validate_on_submit():
        flash(_("Choose a quote from the list."), "danger")
        return redirect(url_for("reports.choose_quotes", **back))
    try:
        chosen = form.chosen.data == "1"
        service.set_quote(current_user, form.source.data, form.source_id.data, chosen)
    except DomainError as error:
        flash_error(error)
    else:
        flash(_("Quote chosen.") if chosen else _("Quote removed."), "success")
    return redirect(url_for("reports.choose_quotes", **back))


@blueprint.route("/dashboard")
@role_required(*STAFF)
def show_dashboard():
    sponsors = queries.sponsors()
    sponsor = request.args.get("sponsor") or None
    if sponsor not in sponsors:
        sponsor = None
    sections = dashboard_sections(trends.trends(sponsor), page_language())
    return render_template(
        "reports/dashboard.html", sections=sections, sponsors=sponsors, sponsor=sponsor
    )
