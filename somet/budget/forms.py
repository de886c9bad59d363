"""Forms of the budget pages: reporting currency, exchange rate, budget line, cost.

Amounts are typed as text and read by the pure money rules (``rules.money``), so a wrong
currency, a rate of zero or too many decimals is a message under its field, never a float.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from somet.budget.labels import category_choices, unit_choices
from somet.budget.rules import money
from somet.web.problem_texts import describe_all

CURRENCY_HELP = _l("Three letters of ISO 4217: USD, EUR, KZT, ILS…")


def _refuse(found) -> None:
    if found is not None:
        raise ValidationError(describe_all([found]))


def _code(text: str | None) -> str:
    return (text or "").strip().upper()


class CurrencyField(StringField):
    """An ISO 4217 code, upper-cased, checked against Babel's list."""

    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("validators", [DataRequired(message=_l("Give a currency."))])
        super().__init__(label, render_kw={"maxlength": 3, "autocapitalize": "characters",
                                           "list": "currency-codes"}, **kwargs)  # fmt: skip

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = _code(self.data)

    def post_validate(self, form, validation_stopped):
        if not validation_stopped and not self.errors:
            found = money.currency_problem(self.data)
            if found is not None:
                self.errors.append(describe_all([found]))


class CurrencyChoiceForm(FlaskForm):
    currency = CurrencyField(_l("Reporting currency"))


class RateForm(FlaskForm):
    rate_currency = CurrencyField(_l("Currency"))
    rate = StringField(_l("Rate"), validators=[InputRequired(message=_l("Give the rate."))])

    def validate_rate(self, field):
        self.rate_value, found = money.parse_rate(field.data)
        _refuse(found)


class _MoneyForm(FlaskForm):
    currency = CurrencyField(_l("Currency"), description=CURRENCY_HELP)

    def _amount(self, field, *, negative: bool) -> Decimal | None:
        if self.currency.data and money.currency_problem(self.currency.data) is None:
            value, found = money.parse_amount(field.data, self.currency.data, negative=negative)
        else:  # the currency's own error says what is wrong; read the digits alone
            value, found = money.parse_amount(field.data, "USD", negative=negative)
            if found is not None and found.code == "money.too_many_decimals":
                found = found.replace(currency="")  # not "in USD": no currency is known
        _refuse(found)
        return value


def _percent(text: str | None) -> Decimal:
    value, found = money.parse_amount(text, "USD")
    _refuse(found)
    if value > 100:
        raise ValidationError(_l("A share is between 0 and 100 %."))
    return value


class LineForm(_MoneyForm):
    category = SelectField(_l("Category"), choices=category_choices())
    description = StringField(_l("Description"), validators=[Optional(), Length(max=200)])
    unit = SelectField(_l("Unit"), choices=unit_choices())
    quantity = StringField(
        _l("Quantity"),
        description=_l("Leave empty to use the quantity suggested from the doctors' stays."),
    )
    unit_amount = StringField(
        _l("Amount per unit"), validators=[InputRequired(message=_l("Give an amount."))]
    )
    sponsor_share = StringField(_l("Sponsor's share (%)"), default="100")

    def validate_quantity(self, field):
        self.quantity_value = None
        if (field.data or "").strip():
            self.quantity_value, found = money.parse_quantity(field.data)
            _refuse(found)

    def validate_unit_amount(self, field):
        self.unit_amount_value = self._amount(field, negative=False)

    def validate_sponsor_share(self, field):
        self.sponsor_share_value = _percent(field.data)


class CostForm(_MoneyForm):
    category = SelectField(_l("Category"), choices=category_choices())
    budget_line = SelectField(_l("Budget line"), choices=[], validate_choice=True)
    enrollment = SelectField(_l("For"), choices=[], validate_choice=True)
    description = StringField(_l("Description"), validators=[Optional(), Length(max=200)])
    supplier = StringField(_l("Supplier"), validators=[Optional(), Length(max=200)])
    invoice_number = StringField(_l("Invoice number"), validators=[Optional(), Length(max=60)])
    incurred_on = DateField(
        _l("Date"), validators=[InputRequired(message=_l("Give the invoice's date."))]
    )
    amount = StringField(
        _l("Amount"),
        description=_l("A refund or credit note is a negative amount."),
        validators=[InputRequired(message=_l("Give an amount."))],
    )
    sponsor_share = StringField(
        _l("Sponsor's share (%)"),
        description=_l("Leave empty to use the budget line's share (or 100 % without a line)."),
    )
    invoice = FileField(_l("Invoice file (PDF, JPEG or PNG, at most 10 MB)"))

    def validate_amount(self, field):
        self.amount_value = self._amount(field, negative=True)

    def validate_sponsor_share(self, field):
        self.sponsor_share_value = _percent(field.data) if (field.data or "").strip() else None

    def chosen_id(self, field) -> int | None:
        return int(field.data) if field.data else None
