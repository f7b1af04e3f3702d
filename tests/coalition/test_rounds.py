"""Every round boundary, one minute before and after, for each member class (Asia/Tokyo)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from akari.coalition import rounds
from akari.policies.reader import read, resolve
from tests.beamtime.factories import at

PACK, _digest = read(resolve("nanoterasu-coalition"))
POLICY = PACK.booking
assert POLICY is not None
CLASSES = PACK.member_classes
MINUTE = dt.timedelta(minutes=1)

SLOT = at(2026, 12, 10, 9)
R1_OPENS = at(2026, 10, 1, 0)  # default: two months before the month starts
R1_CLOSES = at(2026, 11, 1, 0)  # one month before the month starts
R2_CLOSES = at(2026, 12, 3, 9)  # 7 days before the slot
R3_CLOSES = at(2026, 12, 8, 9)  # 2 days before the slot

PRIORITY = ("platinum", "special_contract_gold")
OTHERS = ("gold", "general")
ALL = PRIORITY + OTHERS


def _expected(now: dt.datetime, member_class: str) -> tuple[bool, str]:
    if now < R1_OPENS:
        return False, "too_early"
    if now < R1_CLOSES:
        return False, "round1_requests_only"
    if now < R2_CLOSES:
        return (True, "round2") if member_class in PRIORITY else (False, "round_class")
    if now < R3_CLOSES:
        return True, "round3"
    if now < SLOT:
        return False, "staff_only"
    return False, "past"


CASES = [
    (edge + sign * MINUTE, member_class)
    for edge in (R1_OPENS, R1_CLOSES, R2_CLOSES, R3_CLOSES, SLOT)
    for sign in (-1, 1)
    for member_class in ALL
]


@pytest.mark.parametrize(("now", "member_class"), CASES)
def test_direct_booking_at_every_boundary(now: dt.datetime, member_class: str) -> None:
    check = rounds.direct_booking(
        slot_start=SLOT, now=now, member_class=member_class, policy=POLICY, classes=CLASSES
    )
    assert (check.allowed, check.code) == _expected(now, member_class)
    assert check.allowed or check.message


@pytest.mark.parametrize(
    ("now", "allowed", "code"),
    [
        (R1_OPENS - MINUTE, False, "too_early"),
        (R1_OPENS + MINUTE, True, "round1"),
        (R1_CLOSES - MINUTE, True, "round1"),
        (R1_CLOSES + MINUTE, False, "round1_closed"),
    ],
)
def test_round1_requests_window(now: dt.datetime, allowed: bool, code: str) -> None:
    check = rounds.request_window(slot_start=SLOT, now=now, policy=POLICY)
    assert (check.allowed, check.code) == (allowed, code)


def test_gold_in_round2_is_told_the_rule_and_when_round3_opens() -> None:
    with translation.override("en"):
        check = rounds.direct_booking(
            slot_start=SLOT,
            now=R1_CLOSES + MINUTE,
            member_class="gold",
            policy=POLICY,
            classes=CLASSES,
        )
    assert check.message == (
        "Round 2 (until 7 days before the slot) is open only to Platinum and "
        "Special-contract gold members. Round 3 opens on 2026-12-03 09:00."
    )
    assert check.opens_at == R2_CLOSES


def test_refusal_is_in_japanese_for_a_japanese_user() -> None:
    with translation.override("ja"):
        check = rounds.direct_booking(
            slot_start=SLOT,
            now=R1_CLOSES + MINUTE,
            member_class="general",
            policy=POLICY,
            classes=CLASSES,
        )
    assert "二次募集" in check.message and "三次募集" in check.message


def test_round1_cutoff_for_january_crosses_the_year() -> None:
    steps = rounds.phases(at(2027, 1, 5, 9), POLICY)
    assert steps[0].opens == at(2026, 11, 1, 0)
    assert steps[0].closes == at(2026, 12, 1, 0)


def test_a_slot_early_in_the_month_keeps_round2_after_round1() -> None:
    steps = rounds.phases(at(2026, 12, 1, 0), POLICY)
    assert [s.number for s in steps] == [1, 2, 3]
    assert steps[1].opens == at(2026, 11, 1, 0) and steps[1].closes == at(2026, 11, 24, 0)


@pytest.mark.parametrize(
    ("notice", "refund"),
    [
        (dt.timedelta(days=7) + MINUTE, Decimal(1)),
        (dt.timedelta(days=7), Decimal(1)),
        (dt.timedelta(days=7) - MINUTE, Decimal(0)),
        (dt.timedelta(hours=1), Decimal(0)),
    ],
)
def test_refund_tiers_at_their_edges(notice: dt.timedelta, refund: Decimal) -> None:
    assert rounds.refund_fraction(slot_start=SLOT, now=SLOT - notice, policy=POLICY) == refund


def test_refund_tiers_can_be_graded() -> None:
    graded = POLICY.model_copy(
        update={
            "cancellation": [
                type(POLICY.cancellation[0])(days_before=14, refund=Decimal(1)),
                type(POLICY.cancellation[0])(days_before=3, refund=Decimal("0.5")),
            ]
        }
    )
    day = dt.timedelta(days=1)
    assert rounds.refund_fraction(slot_start=SLOT, now=SLOT - 14 * day, policy=graded) == 1
    assert rounds.refund_fraction(slot_start=SLOT, now=SLOT - 10 * day, policy=graded) == Decimal(
        "0.5"
    )
    assert rounds.refund_fraction(slot_start=SLOT, now=SLOT - 2 * day, policy=graded) == 0
