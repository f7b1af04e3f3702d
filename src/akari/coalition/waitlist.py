"""The waitlist of a taken slot: members queue for ``(beamline, start, end)``; when a booking
overlapping that time is cancelled, the first waiting member whose wanted time is now entirely
free is offered it (a notification; the offer expires after the pack's
``booking.waitlist_offer_hours``, default 24). Accepting books the slot under the normal checks
(round in force, entitlement, window); declining or letting the offer expire offers it to the
next. ``coalition_daily`` expires stale offers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from akari.beamtime import selectors as calendar
from akari.coalition import notices, policy, rounds
from akari.coalition.errors import BookingRefused
from akari.coalition.models import Booking, Membership, UseType, WaitlistEntry
from akari.coalition.services import booking_create, check_beamline, check_interval, may_book
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.facility.models import Beamline


@transaction.atomic
def waitlist_join(
    *,
    membership: Membership,
    person: Any,
    beamline: Beamline,
    start: dt.datetime,
    end: dt.datetime,
    use_type: str = UseType.BASIC,
) -> WaitlistEntry:
    check_interval(start, end, clock.now())
    check_beamline(beamline, None)
    if not may_book(membership, person):
        raise BookingRefused(_("You have no booking right for this member."), "no_booking_right")
    if (
        calendar.is_bookable(beamline, policy.PROGRAMME, start, end)
        and not calendar.active_blocks(beamline, start, end).exists()
    ):
        raise BookingRefused(_("This slot is free: book it instead of waiting."), "slot_free")
    if WaitlistEntry.objects.filter(
        membership=membership,
        beamline=beamline,
        start=start,
        end=end,
        status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
    ).exists():
        raise BookingRefused(_("Your member is already waiting for this slot."), "duplicate")
    entry = WaitlistEntry.objects.create(
        membership=membership,
        person=person,
        beamline=beamline,
        start=start,
        end=end,
        use_type=use_type,
    )
    audit.record(actor=person, action="coalition.waitlist_joined", obj=entry)
    return entry


def offer_next(*, beamline: Beamline, start: dt.datetime, end: dt.datetime) -> WaitlistEntry | None:
    """Offer freed time to the first waiting entry that now fits entirely (none if one is
    already offered for overlapping time)."""
    now = clock.now()
    overlapping = WaitlistEntry.objects.select_for_update().filter(
        beamline=beamline, start__lt=end, end__gt=start, start__gt=now
    )
    if overlapping.filter(status=WaitlistEntry.Status.OFFERED).exists():
        return None
    for entry in overlapping.filter(status=WaitlistEntry.Status.WAITING).order_by(
        "created_at", "pk"
    ):
        if calendar.active_blocks(beamline, entry.start, entry.end).exists():
            continue
        expires = now + dt.timedelta(hours=policy.booking_policy().waitlist_offer_hours)
        transition(
            entry,
            WaitlistEntry.Status.OFFERED,
            actor=None,
            extra_updates={"offered_at": now, "offer_expires_at": expires},
        )
        notices.tell(
            [entry.person],
            event="waitlist_offer",
            context={
                "beamline": beamline.code,
                "start": rounds.fmt(entry.start),
                "end": rounds.fmt(entry.end),
                "expires": rounds.fmt(expires),
            },
            dedupe=f"{entry.pk}",
            link="/coalition/waitlist/",
        )
        return entry
    return None


def waitlist_accept(*, entry: WaitlistEntry, actor: Any) -> Booking:
    if entry.status != WaitlistEntry.Status.OFFERED:
        raise BookingRefused(_("This slot is not on offer to you."), "not_offered")
    if entry.offer_expires_at and entry.offer_expires_at <= clock.now():
        raise BookingRefused(_("This offer has expired."), "offer_expired")
    with transaction.atomic():
        booking = booking_create(
            membership=entry.membership,
            person=actor,
            beamline=entry.beamline,
            start=entry.start,
            end=entry.end,
            use_type=entry.use_type,
            source="waitlist",
        )
        transition(
            entry, WaitlistEntry.Status.ACCEPTED, actor=actor, extra_updates={"booking": booking}
        )
    return booking


@transaction.atomic
def waitlist_decline(*, entry: WaitlistEntry, actor: Any | None, expired: bool = False) -> None:
    status = WaitlistEntry.Status.EXPIRED if expired else WaitlistEntry.Status.DECLINED
    if entry.status == WaitlistEntry.Status.WAITING and not expired:
        transition(entry, WaitlistEntry.Status.WITHDRAWN, actor=actor)
        return
    transition(entry, status, actor=actor)
    offer_next(beamline=entry.beamline, start=entry.start, end=entry.end)


def expire_offers() -> int:
    count = 0
    for entry in WaitlistEntry.objects.filter(
        status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=clock.now()
    ).select_related("beamline"):
        waitlist_decline(entry=entry, actor=None, expired=True)
        count += 1
    return count
