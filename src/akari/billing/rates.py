"""Rate cards: pure functions from a programme's policy pack and what was used to charge lines.

Nothing here reads the database or the clock: the caller passes the pack in force on the day of
use (``policy_in_force(code, on=day).pack``). Every amount is a whole-yen ``Decimal``.

Rules (all figures and switches come from the pack):

* The fees of a route are the codes its ``fees`` list names.
* A fee priced per ``shift`` or ``hour`` (and not listed in ``invoicing.metered_fees``) is charged
  on the **billable beamtime**: the hours used minus the refunded downtime. A shift price is
  charged pro rata per hour (``price × hours ÷ hours per shift``), rounded down to the yen.
* Downtime caused by the facility is refunded by the hour: whole hours of the loss are refunded,
  and a remaining part of an hour is refunded as one more hour from
  ``downtime_refund.ignore_under_minutes`` minutes on (below it, it is dropped). So with 30
  minutes: 29 min → 0 h, 30 min → 1 h, 89 min → 1 h, 90 min → 2 h.
* A fee whose amount depends on the joining fiscal year (coalition usage) needs the member's
  joining year; the rate listed for the latest year not after it applies (or exactly that year,
  with ``invoicing.joining_year_rates: exact``). No rate is an error (:class:`MissingRate`),
  never a silent default.
* ``at_cost`` fees (consumables) become one line per consumable recorded, priced from
  ``invoicing.consumables``; a metered fee or a fee per ``order``/``sample`` is charged on the
  quantity recorded under its code; a fee per ``unit`` (the joining fee) is never charged from
  usage (see :func:`joining_fee_line`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from akari.core.money import multiply, round_yen
from akari.policies.schema import Fee, Pack

HOUR_FEES = ("shift", "hour")
COUNT_FEES = ("order", "sample")


class RateError(ValueError):
    """The pack cannot price what was asked (unknown route or item, missing rate)."""


class MissingRate(RateError):
    """No rate is listed for the member's joining fiscal year."""


@dataclass(frozen=True)
class UsageFacts:
    """What an experiment used, as billing needs it (built from a confirmed usage record)."""

    route: str
    used_minutes: int
    downtime_minutes: int = 0
    quantities: Mapping[str, Decimal] = field(default_factory=dict)
    joining_fiscal_year: int | None = None


@dataclass(frozen=True)
class ChargeLine:
    """One priced line: ``code`` is a fee code, or ``consumable:<item>``."""

    code: str
    label_ja: str
    label_en: str
    unit_ja: str
    unit_en: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    tax_included: bool
    tax_rate: Decimal


def refunded_hours(downtime_minutes: int, pack: Pack) -> int:
    """Whole hours of facility-caused downtime refunded under the pack's policy."""
    if pack.downtime_refund is None or downtime_minutes <= 0:
        return 0
    hours, rest = divmod(downtime_minutes, 60)
    return hours + (1 if rest >= pack.downtime_refund.ignore_under_minutes and rest else 0)


def billable_hours(facts: UsageFacts, pack: Pack) -> Decimal:
    used = Decimal(facts.used_minutes) / Decimal(60)
    return max(Decimal(0), used - refunded_hours(facts.downtime_minutes, pack))


def unit_price(fee: Fee, joining_fiscal_year: int | None, pack: Pack | None = None) -> Decimal:
    """The fee's price per unit. A joining-year rate is the rate listed for the latest year not
    after the member's joining year (``invoicing.joining_year_rates: exact`` requires that very
    year); a member who joined before every listed year has no rate: :class:`MissingRate`."""
    if fee.amount is not None:
        return fee.amount
    if not fee.by_joining_year:
        raise RateError(f'Fee "{fee.code}" is charged at cost and has no unit price.')
    if joining_fiscal_year is None:
        raise MissingRate(f'Fee "{fee.code}" depends on the joining fiscal year, which is unknown.')
    exact = pack is not None and pack.invoicing.joining_year_rates == "exact"
    listed = sorted(fee.by_joining_year, key=lambda r: r.joining_fiscal_year)
    eligible = [
        r
        for r in listed
        if r.joining_fiscal_year == joining_fiscal_year
        or (not exact and r.joining_fiscal_year < joining_fiscal_year)
    ]
    if eligible:
        return eligible[-1].amount
    years = ", ".join(f"FY{r.joining_fiscal_year}" for r in listed)
    raise MissingRate(
        f'Fee "{fee.code}" has no rate for members who joined in FY{joining_fiscal_year} '
        f"(rates listed: {years})."
    )


_UNIT_LABELS = {
    "shift": ("シフト", "shift"),
    "hour": ("時間", "hour"),
    "unit": ("口", "unit"),
    "order": ("件", "order"),
    "sample": ("試料", "sample"),
}


def _fee_line(
    fee: Fee, pack: Pack, quantity: Decimal, price: Decimal, amount: Decimal
) -> ChargeLine:
    unit_ja, unit_en = _UNIT_LABELS.get(fee.unit, ("", ""))
    return ChargeLine(
        code=fee.code,
        label_ja=fee.label.ja,
        label_en=fee.label.en,
        unit_ja=unit_ja,
        unit_en=unit_en,
        quantity=quantity,
        unit_price=price,
        amount=amount,
        tax_included=fee.tax_included,
        tax_rate=pack.tax.rate,
    )


def charge_lines(pack: Pack, facts: UsageFacts) -> list[ChargeLine]:
    """Every charge of one experiment's usage (lines of zero are left out)."""
    try:
        route = pack.route(facts.route)
    except KeyError as missing:
        raise RateError(f'Programme "{pack.pack}" has no route "{facts.route}".') from missing
    metered = set(pack.invoicing.metered_fees)
    hours = billable_hours(facts, pack)
    lines: list[ChargeLine] = []
    for code in route.fees:
        fee = pack.fee(code)
        if fee.unit == "at_cost":
            lines += consumable_lines(pack, facts.quantities, fee=fee)
        elif fee.unit == "unit":
            continue
        elif fee.unit in HOUR_FEES and code not in metered:
            price = unit_price(fee, facts.joining_fiscal_year, pack)
            per = Decimal(pack.time_unit.hours) if fee.unit == "shift" else Decimal(1)
            quantity = hours / per
            amount = multiply(price, hours) if per == 1 else round_yen(price * hours / per)
            lines.append(_fee_line(fee, pack, quantity.quantize(Decimal("0.001")), price, amount))
        else:
            quantity = Decimal(facts.quantities.get(code, 0))
            price = unit_price(fee, facts.joining_fiscal_year, pack)
            lines.append(_fee_line(fee, pack, quantity, price, multiply(price, quantity)))
    return [line for line in lines if line.amount != 0]


def consumable_lines(
    pack: Pack, quantities: Mapping[str, Decimal], *, fee: Fee | None = None
) -> list[ChargeLine]:
    """Lines for the consumables recorded (codes of ``invoicing.consumables``)."""
    fee_codes = {f.code for f in pack.fees}
    lines = []
    for code, quantity in sorted(quantities.items()):
        if code in fee_codes:
            continue
        try:
            item = pack.invoicing.consumable(code)
        except KeyError as missing:
            raise RateError(f'"{code}" is not in the consumables price list.') from missing
        lines.append(
            ChargeLine(
                code=f"consumable:{code}",
                label_ja=item.label.ja,
                label_en=item.label.en,
                unit_ja=item.unit.ja,
                unit_en=item.unit.en,
                quantity=Decimal(quantity),
                unit_price=item.unit_price,
                amount=multiply(item.unit_price, Decimal(quantity)),
                tax_included=fee.tax_included if fee is not None else True,
                tax_rate=pack.tax.rate,
            )
        )
    return lines


def joining_fee_line(pack: Pack, *, units: int, fee_code: str = "joining_fee") -> ChargeLine:
    """The joining fee of ``units`` units (口)."""
    try:
        fee = pack.fee(fee_code)
    except KeyError as missing:
        raise RateError(f'Programme "{pack.pack}" has no fee "{fee_code}".') from missing
    price = unit_price(fee, None, pack)
    quantity = Decimal(units)
    return _fee_line(fee, pack, quantity, price, multiply(price, quantity))


@dataclass(frozen=True)
class Estimate:
    lines: list[ChargeLine]
    subtotal: Decimal


def estimate(
    pack: Pack,
    *,
    route: str,
    hours: Decimal,
    joining_fiscal_year: int | None = None,
    quantities: Mapping[str, Decimal] | None = None,
) -> Estimate:
    """What ``hours`` of beamtime on ``route`` will cost (before any downtime refund)."""
    facts = UsageFacts(
        route=route,
        used_minutes=int(Decimal(hours) * 60),
        quantities=dict(quantities or {}),
        joining_fiscal_year=joining_fiscal_year,
    )
    lines = charge_lines(pack, facts)
    return Estimate(lines=lines, subtotal=sum((line.amount for line in lines), Decimal(0)))
