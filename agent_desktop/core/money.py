"""Money in the order's own currency: integer minor units (cents; whole yen and dong, which have
no minor unit), converted from the decimal strings shops send without ever going through a float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

# ISO 4217 currencies without a minor unit that babel might not know (it knows these today; the
# list keeps the rule visible where money is parsed).
ZERO_DECIMAL = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "UYI",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)


class MoneyError(ValueError):
    """An amount that is not a number, or a currency code that is not three letters."""


@lru_cache(maxsize=256)
def precision(currency: str) -> int:
    """Digits after the decimal point for `currency` (EUR 2, JPY 0, VND 0, BHD 3)."""
    code = check_currency(currency)
    if code in ZERO_DECIMAL:
        return 0
    from babel.numbers import get_currency_precision

    try:
        return int(get_currency_precision(code))
    except Exception:  # an unknown code: two decimals, like most
        return 2


def check_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise MoneyError(f"'{currency}' is not a currency code (three letters such as EUR).")
    return code


def to_minor(amount: str | int | float | Decimal | None, currency: str) -> int:
    """A decimal amount ("29.99", 1500, "1500.0") in minor units of `currency`, rounded half up
    to the smallest unit. None and "" are 0. Floats are read through their shortest text."""
    if amount is None or amount == "":
        return 0
    try:
        value = Decimal(str(amount)) if not isinstance(amount, Decimal) else amount
    except InvalidOperation:
        raise MoneyError(f"'{amount}' is not an amount.") from None
    if not value.is_finite():
        raise MoneyError(f"'{amount}' is not an amount.")
    scaled = value.scaleb(precision(currency)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(scaled)


def to_major(minor: int, currency: str) -> str:
    """Minor units as the decimal string shops expect ("29.99", "1500")."""
    digits = precision(currency)
    value = Decimal(int(minor)).scaleb(-digits)
    return f"{value:.{digits}f}"


_SPACES = frozenset(" \u00a0\u202f\u2009'")


def parse_amount(text: str, currency: str) -> int:
    """An amount an agent typed ("12,50", "12.50 €", "1 234,56", "1,500" yen) in minor units of
    `currency`. The last "," or "." followed by at most the currency's decimals is the decimal
    mark; other separators must group thousands. MoneyError (a sentence) otherwise."""
    digits = precision(currency)
    kept = "".join(ch for ch in text.strip() if ch.isdigit() or ch in ",.")
    if not kept or not any(ch.isdigit() for ch in kept):
        raise MoneyError("Type an amount, such as 12.50.")
    leftover = [ch for ch in text.strip() if not (ch.isdigit() or ch in ",." or ch in _SPACES)]
    if any(ch == "-" for ch in leftover):
        raise MoneyError("The amount cannot be negative.")
    if any(ch.isalpha() and ch.upper() not in currency.upper() for ch in leftover):
        raise MoneyError(f"'{text.strip()}' is not an amount.")
    whole, fraction = kept, ""
    mark = max(kept.rfind(","), kept.rfind("."))
    if mark >= 0:
        tail = kept[mark + 1 :]
        if digits and 1 <= len(tail) <= digits and tail.isdigit():
            whole, fraction = kept[:mark], tail
    groups = whole.replace(",", ".").split(".")
    if any(not g.isdigit() for g in groups) or any(len(g) != 3 for g in groups[1:]):
        raise MoneyError(f"'{text.strip()}' is not an amount.")
    value = Decimal("".join(groups) + ("." + fraction if fraction else ""))
    return to_minor(value, currency)
