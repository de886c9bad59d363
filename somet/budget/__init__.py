"""A cohort's money: budget lines, exchange rates entered by hand, actual costs with their
invoices, totals per currency and converted, and the workbook (directors only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jinja2 import pass_context
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The budget pages and the ``money`` template filter (an amount in the reader's locale)."""
    from somet.budget import views
    from somet.budget.labels import category_label, unit_label
    from somet.budget.rules.money import Money, format_money, format_rate
    from somet.web.templating import language_of

    app.register_blueprint(views.blueprint)
    app.add_template_filter(
        pass_context(lambda context, money: format_money(money, language_of(context))), "money"
    )
    app.add_template_filter(amount, "amount")
    app.add_template_filter(
        pass_context(lambda context, rate: format_rate(rate, language_of(context))), "rate"
    )
    app.add_template_filter(category_label, "cost_category")
    app.add_template_filter(unit_label, "budget_unit")
    app.add_template_global(Money, "money_of")


# What ``amount`` writes for a figure that cannot be converted (its missing rate is named
# elsewhere on the page).
NOT_CONVERTED = Markup('<span class="text-muted">—</span>')


@pass_context
def amount(context, money) -> Markup:
    """``{{ money|amount }}``: a Money in the reader's locale (rounded once), or a dash when
    it is None. A filter rather than a macro: a budget page writes some seventy amounts; the
    page's language is read from its context, not asked of Flask-Babel for each."""
    from somet.budget.rules.money import format_money
    from somet.web.templating import language_of

    if money is None:
        return NOT_CONVERTED
    return escape(format_money(money, language_of(context)))
