"""Yen amounts: integer yen carried as ``Decimal``, never float.

Japanese yen has no minor unit, so every stored amount is a whole number of yen. Arithmetic is
done in ``Decimal`` and rounded back to whole yen with an explicit rounding rule (the policy
packs name the rule where it matters, e.g. consumption tax).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from typing import Literal

Rounding = Literal["floor", "ceil", "half_up"]

_ROUNDING = {"floor": ROUND_DOWN, "ceil": ROUND_UP, "half_up": ROUND_HALF_UP}
_ONE = Decimal(1)


def yen(value: int | str | Decimal) -> Decimal:
    """Parse a whole-yen amount. Floats are refused; fractions of a yen are refused."""
    if isinstance(value, float):
        raise TypeError("Yen amounts must not be floats; pass int, str or Decimal.")
    try:
        amount = Decimal(str(value).replace(",", "").replace("¥", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"Not a yen amount: {value!r}") from exc
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise ValueError(f"Not a whole number of yen: {value!r}")
    return amount.quantize(_ONE)


def round_yen(amount: Decimal, rounding: Rounding = "floor") -> Decimal:
    """Round a Decimal amount to whole yen. ``floor`` truncates toward zero (切り捨て)."""
    if rounding not in _ROUNDING:
        raise ValueError(f"Unknown rounding rule: {rounding!r}")
    return amount.quantize(_ONE, rounding=_ROUNDING[rounding])


def multiply(unit_price: Decimal, quantity: Decimal | int, rounding: Rounding = "floor") -> Decimal:
    """Unit price x quantity (quantity may be fractional hours), rounded to whole yen."""
    return round_yen(Decimal(unit_price) * Decimal(quantity), rounding)


def tax(amount: Decimal, rate: Decimal, rounding: Rounding = "floor") -> Decimal:
    """Consumption tax on ``amount`` at ``rate`` (e.g. ``Decimal("0.10")``)."""
    return round_yen(Decimal(amount) * Decimal(rate), rounding)


def format_yen(amount: Decimal | int) -> str:
    """``¥1,234,567``; negative amounts as ``-¥1,234``."""
    value = yen(amount) if not isinstance(amount, Decimal) else round_yen(amount, "half_up")
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(int(value)):,}"
