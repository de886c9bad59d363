"""The money rules without an app: Decimal amounts in one currency, conversion at full
precision, totals per currency and converted (rounded once, half up), a missing rate named
instead of a wrong total, quantities suggested from the doctors' stays, the page's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from babel.numbers import format_currency

from somet.budget.rules import money, summary
from somet.budget.rules.money import CurrencyMismatch, Money, Stay
from somet.core.problems import problem


def test_money_adds_within_one_currency_and_refuses_floats_and_mixing():
    assert Money(D("1.10"), "USD") + Money(D("2.20"), "USD") == Money(D("3.30"), "USD")
    assert Money(D("5"), "ILS") - Money(D("7"), "ILS") == Money(D("-2"), "ILS")
    assert Money(D("2.50"), "EUR") * 3 == Money(D("7.50"), "EUR")
    with pytest.raises(CurrencyMismatch):
        Money(D(1), "USD") + Money(D(1), "EUR")
    with pytest.raises(TypeError):
        Money(1.1, "USD")  # a float is never money
    with pytest.raises(TypeError):
        Money(D(1), "USD") * 1.5


def test_converted_total_is_rounded_once_not_the_sum_of_rounded_parts():
    # Three ILS amounts at 0.275 USD each convert to 0.275 USD: rounded one by one they make
    # 0.28 x 3 = 0.84, the stated rule (full precision, one rounding at the end) gives 0.83.
    amounts = [Money(D("1.00"), "ILS")] * 3
    found = money.totals(amounts, {"ILS": D("0.275")}, "USD")
    parts = sum(money.convert(m, {"ILS": D("0.275")}, "USD").rounded().amount for m in amounts)
    assert parts == D("0.84")
    assert found.converted.rounded() == Money(D("0.83"), "USD")
    assert found.per_currency == {"ILS": Money(D("3.00"), "ILS")}


def test_rounding_is_half_up_to_the_currency_minor_units():
    assert Money(D("0.125"), "USD").rounded().amount == D("0.13")
    assert Money(D("-0.125"), "USD").rounded().amount == D("-0.13")
    assert Money(D("1234.5"), "JPY").rounded().amount == D("1235")
    assert money.minor_units("KZT") == 2 and money.minor_units("JPY") == 0


def test_totals_per_currency_and_converted_to_the_reporting_currency():
    rates = {"KZT": D("0.00198"), "ILS": D("0.2750")}
    found = money.totals(
        [
            Money(D("8190000.00"), "KZT"),
            Money(D("16500.00"), "ILS"),
            Money(D("25.00"), "ILS"),
            Money(D("100.00"), "USD"),
            Money(D("-10.00"), "USD"),  # a refund
        ],
        rates,
        "USD",
    )
    assert found.per_currency == {
        "ILS": Money(D("16525.00"), "ILS"),
        "KZT": Money(D("8190000.00"), "KZT"),
        "USD": Money(D("90.00"), "USD"),
    }
    expected = D("8190000") * D("0.00198") + D("16525") * D("0.275") + D(90)
    assert found.converted == Money(expected, "USD")
    assert found.converted.rounded().amount == D("20850.58")  # 20850.575: half up
    assert found.missing == ()


def test_a_currency_without_a_rate_is_named_and_nothing_is_converted():
    found = money.totals(
        [Money(D("100"), "USD"), Money(D("50"), "EUR"), Money(D("9"), "ILS")],
        {"ILS": D("0.27")},
        "USD",
    )
    assert found.converted is None
    assert found.missing == ("EUR",)
    assert found.problems == [problem("money.missing_rate", currency="EUR")]
    assert found.per_currency["EUR"] == Money(D("50"), "EUR")  # per currency still shown


def test_amounts_with_more_decimals_than_the_currency_has_are_refused_not_rounded():
    assert money.parse_amount("1 234,50", "KZT") == (D("1234.50"), None)
    assert money.parse_amount("1,234.50", "USD") == (D("1234.50"), None)
    assert money.parse_amount("12.345", "USD")[1] == problem(
        "money.too_many_decimals", currency="USD", places=2
    )
    assert money.parse_amount("1500.5", "JPY")[1].code == "money.too_many_decimals"
    assert money.parse_amount("abc", "USD")[1].code == "money.not_a_number"
    assert money.parse_amount("1e5", "USD")[1].code == "money.not_a_number"
    assert money.parse_amount("-5", "USD")[1].code == "money.negative"
    assert money.parse_amount("-5", "USD", negative=True) == (D("-5.00"), None)


def test_rates_are_positive_with_at_most_eight_decimals():
    assert money.parse_rate("0.00198") == (D("0.00198"), None)
    assert money.parse_rate("0")[1].code == "money.rate_not_positive"
    assert money.parse_rate("0.000000001")[1].code == "money.too_many_decimals"


def test_currency_codes_come_from_babels_list():
    assert money.currency_problem("KZT") is None and money.currency_problem("ILS") is None
    assert money.currency_problem("XYZ") == problem("money.unknown_currency", currency="XYZ")
    assert money.currency_problem("") is not None


def test_amounts_are_formatted_in_the_readers_language():
    assert money.format_money(Money(D("1234.5"), "USD"), "en") == "$1,234.50"
    assert money.format_money(Money(D("1234.5"), "KZT"), "kk") == "1\xa0234,50\xa0₸"
    assert money.format_money(Money(D("1234.5"), "ILS"), "ru") == "1\xa0234,50\xa0₪"
    assert money.format_money(Money(D("1234.505"), "ILS"), "kk").startswith("1\xa0234,51")


def test_amounts_are_written_as_babels_format_currency_writes_them():
    # format_money applies the locale's currency pattern with the sign written in beforehand
    amounts = ["0", "0.5", "7", "1234.5", "-1234.56", "999999999999.99", "1234.505", "-0.004",
               "999.995", "-999.995", "1000", "-1000000.5", "12345678.9", "0.001", "100000"]
    for language in ("en", "ru", "kk"):
        for code in sorted(money.currencies()):
            for value in amounts:
                expected = format_currency(
                    Money(D(value), code).rounded().amount, code, locale=language
                )
                assert money.format_money(Money(D(value), code), language) == expected, (
                    language,
                    code,
                )


def test_quantities_are_suggested_from_the_stays():
    stays = [Stay(date(2027, 1, 10), date(2027, 1, 21)), Stay(date(2027, 1, 11), date(2027, 1, 21))]
    assert stays[0].days == 12 and stays[0].nights == 11 and stays[0].weeks == 2
    assert money.suggested_quantity("per_doctor", stays) == 2
    assert money.suggested_quantity("per_doctor_week", stays) == 4  # a week begun counts
    assert money.suggested_quantity("per_doctor_night", stays) == 21
    assert money.suggested_quantity("per_doctor_day", stays) == 23
    assert money.suggested_quantity("lump_sum", stays) == 1


def test_summary_per_category_sponsor_share_and_per_doctor():
    lines = [
        summary.LineFacts(1, "host_fees", "USD", D("1500.00"), D(4), D(100)),
        summary.LineFacts(2, "per_diem", "USD", D("45.00"), D(23), D(50)),
        summary.LineFacts(3, "hotel", "ILS", D("290.00"), D(21), D(100)),
    ]
    costs = [
        summary.CostFacts(1, "hotel", "ILS", D("3000.00"), D(100)),  # cohort-wide
        summary.CostFacts(2, "visa_fees", "ILS", D("25.00"), D(0), enrollment_id=11),
    ]
    figures = summary.summarise(lines, costs, {"ILS": D("0.275")}, "USD", [11, 12])
    planned = D(6000) + D(1035) + D(6090) * D("0.275")
    assert figures.planned.converted == Money(planned, "USD")
    assert figures.planned_sponsor.converted == Money(planned - D("517.5"), "USD")
    assert figures.planned_centre.converted == Money(D("517.5"), "USD")
    assert figures.actual_sponsor.converted.amount == D("825")
    assert figures.actual_centre.converted.amount == D("6.875")
    hotel = next(row for row in figures.categories if row.category == "hotel")
    assert hotel.difference.amount == (D(3000) - D(6090)) * D("0.275")
    assert [row.category for row in figures.categories] == [
        "host_fees", "hotel", "per_diem", "visa_fees"
    ]  # fmt: skip
    # A doctor's own costs plus an equal share of the cohort-wide costs.
    assert figures.shared_per_doctor.amount == D(825) / 2
    rows = {row.enrollment_id: row for row in figures.doctor_rows}
    assert rows[11].total.amount == D("412.5") + D("6.875")
    assert rows[12].total.amount == D("412.5")
    assert figures.actual_per_doctor.amount == (D(825) + D("6.875")) / 2


def test_summary_names_missing_rates_and_gives_no_converted_figure():
    figures = summary.summarise(
        [summary.LineFacts(1, "flights", "KZT", D("415000"), D(2), D(100))],
        [],
        {},
        "USD",
        [1, 2],
    )
    assert figures.missing == ("KZT",)
    assert figures.planned.converted is None and figures.planned_per_doctor is None


def test_quantities_fit_the_ledger():
    assert money.parse_quantity("21") == (D("21.00"), None)
    assert money.parse_quantity("100000000")[1].code == "money.too_large"
    assert money.parse_quantity("1.255")[1] == problem("money.too_many_decimals", currency="",
                                                       places=2)  # fmt: skip


def test_a_currency_s_smallest_amount_is_looked_up_once(monkeypatch):
    """Every amount shown is rounded to it: CLDR is asked once per currency, not per amount."""
    asked = []
    precision = money.get_currency_precision
    monkeypatch.setattr(
        money, "get_currency_precision", lambda code: asked.append(code) or precision(code)
    )
    money.quantum.cache_clear()
    for _ in range(3):
        assert Money(D("1234.505"), "USD").rounded() == Money(D("1234.51"), "USD")
        assert Money(D("1234.5"), "JPY").rounded() == Money(D("1235"), "JPY")
    assert asked == ["USD", "JPY"]
    money.quantum.cache_clear()
