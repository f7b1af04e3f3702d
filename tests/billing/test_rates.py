"""Every fee of the brief, computed from usage facts with the shipped packs (pure)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from akari.billing import rates
from akari.billing.rates import MissingRate, RateError, UsageFacts
from akari.policies.reader import read, resolve
from akari.policies.schema import JoiningYearRate, Pack


@cache
def pack(code: str) -> Pack:
    return read(resolve(code))[0]


def amounts(lines: list[rates.ChargeLine]) -> dict[str, Decimal]:
    return {line.code: line.amount for line in lines}


H = 60  # minutes per hour


@pytest.mark.parametrize(
    ("programme", "route", "minutes", "downtime", "joining", "expected"),
    [
        # SPring-8 (prices include tax): per 8-hour shift, charged pro rata per hour.
        ("spring8", "proprietary_normal", 8 * H, 0, None, {"proprietary": 480000}),
        ("spring8", "proprietary_normal", 24 * H, 0, None, {"proprietary": 1440000}),
        ("spring8", "time_designated", 8 * H, 0, None, {"time_designated": 720000}),
        ("spring8", "measurement_service", 16 * H, 0, None, {"measurement_service": 1440000}),
        ("spring8", "priority", 8 * H, 0, None, {"priority": 131000, "user_fee": 10720}),
        ("spring8", "normal", 8 * H, 0, None, {"user_fee": 10720}),
        ("spring8", "normal", 24 * H, 0, None, {"user_fee": 32160}),
        ("spring8", "graduate_student", 8 * H, 0, None, {"user_fee": 10720}),
        # Downtime refunds around the 30-minute edge: 60,000 yen per hour of a proprietary shift.
        ("spring8", "proprietary_normal", 8 * H, 29, None, {"proprietary": 480000}),
        ("spring8", "proprietary_normal", 8 * H, 30, None, {"proprietary": 420000}),
        ("spring8", "proprietary_normal", 8 * H, 60, None, {"proprietary": 420000}),
        ("spring8", "proprietary_normal", 8 * H, 89, None, {"proprietary": 420000}),
        ("spring8", "proprietary_normal", 8 * H, 90, None, {"proprietary": 360000}),
        ("spring8", "normal", 8 * H, 30, None, {"user_fee": 9380}),
        # NanoTerasu shared use: general pays consumables only; proprietary pays the beam fee.
        ("nanoterasu-shared", "general", 24 * H, 0, None, {}),
        ("nanoterasu-shared", "proprietary", 24 * H, 0, None, {"beam_fee": 1440000}),
        ("nanoterasu-shared", "proprietary", 24 * H, 120, None, {"beam_fee": 1320000}),
        # Coalition (prices before tax): 35,000 yen per hour for FY2022 members.
        ("nanoterasu-coalition", "basic", 4 * H, 0, 2022, {"usage": 140000}),
        ("nanoterasu-coalition", "basic", 4 * H, 29, 2022, {"usage": 140000}),
        ("nanoterasu-coalition", "basic", 4 * H, 30, 2022, {"usage": 105000}),
        ("nanoterasu-coalition", "advanced", 3 * H, 0, 2022, {"usage": 105000, "advanced": 30000}),
        ("nanoterasu-coalition", "mail_in", 2 * H, 0, 2022, {"usage": 70000}),
    ],
)
def test_fees_from_usage(programme, route, minutes, downtime, joining, expected):
    facts = UsageFacts(
        route=route, used_minutes=minutes, downtime_minutes=downtime, joining_fiscal_year=joining
    )
    lines = rates.charge_lines(pack(programme), facts)
    assert amounts(lines) == {code: Decimal(v) for code, v in expected.items()}
    assert all(isinstance(line.amount, Decimal) for line in lines)


@pytest.mark.parametrize(
    ("minutes", "hours"), [(0, 0), (29, 0), (30, 1), (59, 1), (60, 1), (89, 1), (90, 2), (150, 3)]
)
def test_downtime_refund_hours(minutes, hours):
    assert rates.refunded_hours(minutes, pack("spring8")) == hours


def test_tax_flags_follow_the_pack():
    spring8 = rates.charge_lines(pack("spring8"), UsageFacts(route="normal", used_minutes=480))
    coalition = rates.charge_lines(
        pack("nanoterasu-coalition"),
        UsageFacts(route="basic", used_minutes=60, joining_fiscal_year=2022),
    )
    assert [line.tax_included for line in spring8] == [True]
    assert [line.tax_included for line in coalition] == [False]
    assert spring8[0].tax_rate == Decimal("0.10")


def test_consumables_and_metered_fees():
    facts = UsageFacts(
        route="proprietary",
        used_minutes=8 * H,
        quantities={"liquid_helium": Decimal("12.5"), "sample_holder": Decimal(2)},
    )
    lines = amounts(rates.charge_lines(pack("nanoterasu-shared"), facts))
    assert lines == {
        "beam_fee": Decimal(480000),
        "consumable:liquid_helium": Decimal(41250),
        "consumable:sample_holder": Decimal(11000),
    }
    analysis = UsageFacts(
        route="advanced",
        used_minutes=2 * H,
        quantities={"analysis": Decimal(3)},
        joining_fiscal_year=2022,
    )
    assert amounts(rates.charge_lines(pack("nanoterasu-coalition"), analysis)) == {
        "usage": Decimal(70000),
        "advanced": Decimal(20000),
        "analysis": Decimal(90000),
    }
    mail_in = UsageFacts(
        route="mail_in",
        used_minutes=H,
        quantities={"mail_in": Decimal(2)},
        joining_fiscal_year=2022,
    )
    assert amounts(rates.charge_lines(pack("nanoterasu-coalition"), mail_in))["mail_in"] == 200000


def test_unknown_consumable_is_refused():
    facts = UsageFacts(route="normal", used_minutes=480, quantities={"gold_leaf": Decimal(1)})
    with pytest.raises(RateError):
        rates.charge_lines(pack("spring8"), facts)


def _with_second_year() -> Pack:
    base = pack("nanoterasu-coalition")
    usage = base.fee("usage")
    revised = usage.model_copy(
        update={
            "by_joining_year": [
                *usage.by_joining_year,
                JoiningYearRate(joining_fiscal_year=2025, amount=Decimal(42000)),
            ]
        }
    )
    fees = [revised if f.code == "usage" else f for f in base.fees]
    return base.model_copy(update={"fees": fees})


@pytest.mark.parametrize(
    ("joining", "expected"),
    [(2022, 70000), (2023, 70000), (2024, 70000), (2025, 84000), (2026, 84000)],
)
def test_rate_changes_between_joining_years(joining, expected):
    facts = UsageFacts(route="basic", used_minutes=2 * H, joining_fiscal_year=joining)
    assert amounts(rates.charge_lines(_with_second_year(), facts)) == {"usage": Decimal(expected)}


def test_joining_before_every_listed_rate_is_an_error():
    facts = UsageFacts(route="basic", used_minutes=H, joining_fiscal_year=2021)
    with pytest.raises(MissingRate, match="FY2021"):
        rates.charge_lines(pack("nanoterasu-coalition"), facts)


def test_unknown_joining_year_is_an_error():
    with pytest.raises(MissingRate):
        rates.charge_lines(pack("nanoterasu-coalition"), UsageFacts(route="basic", used_minutes=H))


def test_exact_joining_year_policy_refuses_an_unlisted_year():
    base = _with_second_year()
    strict = base.model_copy(
        update={"invoicing": base.invoicing.model_copy(update={"joining_year_rates": "exact"})}
    )
    facts = UsageFacts(route="basic", used_minutes=H, joining_fiscal_year=2023)
    with pytest.raises(MissingRate, match="FY2023"):
        rates.charge_lines(strict, facts)
    exact = UsageFacts(route="basic", used_minutes=H, joining_fiscal_year=2025)
    assert amounts(rates.charge_lines(strict, exact)) == {"usage": Decimal(42000)}


def test_joining_fee_per_unit():
    line = rates.joining_fee_line(pack("nanoterasu-coalition"), units=3)
    assert line.amount == Decimal(150000000)
    assert line.tax_included is False


def test_estimate():
    result = rates.estimate(pack("spring8"), route="proprietary_normal", hours=Decimal(16))
    assert result.subtotal == Decimal(960000)
