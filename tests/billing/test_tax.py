"""Consumption tax: once per rate per invoice, with the pack's rounding; Decimal only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akari.billing import tax
from akari.core.money import round_yen


@dataclass
class Line:
    amount: Decimal
    tax_rate: Decimal
    tax_included: bool


def test_tax_is_computed_once_per_rate_not_per_line():
    # Three lines of 333 yen: 33.3 x 3 per line would floor to 99; once on 999 it is 99.9 -> 99.
    lines = [Line(Decimal(333), Decimal("0.10"), False)] * 3
    totals = tax.totals(lines, prices_include_tax=False, rounding="floor")
    assert (totals.subtotal, totals.tax, totals.total) == (Decimal(999), Decimal(99), Decimal(1098))
    # Per-line rounding would differ here: 5 x floor(1.5) = 5, once: floor(7.5) = 7.
    lines = [Line(Decimal(15), Decimal("0.10"), False)] * 5
    assert tax.totals(lines, prices_include_tax=False, rounding="floor").tax == Decimal(7)


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [("floor", Decimal(43636)), ("ceil", Decimal(43637)), ("half_up", Decimal(43636))],
)
def test_tax_backed_out_of_tax_included_prices(rounding, expected):
    lines = [Line(Decimal(480000), Decimal("0.10"), True)]
    totals = tax.totals(lines, prices_include_tax=True, rounding=rounding)
    assert totals.tax == expected
    assert totals.total == Decimal(480000)
    assert totals.subtotal == Decimal(480000) - expected


def test_totals_per_rate():
    lines = [
        Line(Decimal(1000), Decimal("0.10"), False),
        Line(Decimal(1000), Decimal("0.08"), False),
        Line(Decimal(555), Decimal("0.08"), False),
    ]
    totals = tax.totals(lines, prices_include_tax=False, rounding="floor")
    assert [(r.rate, r.taxable, r.tax) for r in totals.rates] == [
        (Decimal("0.1"), Decimal(1000), Decimal(100)),
        (Decimal("0.08"), Decimal(1555), Decimal(124)),
    ]
    assert totals.total == Decimal(2779)


def test_mixed_price_basis_is_refused():
    lines = [Line(Decimal(1), Decimal("0.10"), False), Line(Decimal(1), Decimal("0.10"), True)]
    with pytest.raises(tax.MixedTaxBasis):
        tax.totals(lines, prices_include_tax=False, rounding="floor")


amount = st.integers(min_value=0, max_value=10**10).map(Decimal)
rate = st.sampled_from([Decimal("0.10"), Decimal("0.08"), Decimal("0.05")])
rounding = st.sampled_from(["floor", "ceil", "half_up"])


@given(
    st.lists(st.tuples(amount, rate), min_size=1, max_size=30),
    st.booleans(),
    rounding,
)
def test_total_is_sum_of_lines_plus_tax_per_rate(items, included, rule):
    lines = [Line(a, r, included) for a, r in items]
    totals = tax.totals(lines, prices_include_tax=included, rounding=rule)
    per_rate: dict[Decimal, Decimal] = {}
    for a, r in items:
        per_rate[r] = per_rate.get(r, Decimal(0)) + a
    if included:
        expected_tax = sum(
            (round_yen(s * r / (1 + r), rule) for r, s in per_rate.items()), Decimal(0)
        )
        assert totals.total == sum((a for a, _ in items), Decimal(0))
        assert totals.subtotal + totals.tax == totals.total
    else:
        expected_tax = sum((round_yen(s * r, rule) for r, s in per_rate.items()), Decimal(0))
        assert totals.total == sum((a for a, _ in items), Decimal(0)) + expected_tax
    assert totals.tax == expected_tax
    for value in (totals.subtotal, totals.tax, totals.total, *[r.tax for r in totals.rates]):
        assert isinstance(value, Decimal)
        assert value == value.to_integral_value()
