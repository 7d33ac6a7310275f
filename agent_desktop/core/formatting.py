"""Locale-aware formatting of money, dates, times and durations (babel), shared by the templates
and the interface. Any babel locale works; an unknown one falls back to English.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from agent_desktop.core.clock import format_elapsed

if TYPE_CHECKING:
    from babel import Locale

# babel (~15 ms to import) is imported by the functions that format, on first use: the window's
# first page of threads needs none of it.

__all__ = [
    "FALLBACK_LOCALE",
    "first_name",
    "format_amount",
    "format_date",
    "format_datetime",
    "format_duration",
    "format_money",
    "format_time",
    "resolve_locale",
]

FALLBACK_LOCALE = "en"


@lru_cache(maxsize=64)
def resolve_locale(locale: str | None) -> Locale:
    """The babel Locale for "fr", "fr_FR", "fr-FR"...; English when unknown or empty."""
    from babel import Locale, UnknownLocaleError

    if locale:
        for sep in ("_", "-"):
            try:
                return Locale.parse(locale.strip(), sep=sep)
            except (UnknownLocaleError, ValueError, TypeError):
                continue
    return Locale.parse(FALLBACK_LOCALE)


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def format_money(minor: int, currency: str, locale: str | None) -> str:
    """An amount in minor units (cents; JPY has none) as the locale writes it: "12,50 €", "€12.50"."""
    from babel import numbers as babel_numbers

    code = (currency or "").strip().upper()
    loc = resolve_locale(locale)
    if not code:  # no currency known: the number alone, with two decimals
        return babel_numbers.format_decimal(
            Decimal(int(minor)).scaleb(-2), format="#,##0.00", locale=loc
        )
    digits = babel_numbers.get_currency_precision(code)
    amount = Decimal(int(minor)).scaleb(-digits)
    return babel_numbers.format_currency(amount, code, locale=loc)


def format_amount(minor: int, currency: str, locale: str | None) -> str:
    """An amount to type in a field: the number alone with the locale's decimal mark and no
    grouping ("15,87" in French, "15.87" in English, "1500" yen)."""
    from babel import numbers as babel_numbers

    digits = babel_numbers.get_currency_precision((currency or "").strip().upper() or "EUR")
    pattern = "0." + "0" * digits if digits else "0"
    return babel_numbers.format_decimal(
        Decimal(int(minor)).scaleb(-digits), format=pattern, locale=resolve_locale(locale)
    )


def format_date(
    dt: datetime, locale: str | None, tz: tzinfo | None = None, *, length: str = "medium"
) -> str:
    """A date ("23 nov. 2026" in French, "Nov 23, 2026" in English), in `tz` (default UTC).
    `length="long"` writes the month out ("23 novembre 2026", "November 23, 2026"): the form
    for text a customer reads."""
    from babel import dates as babel_dates

    local = _aware(dt).astimezone(tz or UTC)
    return babel_dates.format_date(local.date(), length, locale=resolve_locale(locale))


def format_datetime(dt: datetime, locale: str | None, tz: tzinfo | None = None) -> str:
    """A date and time without seconds, in `tz` (default UTC)."""
    from babel import dates as babel_dates

    loc = resolve_locale(locale)
    local = _aware(dt).astimezone(tz or UTC)
    day = babel_dates.format_date(local.date(), "medium", locale=loc)
    time = babel_dates.format_time(local.timetz(), "short", locale=loc)
    return f"{day} {time}"


def format_time(dt: datetime, locale: str | None, tz: tzinfo | None = None) -> str:
    """A time of day ("14:05" in French, "2:05 PM" in English), in `tz` (default UTC)."""
    from babel import dates as babel_dates

    local = _aware(dt).astimezone(tz or UTC)
    return babel_dates.format_time(local.timetz(), "short", locale=resolve_locale(locale))


def format_duration(seconds: float) -> str:
    """A duration as "m:ss", or "h:mm:ss" from an hour on; negative durations show as 0:00."""
    return format_elapsed(seconds)


def first_name(full_name: str | None) -> str:
    """The first word of a name ("Marie-Claire" of "Marie-Claire Dupont"); "" when empty."""
    parts = (full_name or "").split()
    return parts[0] if parts else ""
