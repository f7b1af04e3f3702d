"""Reading policy values: later issues go through these selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from akari.core import clock
from akari.policies import selectors
from akari.policies.schema import Pack

pytestmark = pytest.mark.django_db


def test_policy_in_force_gives_the_typed_pack(loaded):
    policy = selectors.policy_in_force("spring8")

    pack = policy.pack
    assert isinstance(pack, Pack)
    assert pack.time_unit.hours == 8
    assert pack.calls is not None and pack.calls.per_year == 6
    assert pack.calls.anytime is not None and pack.calls.anytime.unit_hours == 1
    assert pack.review is not None
    assert (pack.review.months_before_period, pack.review.notification_months_before) == (
        Decimal(5),
        Decimal("1.5"),
    )
    assert pack.obligations.experiment_report_months == 2
    assert pack.obligations.paper is not None and pack.obligations.paper.months_after == 36
    assert pack.obligations.switch_to_proprietary_days == 60
    assert pack.payment.months_after_invoice == 2
    assert (pack.caps.priority_and_proprietary_max_percent, pack.caps.single_group_max_percent) == (
        40,
        20,
    )
    assert pack.route("urgent").lead_time_days == 21
    assert pack.route("graduate_student").supervisor_required is True
    assert pack.fee("proprietary").amount == Decimal(480000)
    assert pack.tax.rate == Decimal("0.10")
    assert pack.downtime_refund is not None and pack.downtime_refund.ignore_under_minutes == 30


def test_the_nanoterasu_shared_pack_holds_request_granularity(loaded):
    pack = selectors.policy_in_force("nanoterasu-shared").pack

    assert (pack.requests.min_units, pack.requests.unit_multiple) == (3, 3)
    assert pack.requests.min_experimenters == 2
    assert pack.requests.students_may_lead is False
    assert pack.calls is not None and pack.calls.per_year == 2


def test_the_coalition_pack_holds_booking_rounds_classes_and_entitlement(loaded):
    pack = selectors.policy_in_force("nanoterasu-coalition").pack

    assert pack.booking is not None
    assert [
        (r.number, r.member_classes, r.closes_before.months, r.closes_before.days)
        for r in pack.booking.rounds
    ] == [
        (1, "all", 1, 0),
        (2, ["platinum", "special_contract_gold"], 0, 7),
        (3, "all", 0, 2),
    ]
    assert [c.code for c in pack.member_classes] == [
        "platinum",
        "special_contract_gold",
        "gold",
        "general",
    ]
    assert pack.entitlement is not None
    assert pack.entitlement.hours_per_unit_per_fiscal_year == 200
    assert pack.entitlement.contract_years == 10
    assert pack.review is None


def test_no_policy_is_in_force_before_the_first_effective_date(loaded):
    with pytest.raises(selectors.NoPolicyInForce):
        selectors.policy_in_force("spring8", on=dt.date(2026, 3, 31))
    with pytest.raises(selectors.NoPolicyInForce):
        selectors.policy_in_force("no-such-programme")


def test_the_coalition_usage_rate_depends_on_the_joining_year(loaded):
    assert selectors.fee(
        "nanoterasu-coalition", "usage", joining_fiscal_year=2022
    ).amount == Decimal(35000)
    # later joiners pay the latest listed rate until a new rate is loaded
    assert selectors.fee(
        "nanoterasu-coalition", "usage", joining_fiscal_year=2026
    ).amount == Decimal(35000)
    with pytest.raises(ValueError, match="joining fiscal year"):
        selectors.fee("nanoterasu-coalition", "usage")


def test_an_unknown_fee_is_reported(loaded):
    with pytest.raises(selectors.NoPolicyInForce, match='has no fee "nope"'):
        selectors.fee("spring8", "nope")


def test_policies_in_force_follow_the_clock(loaded):
    assert [v.programme.code for v in selectors.policies_in_force()] == [
        "spring8",
        "nanoterasu-shared",
        "nanoterasu-coalition",
    ]
    with clock.frozen(dt.datetime(2026, 3, 31, 9, 0, tzinfo=clock.TOKYO)):
        assert selectors.policies_in_force() == []
