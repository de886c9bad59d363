"""A cohort's money: budget lines, exchange rates entered by hand, actual costs with their
invoices, totals per currency and converted, and the workbook (directors only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jinja2 import pass_context
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """The budget pages and the ``money``, ``amount`` and ``rate`` template filters."""
    from somet.budget import views
    from somet.budget.labels import category_label, unit_label
    from somet.budget.rules.money import Money

    app.register_blueprint(views.blueprint)
    app.add_template_filter(money_text, "money")
    app.add_template_filter(amount, "amount")
    app.add_template_filter(rate_text, "rate")
    app.add_template_filter(category_label, "cost_category")
    app.add_template_filter(unit_label, "budget_unit")
    app.add_template_global(Money, "money_of")


# The filters import lazily: the budget's pure rules are imported without Flask, and any
# import of them runs this package first. Each reads the page's language from the template's
# context (as the other filters do), not from Flask-Babel: a budget page writes a hundred.


@pass_context
def money_text(context, money) -> str:
    """``{{ money|money }}``: a Money in the reader's locale (rounded once), "" when None."""
    from somet.budget.rules.money import format_money
    from somet.web.templating import language_of

    return format_money(money, language_of(context))


@pass_context
def rate_text(context, rate) -> str:
    """``{{ rate|rate }}``: an exchange rate with every decimal entered, in the reader's locale."""
    from somet.budget.rules.money import format_rate
    from somet.web.templating import language_of

    return format_rate(rate, language_of(context))


# What ``amount`` writes for a figure that cannot be converted (its missing rate is named
# elsewhere on the page).
NOT_CONVERTED = Markup('<span class="text-muted">—</span>')


@pass_context
def amount(context, money) -> Markup:
    """``{{ money|amount }}``: ``money`` as in the ``money`` filter, or a dash when it is None.
    A filter rather than a macro: a budget page writes some seventy amounts."""
    if money is None:
        return NOT_CONVERTED
    return escape(money_text(context, money))
