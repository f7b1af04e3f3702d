import datetime as dt

from django.utils import translation

from akari.core import clock
from akari.core.fiscal import FiscalYear, era_of, japanese_date


def test_fiscal_year_runs_april_to_march():
    assert FiscalYear.of(dt.date(2026, 4, 1)) == FiscalYear(2026)
    assert FiscalYear.of(dt.date(2027, 3, 31)) == FiscalYear(2026)
    assert FiscalYear.of(dt.date(2026, 3, 31)) == FiscalYear(2025)
    assert FiscalYear(2026).start == dt.date(2026, 4, 1)
    assert FiscalYear(2026).end == dt.date(2027, 3, 31)
    assert dt.date(2026, 12, 31) in FiscalYear(2026)
    assert dt.date(2027, 4, 1) not in FiscalYear(2026)


def test_fiscal_year_of_an_aware_datetime_uses_tokyo_date():
    # 2026-03-31 16:00 UTC is already 1 April in Tokyo.
    instant = dt.datetime(2026, 3, 31, 16, 0, tzinfo=dt.UTC)
    assert FiscalYear.of(instant) == FiscalYear(2026)
    assert FiscalYear.of(instant.replace(hour=14)) == FiscalYear(2025)


def test_era_names():
    assert era_of(dt.date(2022, 11, 9)) == ("令和", "Reiwa", 4)
    assert era_of(dt.date(2019, 4, 30)) == ("平成", "Heisei", 31)
    assert era_of(dt.date(2019, 5, 1)) == ("令和", "Reiwa", 1)
    assert japanese_date(dt.date(2022, 11, 9)) == "令和4年11月9日"
    assert japanese_date(dt.date(2019, 5, 1)) == "令和元年5月1日"


def test_fiscal_year_labels_by_language():
    assert FiscalYear(2026).era_label == "令和8年度"
    assert FiscalYear(2019).era_label == "令和元年度"
    assert FiscalYear(2018).era_label == "平成30年度"
    with translation.override("ja"):
        assert str(FiscalYear(2026)) == "2026年度（令和8年度）"
    with translation.override("en"):
        assert str(FiscalYear(2026)) == "FY2026"


def test_next_and_previous():
    assert FiscalYear(2026).next() == FiscalYear(2027)
    assert FiscalYear(2026).previous() == FiscalYear(2025)


def test_clock_can_be_frozen_and_today_is_tokyo_date():
    instant = dt.datetime(2026, 3, 31, 15, 30, tzinfo=dt.UTC)
    with clock.frozen(instant):
        assert clock.now() == instant
        assert clock.today() == dt.date(2026, 4, 1)
    assert clock.now() != instant
