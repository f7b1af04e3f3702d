"""Japanese fiscal years (April to March) and era names.

``FiscalYear(2026)`` runs from 2026-04-01 to 2027-03-31 and is called "FY2026" in English and
"2026年度（令和8年度）" in Japanese. A fiscal year is named in the era of the calendar year it
starts in, with the new era's name used for the whole year it began in (so FY2019 is
"令和元年度", as government documents renamed it): technically the era in force on 1 May of
the fiscal year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import get_language

# (first day, kanji name, romanised name), newest first.
ERAS: tuple[tuple[dt.date, str, str], ...] = (
    (dt.date(2019, 5, 1), "令和", "Reiwa"),
    (dt.date(1989, 1, 8), "平成", "Heisei"),
    (dt.date(1926, 12, 25), "昭和", "Showa"),
)


def era_of(day: dt.date) -> tuple[str, str, int]:
    """(kanji, romaji, year of era) for a date, e.g. 2022-11-09 -> ("令和", "Reiwa", 4)."""
    for start, kanji, romaji in ERAS:
        if day >= start:
            return kanji, romaji, day.year - start.year + 1
    raise ValueError("Dates before the Showa era are not supported.")


def era_year_label(kanji: str, year: int) -> str:
    return f"{kanji}{'元' if year == 1 else year}年"


def japanese_date(day: dt.date) -> str:
    """令和4年11月9日."""
    kanji, _romaji, year = era_of(day)
    return f"{era_year_label(kanji, year)}{day.month}月{day.day}日"


@dataclass(frozen=True, order=True)
class FiscalYear:
    year: int

    @classmethod
    def of(cls, day: dt.date | dt.datetime) -> FiscalYear:
        if isinstance(day, dt.datetime):
            from akari.core.clock import TOKYO

            day = day.astimezone(TOKYO).date() if day.tzinfo else day.date()
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 4, 1)

    @property
    def end(self) -> dt.date:
        """Last day (inclusive): 31 March of the next calendar year."""
        return dt.date(self.year + 1, 3, 31)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> FiscalYear:
        return FiscalYear(self.year + 1)

    def previous(self) -> FiscalYear:
        return FiscalYear(self.year - 1)

    @property
    def era_label(self) -> str:
        """令和8年度 (the year is named by the era in force at the end of its first month)."""
        kanji, _romaji, year = era_of(max(self.start, dt.date(self.year, 5, 1)))
        return f"{era_year_label(kanji, year)}度"

    def label(self, language: str | None = None) -> str:
        language = (language or get_language() or "ja")[:2]
        if language == "ja":
            return f"{self.year}年度（{self.era_label}）"
        return f"FY{self.year}"

    def __str__(self) -> str:
        return self.label()
