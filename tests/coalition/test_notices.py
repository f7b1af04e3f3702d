"""Notifications: booking confirmed (by the task after commit), cancelled, round-1 result,
waitlist offer, round opening and low balance (each once)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from akari.coalition import services
from akari.coalition import waitlist as waiting
from akari.coalition.errors import BookingRefused
from akari.coalition.models import Bucket, EntitlementAccount, WaitlistEntry
from akari.coalition.tasks import tell_booking_confirmed
from akari.core import clock
from akari.notifications.models import Notification
from tests.beamtime.factories import at
from tests.coalition.factories import coalition_beamline, member, open_window

pytestmark = pytest.mark.django_db
ROUND3 = at(2026, 12, 4, 10)


def kinds(person) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_confirmation_task_is_written_with_the_booking_and_cancellation() -> None:
    from django_tasks_db.models import DBTaskResult

    bl = coalition_beamline()
    open_window(bl)
    gold, (alice,) = member("gold")
    with clock.frozen(ROUND3):
        booking = services.booking_create(
            membership=gold,
            person=alice,
            beamline=bl,
            start=at(2026, 12, 10, 9),
            end=at(2026, 12, 10, 10),
        )
        # the task row is part of the booking's transaction (an outbox)
        queued = DBTaskResult.objects.filter(task_path__endswith="tell_booking_confirmed")
        assert [row.args_kwargs["args"] for row in queued] == [[booking.pk]]
        # a refused booking leaves no task behind
        with pytest.raises(BookingRefused):
            services.booking_create(
                membership=gold,
                person=alice,
                beamline=bl,
                start=at(2026, 12, 10, 9),
                end=at(2026, 12, 10, 10),
            )
        assert queued.count() == 1
        assert tell_booking_confirmed.call(booking.pk) == 1
        assert tell_booking_confirmed.call(booking.pk) == 1  # the same notification, once
        services.booking_cancel(booking=booking, actor=alice)
    assert kinds(alice) == ["coalition.booking_cancelled", "coalition.booking_confirmed"]


def test_the_waitlist_is_offered_the_freed_slot_in_order() -> None:
    bl = coalition_beamline()
    open_window(bl)
    gold, (alice,) = member("gold")
    first, (bob,) = member("general")
    second, (carol,) = member("general")
    start, end = at(2026, 12, 10, 9), at(2026, 12, 10, 10)
    with clock.frozen(ROUND3):
        booking = services.booking_create(
            membership=gold, person=alice, beamline=bl, start=start, end=end
        )
        e1 = waiting.waitlist_join(membership=first, person=bob, beamline=bl, start=start, end=end)
        e2 = waiting.waitlist_join(
            membership=second, person=carol, beamline=bl, start=start, end=end
        )
        services.booking_cancel(booking=booking, actor=alice)
        e1.refresh_from_db()
        assert e1.status == WaitlistEntry.Status.OFFERED
        assert kinds(bob) == ["coalition.waitlist_offer"] and kinds(carol) == []
        waiting.waitlist_decline(entry=e1, actor=bob)
        e2.refresh_from_db()
        assert e2.status == WaitlistEntry.Status.OFFERED
        taken = waiting.waitlist_accept(entry=e2, actor=carol)
    assert taken.membership == second


def test_daily_announces_rounds_and_low_balance_once() -> None:
    _gold, (alice,) = member("gold")
    general, (bob,) = member("general")
    account = EntitlementAccount.objects.get(membership=general)
    from akari.coalition import ledger

    ledger.post(
        account_id=account.pk, kind="forfeit", moves=[(Bucket.AVAILABLE, Bucket.FORFEITED, 190)]
    )
    with clock.frozen(at(2026, 11, 1, 6)):  # round 1 closed for December, round 2 opened
        call_command("coalition_daily", verbosity=0)
        call_command("coalition_daily", verbosity=0)
    alice_kinds = kinds(alice)
    bob_kinds = kinds(bob)
    assert "coalition.low_balance" in bob_kinds and "coalition.low_balance" not in alice_kinds
    assert bob_kinds.count("coalition.low_balance") == 1
    # Round 2 (platinum, special-contract gold) is not announced to gold or general members;
    # round 1 for January opened on 1 November and is announced to both.
    assert alice_kinds == ["coalition.round_open"]
    assert Notification.objects.filter(recipient=bob, kind="coalition.round_open").count() == 1
