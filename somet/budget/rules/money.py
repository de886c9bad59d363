"""PURE: money as a Decimal with its ISO 4217 currency, never a float.

The rounding rule (the one place it is decided; the budget page states it too):
  - an amount is entered with at most as many decimals as its currency has minor units (and
    at most 2, what the ledger stores); more decimals are refused, never rounded away;
  - every computed figure (unit amount x quantity, an amount x its exchange rate, a share) is
    kept at full precision, and a total is rounded ONCE, when it is shown or exported, to its
    currency's minor units, half up (0.005 -> 0.01);
  - so a converted total is the rounded sum of unrounded conversions, which may differ by a
    minor unit from the sum of rounded parts.
A total in a currency that has no exchange rate is not converted: the totals name the
currencies that lack a rate instead of giving a wrong figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.numbers import (
    NumberPattern,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    list_currencies,
)

from somet.core.problems import Problem, problem

ROUNDING = ROUND_HALF_UP
STORED_DECIMALS = 2  # Numeric(14, 2) in the ledger
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
MAX_QUANTITY = Decimal("99999999.99")  # Numeric(10, 2)
RATE_DECIMALS = 8  # Numeric(18, 8)
MAX_RATE = Decimal("9999999999")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f'’]")


class CurrencyMismatch(ValueError):
    """Arithmetic between two currencies: convert first."""


@lru_cache(maxsize=1)
def currencies() -> frozenset[str]:
    """The ISO 4217 codes Babel (CLDR) knows."""
    return frozenset(list_currencies())


def currency_problem(code: str | None) -> Problem | None:
    """``money.unknown_currency`` unless ``code`` is an ISO currency code Babel knows."""
    if not code or code not in currencies():
        return problem("money.unknown_currency", currency=code or "")
    return None


def minor_units(currency: str) -> int:
    """Decimals an amount in ``currency`` may have: its minor units, at most 2."""
    return min(get_currency_precision(currency), STORED_DECIMALS)


@lru_cache(maxsize=64)
def quantum(currency: str) -> Decimal:
    """The smallest amount of ``currency`` (0.01, 1...): looked up in CLDR once per currency,
    as every amount shown is rounded to it (a budget page shows seventy)."""
    return Decimal(1).scaleb(-minor_units(currency))


@dataclass(frozen=True)
class Money:
    """An amount and its currency; + and - only within one currency; x a plain number."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"money is a Decimal, not {type(self.amount).__name__}")
        if not self.amount.is_finite():
            raise ValueError("money is a finite amount")

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("money adds only to money")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if not isinstance(factor, Decimal | int) or isinstance(factor, bool):
            raise TypeError("money multiplies by a Decimal or an int")
        return Money(self.amount * Decimal(factor), self.currency)

    __rmul__ = __mul__

    def rounded(self) -> Money:
        """Rounded to the currency's minor units, half up: the one rounding step."""
        return Money(self.amount.quantize(quantum(self.currency), ROUNDING), self.currency)


def zero(currency: str) -> Money:
    return Money(Decimal(0), currency)


def _decimal(text: str | None) -> Decimal | None:
    cleaned = _SPACES.sub("", (text or "").strip())
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # 1 234,50 as Russian and Kazakh write it
    else:
        cleaned = cleaned.replace(",", "")  # 1,234.50 as English writes it
    if not _NUMBER.match(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_amount(
    text: str | None, currency: str, *, negative: bool = False
) -> tuple[Decimal | None, Problem | None]:
    """The amount typed in ``text``, or a problem: ``money.not_a_number``,
    ``money.negative``, ``money.too_many_decimals``, ``money.too_large``."""
    value = _decimal(text)
    if value is None:
        return None, problem("money.not_a_number", value=(text or "")[:40])
    if value < 0 and not negative:
        return None, problem("money.negative")
    places = minor_units(currency)
    if _places(value) > places:
        return None, problem("money.too_many_decimals", currency=currency, places=places)
    if abs(value) > MAX_AMOUNT:
        return None, problem("money.too_large")
    return value.quantize(quantum(currency)), None


def parse_quantity(text: str | None) -> tuple[Decimal | None, Problem | None]:
    """A budget line's quantity: not negative, at most 2 decimals, within the ledger's size."""
    value, found = parse_amount(text, "USD")  # two decimals, as a quantity has
    if found is None and value > MAX_QUANTITY:
        return None, problem("money.too_large")
    if found is not None and found.code == "money.too_many_decimals":
        found = found.replace(currency="")
    return value, found


def parse_rate(text: str | None) -> tuple[Decimal | None, Problem | None]:
    """An exchange rate: a positive number with at most 8 decimals."""
    value = _decimal(text)
    if value is None:
        return None, problem("money.not_a_number", value=(text or "")[:40])
    if value <= 0:
        return None, problem("money.rate_not_positive")
    if _places(value) > RATE_DECIMALS:
        return None, problem("money.too_many_decimals", currency="", places=RATE_DECIMALS)
    if value > MAX_RATE:
        return None, problem("money.too_large")
    return value, None


def convert(money: Money, rates: Mapping[str, Decimal], reporting: str) -> Money | None:
    """``money`` in the reporting currency at full precision; None without a rate.
    A rate means: one unit of the currency is ``rate`` units of the reporting currency."""
    if money.currency == reporting:
        return money
    rate = rates.get(money.currency)
    if rate is None:
        return None
    return Money(money.amount * rate, reporting)


@dataclass(frozen=True)
class Totals:
    """Sums per currency (full precision), and their sum in the reporting currency (None
    when a currency lacks a rate: ``missing`` names them)."""

    reporting: str
    per_currency: dict[str, Money] = field(default_factory=dict)
    converted: Money | None = None
    missing: tuple[str, ...] = ()

    @property
    def problems(self) -> list[Problem]:
        return [problem("money.missing_rate", currency=code) for code in self.missing]

    @property
    def empty(self) -> bool:
        return not self.per_currency


def totals(amounts: Iterable[Money], rates: Mapping[str, Decimal], reporting: str) -> Totals:
    """Totals of ``amounts`` per currency and converted to ``reporting``."""
    per: dict[str, Money] = {}
    for money in amounts:
        per[money.currency] = per.get(money.currency, zero(money.currency)) + money
    converted = zero(reporting)
    missing = []
    for code in sorted(per):
        money = convert(per[code], rates, reporting)
        if money is None:
            missing.append(code)
        else:
            converted = converted + money
    ordered = dict(sorted(per.items()))
    return Totals(reporting, ordered, None if missing else converted, tuple(missing))


def divide(money: Money | None, count: int) -> Money | None:
    """An equal share of ``money`` among ``count`` (full precision); None when nobody."""
    if money is None or count <= 0:
        return None
    return Money(money.amount / Decimal(count), money.currency)


def share(money: Money, percent: Decimal) -> Money:
    """``percent`` of ``money`` (full precision)."""
    return Money(money.amount * percent / Decimal(100), money.currency)


def format_money(money: Money | None, language: str) -> str:
    """``$1,234.50``, ``1 234,50 ₸``: rounded once, in the reader's language (Babel's
    pattern and symbols)."""
    if money is None:
        return ""
    return _money_writer(money.currency, language)(money.rounded().amount)


@lru_cache(maxsize=512)
def _money_writer(currency: str, language: str) -> Callable[[Decimal], str]:
    """How an amount of ``currency`` is written for ``language``, already rounded to its minor
    units: the locale's currency pattern (``_money_pattern``) with its sign, grouping and
    symbols found once. For a pattern grouped by threes, as every page language's is, the
    digits are grouped by Python's own formatting and given the locale's symbols: Babel's
    ``apply`` looks each symbol up again for every amount (most of its time; a budget page
    writes a hundred). Any other pattern is Babel's to apply. The budget rules' tests hold
    the result equal to Babel's ``format_currency`` for every currency and language."""
    pattern, locale = _money_pattern(currency, language), _locale(language)
    if pattern.grouping != (3, 3) or pattern.int_prec[0] != 1 or pattern.scale != 0:
        return lambda amount: pattern.apply(amount, locale)
    places = pattern.frac_prec[0]
    symbols = str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})
    (positive, negative), (after, after_negative) = pattern.prefix, pattern.suffix

    def write(amount: Decimal) -> str:
        digits = f"{abs(amount):,.{places}f}".translate(symbols)
        if amount.is_signed():  # as Babel: a negative amount rounded to zero keeps its sign
            return f"{negative}{digits}{after_negative}"
        return f"{positive}{digits}{after}"

    return write


def format_rate(rate: Decimal | None, language: str) -> str:
    """An exchange rate with every decimal entered (up to 8): ``0.00198``, ``0,00198``."""
    if rate is None:
        return ""
    return format_decimal(rate, format="#,##0.########", locale=_locale(language))


@lru_cache(maxsize=512)
def _money_pattern(currency: str, language: str) -> NumberPattern:
    """The reader's standard currency pattern with this currency's sign and minor units
    written in: what Babel's ``format_currency`` applies, without the currency's plural name
    it looks up for every amount (for a ``¤¤¤`` the standard pattern never has; a third of
    each amount's time, and a budget page writes a hundred). The budget rules' tests hold
    the two equal for every currency and language."""
    locale = _locale(language)
    pattern = copy(locale.currency_formats["standard"])
    sign = get_currency_symbol(currency, locale)

    def written(affix: str) -> str:
        return affix.replace("¤¤", currency.upper()).replace("¤", sign)

    pattern.prefix = tuple(written(affix) for affix in pattern.prefix)
    pattern.suffix = tuple(written(affix) for affix in pattern.suffix)
    pattern.frac_prec = (get_currency_precision(currency),) * 2
    return pattern


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    """The Babel locale of a page language, parsed once: Babel parses a code given as text on
    every call (a third of the time of formatting an amount; a budget page shows seventy)."""
    return Locale.parse(language or "en")


# --- quantities suggested from the cohort ----------------------------------------------------


@dataclass(frozen=True)
class Stay:
    """A doctor's stay: arrival and departure days (both inclusive)."""

    arrival: date
    departure: date

    @property
    def days(self) -> int:
        return (self.departure - self.arrival).days + 1

    @property
    def nights(self) -> int:
        return (self.departure - self.arrival).days

    @property
    def weeks(self) -> int:
        """Weeks begun: hosts charge a started week as a week."""
        return math.ceil(self.days / 7)


def suggested_quantity(unit: str, stays: Iterable[Stay]) -> Decimal:
    """What a line's quantity counts, from the doctors' stays (enrolled, not withdrawn)."""
    stays = list(stays)
    counted = {
        "lump_sum": lambda: 1,
        "per_doctor": lambda: len(stays),
        "per_doctor_week": lambda: sum(s.weeks for s in stays),
        "per_doctor_night": lambda: sum(s.nights for s in stays),
        "per_doctor_day": lambda: sum(s.days for s in stays),
    }[unit]()
    return Decimal(counted)
