from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akari.core import money


def test_format_yen_groups_thousands():
    assert money.format_yen(Decimal(1234567)) == "¥1,234,567"
    assert money.format_yen(0) == "¥0"
    assert money.format_yen(Decimal(-1234)) == "-¥1,234"


def test_yen_refuses_floats_and_fractions():
    with pytest.raises(TypeError):
        money.yen(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole number"):
        money.yen("10.5")
    assert money.yen("¥50,000,000") == Decimal(50_000_000)


def test_tax_truncates_by_default_and_rounds_half_up_when_asked():
    assert money.tax(Decimal(10_725), Decimal("0.10")) == Decimal(1072)
    assert money.tax(Decimal(10_725), Decimal("0.10"), "half_up") == Decimal(1073)
    assert money.tax(Decimal(10_721), Decimal("0.10"), "ceil") == Decimal(1073)


def test_multiply_fractional_hours():
    assert money.multiply(Decimal(35_000), Decimal("2.5")) == Decimal(87_500)
    assert money.multiply(Decimal(131_000), 3) == Decimal(393_000)


def test_unknown_rounding_rule_is_refused():
    with pytest.raises(ValueError, match="Unknown rounding"):
        money.round_yen(Decimal(1), "bankers")  # type: ignore[arg-type]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_then_parse_round_trips(amount):
    assert money.yen(money.format_yen(amount).replace("-¥", "-")) == Decimal(amount)
