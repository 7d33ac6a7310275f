"""Locale-aware formatting of money, dates, times and durations (babel), shared by the templates
and the interface. Any babel locale works; an unknown one falls back to English.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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

# The tables of babel's global data that formatting reads (a locale's parents, the currencies'
# decimals); see `_GlobalTables`.
GLOBAL_TABLES_KEPT = frozenset({"parent_exceptions", "currency_fractions"})
# What babel reads to resolve a locale it has no data for under that name ("en_XX"): read
# together, the first time one of them is asked for.
LOCALE_RESOLUTION_TABLES = frozenset(
    {"language_aliases", "territory_aliases", "script_aliases", "variant_aliases", "likely_subtags"}
)


def _read_global_tables() -> dict[str, Any]:
    """All of babel's global data, read from its file as babel reads it."""
    import os
    import pickle

    import babel.core

    with open(os.path.join(os.path.dirname(babel.core.__file__), "global.dat"), "rb") as f:
        tables: dict[str, Any] = pickle.load(f)  # babel's own data file
    return tables


class _GlobalTables(dict[str, Any]):
    """babel's global data with only the tables formatting reads kept in memory.

    babel loads its global data (`babel/global.dat`: likely subtags, languages by territory,
    time zone names...) whole the first time it loads a locale, ~2.1 MB of Python objects kept
    for the process's life, to read two small tables (`GLOBAL_TABLES_KEPT`, ~20 KB). This
    mapping holds those; any other table asked for (`babel.core.get_global` calls `.get`) is
    read from the file again (~10 ms) and kept from then on, so every answer is babel's own.
    """

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self:
            tables = _read_global_tables()
            group = LOCALE_RESOLUTION_TABLES if key in LOCALE_RESOLUTION_TABLES else {key}
            for name in group:
                self[name] = tables.get(name, default)
        return self[key]


_global_tables_slim = False


def _slim_global_tables() -> None:
    """Put `_GlobalTables` in place of babel's global data (once, before it is first read)."""
    global _global_tables_slim
    if _global_tables_slim:
        return
    _global_tables_slim = True
    import babel.core

    loaded = babel.core._global_data
    tables = dict(loaded) if loaded is not None else _read_global_tables()
    kept = _GlobalTables({k: v for k, v in tables.items() if k in GLOBAL_TABLES_KEPT})
    babel.core._global_data = kept  # type: ignore[assignment]  # keyed by str, read through .get


# The tables of a locale's data that formatting reads (numbers, currencies, dates, times, day
# periods, plural forms), out of the ~40 babel loads for it.
LOCALE_TABLES_KEPT = frozenset(
    {
        "currency_formats",
        "currency_names",
        "currency_names_plural",
        "currency_symbols",
        "date_formats",
        "datetime_formats",
        "day_periods",
        "days",
        "decimal_formats",
        "months",
        "number_symbols",
        "percent_formats",
        "plural_form",
        "time_formats",
    }
)


class _LocaleTables(dict[str, Any]):
    """A locale's data, as babel merges it with its parents' (`localedata.load`), with only the
    tables formatting reads kept in memory.

    babel keeps the whole data of a locale it formats for, and of each of its parents, for the
    process's life: names of languages, territories, scripts, units, currencies in the plural
    and time zones (~1.1 MB of Python objects for French). Any other table asked for is read
    again, whole, from babel's files (a few ms) and kept from then on, so every answer is
    babel's own.
    """

    def __init__(self, identifier: str, tables: dict[str, Any]) -> None:
        super().__init__(tables)
        self.identifier = identifier

    def __missing__(self, key: str) -> Any:
        from babel import localedata

        for name, table in localedata.load(self.identifier).items():
            self.setdefault(name, table)
        if key not in self:
            raise KeyError(key)
        return dict.__getitem__(self, key)


def _slim_locale_data(loc: Locale) -> Locale:
    """`loc` holding only the tables formatting reads (`_LocaleTables`); babel's cache forgets
    the whole data it loaded (a locale loaded later is read from its files again)."""
    from babel import localedata

    identifier = loc._Locale__data_identifier  # type: ignore[attr-defined]  # babel's own
    with localedata._cache_lock:
        tables = localedata.load(identifier)
        localedata._cache.clear()
    kept = {k: v for k, v in tables.items() if k in LOCALE_TABLES_KEPT}
    data = localedata.LocaleDataDict(_LocaleTables(identifier, kept))  # type: ignore[arg-type]
    loc._Locale__data = data  # type: ignore[attr-defined]  # read by babel as `loc._data`
    return loc


@lru_cache(maxsize=64)
def resolve_locale(locale: str | None) -> Locale:
    """The babel Locale for "fr", "fr_FR", "fr-FR"...; English when unknown or empty."""
    from babel import Locale, UnknownLocaleError

    _slim_global_tables()
    if locale:
        for sep in ("_", "-"):
            try:
                return _slim_locale_data(Locale.parse(locale.strip(), sep=sep))
            except (UnknownLocaleError, ValueError, TypeError):
                continue
    return _slim_locale_data(Locale.parse(FALLBACK_LOCALE))


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

    _slim_global_tables()
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
