"""Consumption tax of a qualified invoice (適格請求書): pure functions, ``Decimal`` only.

The tax is computed **once per tax rate per invoice**, on the total of that rate's lines, with
the pack's rounding (``tax.rounding``; ``floor`` = 切り捨て):

* prices before tax (``prices_include_tax`` false): ``tax = round(Σ amounts × rate)``,
  ``total = Σ amounts + tax``;
* prices including tax: the tax is backed out of the rate's total,
  ``tax = round(Σ amounts × rate ÷ (1 + rate))``, ``taxable = Σ amounts − tax``,
  ``total = Σ amounts``.

An invoice holds lines of one price basis only (see :func:`check_basis`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from akari.core.money import Rounding, round_yen


class LineLike(Protocol):
    amount: Decimal
    tax_rate: Decimal
    tax_included: bool


@dataclass(frozen=True)
class RateTotal:
    rate: Decimal
    taxable: Decimal  # amount before tax
    tax: Decimal
    total: Decimal  # amount including tax


@dataclass(frozen=True)
class Totals:
    rates: list[RateTotal]
    subtotal: Decimal
    tax: Decimal
    total: Decimal


class MixedTaxBasis(ValueError):
    """Lines quoted with tax and lines quoted before tax cannot share one invoice."""


def check_basis(lines: Iterable[LineLike], prices_include_tax: bool) -> None:
    for line in lines:
        if bool(line.tax_included) != prices_include_tax:
            raise MixedTaxBasis(
                "An invoice holds prices either all including or all before consumption tax."
            )


def rate_total(
    amount: Decimal, rate: Decimal, *, prices_include_tax: bool, rounding: Rounding
) -> RateTotal:
    amount, rate = Decimal(amount), Decimal(rate)
    if prices_include_tax:
        tax = round_yen(amount * rate / (1 + rate), rounding)
        return RateTotal(rate=rate, taxable=amount - tax, tax=tax, total=amount)
    tax = round_yen(amount * rate, rounding)
    return RateTotal(rate=rate, taxable=amount, tax=tax, total=amount + tax)


def totals(lines: Iterable[LineLike], *, prices_include_tax: bool, rounding: Rounding) -> Totals:
    """Totals per tax rate (highest rate first) and the invoice's grand totals."""
    lines = list(lines)
    check_basis(lines, prices_include_tax)
    by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        rate = Decimal(line.tax_rate).normalize()
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + Decimal(line.amount)
    rates = [
        rate_total(amount, rate, prices_include_tax=prices_include_tax, rounding=rounding)
        for rate, amount in sorted(by_rate.items(), reverse=True)
    ]
    return Totals(
        rates=rates,
        subtotal=sum((r.taxable for r in rates), Decimal(0)),
        tax=sum((r.tax for r in rates), Decimal(0)),
        total=sum((r.total for r in rates), Decimal(0)),
    )
