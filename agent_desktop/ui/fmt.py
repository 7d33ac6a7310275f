"""Display formatting for the interface: the UI locale, and times in the agent's own time zone.

Money, dates and times go through agent_desktop.core.formatting with the UI locale; this module
only remembers which locale the interface uses and which time zone the workstation is in.
"""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from agent_desktop.core import formatting

_locale = "en"


def set_locale(locale: str) -> None:
    global _locale
    _locale = locale


def locale() -> str:
    return _locale


def _tz() -> tzinfo | None:
    return datetime.now().astimezone().tzinfo


def local_zone() -> tzinfo | None:
    """The time zone `time_of_day` and the other times here are shown in."""
    return _tz()


def money(amount_minor: int, currency: str, loc: str | None = None) -> str:
    return formatting.format_money(amount_minor, currency, loc or _locale)


def amount(amount_minor: int, currency: str) -> str:
    """The amount as the agent would type it in a field ("15,87" in French)."""
    return formatting.format_amount(amount_minor, currency, _locale)


def time_of_day(dt: datetime) -> str:
    return formatting.format_time(dt, _locale, _tz())


def day(d: date | datetime) -> str:
    if not isinstance(d, datetime):
        d = datetime.combine(d, time(12)).astimezone()
    return formatting.format_date(d, _locale, _tz())


def day_long(d: date) -> str:
    """A day separator: "Monday, 23 November 2026" in the UI language."""
    from babel import dates as babel_dates

    loc = formatting.resolve_locale(_locale)
    return babel_dates.format_date(d, "full", locale=loc)


def date_time(dt: datetime) -> str:
    return formatting.format_datetime(dt, _locale, _tz())


def weekday_time(dt: datetime) -> str:
    """ "Tue 14:00" in the UI language and the local time zone."""
    from babel import dates as babel_dates

    loc = formatting.resolve_locale(_locale)
    local = dt.astimezone(_tz())
    return babel_dates.format_datetime(local, "EEE HH:mm", locale=loc)


def warm_up() -> None:
    """Load the formatting data of the interface's locale (babel reads it from disk the first
    time, ~20 ms) before the first conversation is opened."""
    number(0)
    time_of_day(datetime.now().astimezone())


def number(n: int | float) -> str:
    from babel import numbers as babel_numbers

    return babel_numbers.format_decimal(n, locale=formatting.resolve_locale(_locale))


def percent(ratio: float) -> str:
    from babel import numbers as babel_numbers

    return babel_numbers.format_percent(ratio, locale=formatting.resolve_locale(_locale))
