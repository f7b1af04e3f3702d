"""Template filters shared by every app: bilingual fields, yen, fiscal years, Tokyo dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from akari.core import fiscal, i18n, money

register = template.Library()


@register.filter
def localized(obj: Any, name: str) -> str:
    """``{{ beamline|localized:"name" }}`` -> name_ja or name_en by the active language."""
    return i18n.localized(obj, name)


@register.filter
def yen(amount: Decimal | int | None) -> str:
    return "" if amount is None else money.format_yen(amount)


@register.filter
def fiscal_year(day: dt.date | dt.datetime | None) -> str:
    return "" if day is None else fiscal.FiscalYear.of(day).label()


@register.filter
def japanese_date(day: dt.date | None) -> str:
    return "" if day is None else fiscal.japanese_date(day)
