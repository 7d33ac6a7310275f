"""Money, dates, times and durations in French and English (babel), with fallbacks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from agent_desktop.core.formatting import (
    first_name,
    format_date,
    format_datetime,
    format_duration,
    format_money,
    format_time,
)

NBSP = "\u00a0"
DT = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)


def test_money_in_french_and_english() -> None:
    assert format_money(1250, "EUR", "fr") == f"12,50{NBSP}€"
    assert format_money(1250, "EUR", "en") == "€12.50"
    assert format_money(123456, "EUR", "fr_FR").replace("\u202f", " ") == f"1 234,56{NBSP}€"
    assert format_money(123456, "USD", "en-US") == "$1,234.56"


def test_money_minor_units_follow_the_currency() -> None:
    assert format_money(1234, "JPY", "en") == "¥1,234"
    assert format_money(5, "USD", "en") == "$0.05"
    assert format_money(-5, "USD", "en") == "-$0.05"
    assert format_money(1250, "eur", "en") == "€12.50"


def test_odd_currency_codes_do_not_fail() -> None:
    assert format_money(1234, " eur ", "en") == "€12.34"
    assert format_money(1234, "", "fr") == "12,34"
    assert format_money(1234, "", "en") == "12.34"
    assert "12,34" in format_money(1234, "ZZZ", "fr")


def test_unknown_locale_falls_back_to_english() -> None:
    assert format_money(1250, "EUR", "zz") == "€12.50"
    assert format_money(1250, "EUR", None) == "€12.50"
    assert format_date(DT, "not a locale") == "Nov 23, 2026"


def test_other_babel_locales_work() -> None:
    assert format_money(1250, "EUR", "de") == f"12,50{NBSP}€"


def test_dates_and_times() -> None:
    assert format_date(DT, "fr") == "23 nov. 2026"
    assert format_date(DT, "en") == "Nov 23, 2026"
    assert format_time(DT, "fr") == "14:05"
    assert format_time(DT, "en").replace("\u202f", " ") == "2:05 PM"
    assert format_datetime(DT, "fr") == "23 nov. 2026 14:05"
    assert format_datetime(DT, "en").replace("\u202f", " ") == "Nov 23, 2026 2:05 PM"


def test_dates_in_a_time_zone() -> None:
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    plus2 = timezone(timedelta(hours=2))
    assert format_date(late, "en", tz=plus2) == "Nov 24, 2026"
    assert format_time(late, "fr", tz=plus2) == "01:30"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0:00"),
        (5, "0:05"),
        (65, "1:05"),
        (599.9, "9:59"),
        (3600, "1:00:00"),
        (3723, "1:02:03"),
        (-4, "0:00"),
    ],
)
def test_durations(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Marie-Claire Dupont", "Marie-Claire"),
        ("  Jean  ", "Jean"),
        ("", ""),
        ("Zoé", "Zoé"),
        (None, ""),
    ],
)
def test_first_name(name: str | None, first: str) -> None:
    assert first_name(name) == first


def test_babel_keeps_only_the_global_tables_it_reads_and_answers_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """babel's global data (~2.1 MB once loaded) is kept to the two tables formatting reads;
    any other table is still babel's own, read again when asked for."""
    import babel.core
    from babel.dates import get_timezone_location

    from agent_desktop.core import formatting

    monkeypatch.setattr(formatting, "_global_tables_slim", False)
    monkeypatch.setattr(babel.core, "_global_data", None)
    formatting.resolve_locale.cache_clear()

    assert format_money(1250, "EUR", "fr") == f"12,50{NBSP}€"
    assert formatting.format_amount(1500, "JPY", "en") == "1500"
    assert format_date(DT, "en", length="medium") == "Nov 23, 2026"
    kept = babel.core._global_data
    assert kept is not None and set(kept) == formatting.GLOBAL_TABLES_KEPT
    everything = formatting._read_global_tables()
    assert babel.core.get_global("zone_aliases") == everything["zone_aliases"]
    assert babel.core.get_global("likely_subtags") == everything["likely_subtags"]
    assert set(kept) == {
        *formatting.GLOBAL_TABLES_KEPT,
        "zone_aliases",
        *formatting.LOCALE_RESOLUTION_TABLES,
    }
    assert get_timezone_location("Europe/Paris", locale="fr") == "heure : France"
    assert str(formatting.resolve_locale("en_XX")) == "en"
    formatting.resolve_locale.cache_clear()


def test_a_locale_keeps_only_the_tables_formatting_reads_and_answers_the_others() -> None:
    """A locale's data (~1.1 MB for French, with its parents' in babel's cache) is kept to the
    tables formatting reads; any other table is still babel's own, read again when asked for."""
    from babel import Locale, localedata

    from agent_desktop.core import formatting

    formatting.resolve_locale.cache_clear()
    try:
        loc = formatting.resolve_locale("fr")
        assert format_money(1250, "EUR", "fr") == f"12,50{NBSP}€"
        assert format_date(DT, "fr", length="long") == "23 novembre 2026"
        assert format_time(DT, "fr") == "14:05"
        assert formatting.format_amount(1587, "EUR", "fr") == "15,87"
        held = loc._data._data
        assert set(held) == formatting.LOCALE_TABLES_KEPT
        assert localedata._cache == {}  # babel's whole copies are let go
        # Anything else is babel's own answer, as from a Locale babel loads itself.
        assert loc.territories["FR"] == Locale.parse("fr").territories["FR"] == "France"
        assert loc.languages["de"] == "allemand"
        assert set(formatting.LOCALE_TABLES_KEPT) < set(held)
    finally:
        formatting.resolve_locale.cache_clear()
