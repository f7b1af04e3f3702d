"""Round 1: requests for a month, and the allocation run that decides them.

A request holds its hours (ledger ``hold``) until the run. :func:`allocate` (staff button, or
``manage.py coalition_allocate --month 2026-12``) is refused before round 1 closes for the
month, and runs once per month (a second call returns the first run and changes nothing).

The decision is the pure function :func:`decide` of the recorded inputs (the pending requests,
the time already occupied, requests outside the windows), the recorded policy
(``booking.allocation`` of the pack: the criteria in order and the class priority) and the
recorded seed. First every request that collides with no other is allocated ("uncontested";
it counts towards its member's fair share); then, one at a time, among the requests still open
the best by the
criteria in order is placed (class priority: earlier class first; fair share: the member with
the lowest allocated hours per unit so far; lottery: a ticket drawn for every request, in id
order, from ``random.Random(seed)``); every open request that collides with it (same beamline,
overlapping time) loses, with the criterion that separated the two. :func:`replay` recomputes a
run from its record and must give the same draw. Winners become bookings (their held hours are
booked); losers get their hours back and are told why, and may book free slots in later rounds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import secrets
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from akari.beamtime.models import Block, BookingWindow
from akari.coalition import ledger, notices, policy, rounds
from akari.coalition.errors import BookingRefused
from akari.coalition.models import (
    AllocationRun,
    BookingRequest,
    Bucket,
    LedgerEntry,
    Membership,
)
from akari.coalition.services import (
    account_id_for,
    booking_create,
    check_beamline,
    check_interval,
    check_window,
    may_book,
)
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.facility.models import Beamline, EndStation

ALGORITHM_VERSION = 1


# --- Requests ---------------------------------------------------------------------------------


def request_submit(
    *,
    membership: Membership,
    person: Any,
    beamline: Beamline,
    start: dt.datetime,
    end: dt.datetime,
    use_type: str,
    end_station: EndStation | None = None,
) -> BookingRequest:
    now = clock.now()
    hours = check_interval(start, end, now)
    if not membership.is_active:
        raise BookingRefused(_("Only active members can book."), "not_member")
    check = rounds.request_window(slot_start=start, now=now, policy=policy.booking_policy())
    if not check.allowed:
        raise BookingRefused(check.message, check.code)
    check_beamline(beamline, end_station)
    if not may_book(membership, person):
        raise BookingRefused(_("You have no booking right for this member."), "no_booking_right")
    check_window(beamline, start, end)
    account_id = account_id_for(membership, start, hours)
    with transaction.atomic():
        request = BookingRequest.objects.create(
            membership=membership,
            account_id=account_id,
            requested_by=person,
            beamline=beamline,
            end_station=end_station,
            month=rounds.month_start(start).date(),
            start=start,
            end=end,
            hours=hours,
            use_type=use_type,
        )
        ledger.post(
            account_id=account_id,
            kind=LedgerEntry.Kind.HOLD,
            moves=[(Bucket.AVAILABLE, Bucket.HELD, hours)],
            actor=person,
            request_id=request.pk,
        )
        audit.record(actor=person, action="coalition.requested", obj=request)
    return request


def _release(request: BookingRequest, actor: Any | None, status: str, reason: str) -> None:
    transition(request, status, actor=actor, reason=reason, extra_updates={"reason": reason})
    ledger.post(
        account_id=request.account_id,
        kind=LedgerEntry.Kind.HOLD_RELEASE,
        moves=[(Bucket.HELD, Bucket.AVAILABLE, request.hours)],
        actor=actor,
        request_id=request.pk,
    )


@transaction.atomic
def request_withdraw(*, request: BookingRequest, actor: Any) -> BookingRequest:
    if request.status != BookingRequest.Status.PENDING:
        raise BookingRefused(_("Only pending requests can be withdrawn."), "not_pending")
    _release(request, actor, BookingRequest.Status.WITHDRAWN, "withdrawn")
    audit.record(actor=actor, action="coalition.request_withdrawn", obj=request)
    return request


# --- The pure decision ------------------------------------------------------------------------


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["beamline"] == b["beamline"] and a["start"] < b["end"] and b["start"] < a["end"]


def decide(inputs: dict[str, Any], allocation: dict[str, Any], seed: int) -> list[dict[str, Any]]:
    """The draw: decisions in order, ``{"request", "outcome", "reason", "lost_to"}``. Times in
    ``inputs`` are ISO strings of one offset, so they compare as strings."""
    requests = sorted(inputs["requests"], key=lambda r: r["id"])
    busy = inputs["busy"]
    rng = random.Random(seed)  # noqa: S311  (a reproducible draw, not a secret)
    tickets = {r["id"]: rng.random() for r in requests}
    priority = {code: i for i, code in enumerate(allocation["class_priority"])}
    order: list[str] = allocation["order"]
    allocated: dict[int, int] = {}
    draw: list[dict[str, Any]] = []
    open_: list[dict[str, Any]] = []
    for r in requests:
        if not r["bookable"]:
            draw.append(
                {
                    "request": r["id"],
                    "outcome": "rejected",
                    "reason": "outside_window",
                    "lost_to": None,
                }
            )
        elif any(_overlap(r, b) for b in busy):
            draw.append(
                {"request": r["id"], "outcome": "rejected", "reason": "occupied", "lost_to": None}
            )
        else:
            open_.append(r)

    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        parts: list[Any] = []
        for criterion in order:
            if criterion == "class_priority":
                parts.append(priority.get(r["class"], len(priority)))
            elif criterion == "fair_share":
                parts.append(Fraction(allocated.get(r["member"], 0), max(r["units"], 1)))
            else:
                parts.append(tickets[r["id"]])
        parts.append(r["id"])
        return tuple(parts)

    def place(winner: dict[str, Any], reason: str) -> None:
        draw.append(
            {"request": winner["id"], "outcome": "allocated", "reason": reason, "lost_to": None}
        )
        allocated[winner["member"]] = allocated.get(winner["member"], 0) + winner["hours"]

    while open_:
        # Requests that collide with no other open request are allocated first: they decide
        # nothing, and they count towards their member's fair share.
        free = [r for r in open_ if not any(o is not r and _overlap(r, o) for o in open_)]
        for r in free:
            place(r, "uncontested")
        open_ = [r for r in open_ if r not in free]
        if not open_:
            break
        open_.sort(key=key)
        winner = open_.pop(0)
        winner_key = key(winner)
        place(winner, "won")
        losers = [r for r in open_ if _overlap(r, winner)]
        for loser in losers:
            loser_key = key(loser)
            criterion = next(
                (order[i] for i in range(len(order)) if winner_key[i] != loser_key[i]), "order"
            )
            draw.append(
                {
                    "request": loser["id"],
                    "outcome": "rejected",
                    "reason": criterion,
                    "lost_to": winner["id"],
                }
            )
        open_ = [r for r in open_ if r not in losers]
    return draw


def digest(inputs: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def replay(run: AllocationRun) -> list[dict[str, Any]]:
    """Recompute a run from its recorded inputs, policy and seed (equal to ``run.draw``)."""
    if digest(run.inputs) != run.inputs_digest:
        raise ValueError("The recorded inputs do not match their digest.")
    return decide(run.inputs, run.policy, run.seed)


# --- The run ----------------------------------------------------------------------------------


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat()


def _inputs(month_start: dt.datetime, pending: list[BookingRequest]) -> dict[str, Any]:
    month_end = rounds.add_months(month_start, 1)
    beamline_ids = sorted({r.beamline_id for r in pending})
    blocks = Block.objects.filter(
        beamline_id__in=beamline_ids,
        released_at__isnull=True,
        start__lt=month_end,
        end__gt=month_start,
    ).order_by("beamline_id", "start")
    windows = list(
        BookingWindow.objects.filter(
            beamline_id__in=beamline_ids,
            programme=policy.PROGRAMME,
            start__lt=month_end,
            end__gt=month_start,
        )
    )

    def bookable(r: BookingRequest) -> bool:
        return any(
            w.beamline_id == r.beamline_id and w.start <= r.start and w.end >= r.end
            for w in windows
        )

    return {
        "month": month_start.date().isoformat(),
        "requests": [
            {
                "id": r.pk,
                "member": r.membership_id,
                "class": r.membership.member_class,
                "units": r.membership.units,
                "beamline": r.beamline_id,
                "start": _iso(r.start),
                "end": _iso(r.end),
                "hours": r.hours,
                "bookable": bookable(r),
            }
            for r in pending
        ],
        "busy": [
            {"beamline": b.beamline_id, "start": _iso(b.start), "end": _iso(b.end)} for b in blocks
        ],
    }


def round1_closes(month: dt.date) -> dt.datetime:
    start = rounds.month_start(month)
    return rounds.phases(start, policy.booking_policy(month))[0].closes


def allocate(*, month: dt.date, actor: Any | None, seed: int | None = None) -> AllocationRun:
    """Run round 1's allocation for ``month`` (any day of it). Idempotent per month."""
    month = month.replace(day=1)
    existing = AllocationRun.objects.filter(month=month).first()
    if existing is not None:
        return existing
    closes = round1_closes(month)
    if clock.now() < closes:
        raise BookingRefused(
            _("Round 1 for %(month)s closes on %(closes)s; the allocation runs after that.")
            % {
                "month": rounds.month_label(rounds.month_start(month)),
                "closes": rounds.fmt(closes),
            },
            "round1_open",
        )
    allocation = policy.booking_policy(month).allocation.model_dump(mode="json")
    seed = secrets.randbits(62) if seed is None else seed
    try:
        with transaction.atomic():
            return _run(month, allocation, seed, actor)
    except IntegrityError:
        return AllocationRun.objects.get(month=month)


def _run(month: dt.date, allocation: dict[str, Any], seed: int, actor: Any | None) -> AllocationRun:
    pending = list(
        BookingRequest.objects.select_for_update()
        .filter(month=month, status=BookingRequest.Status.PENDING)
        .order_by("pk")
    )
    by_id = {
        r.pk: r
        for r in BookingRequest.objects.filter(pk__in=[p.pk for p in pending]).select_related(
            "membership__organisation", "beamline__facility", "end_station", "requested_by"
        )
    }
    pending = [by_id[p.pk] for p in pending]
    inputs = _inputs(rounds.month_start(month), pending)
    draw = decide(inputs, allocation, seed)
    run = AllocationRun.objects.create(
        month=month,
        seed=seed,
        algorithm_version=ALGORITHM_VERSION,
        inputs_digest=digest(inputs),
        inputs=inputs,
        policy=allocation,
        draw=draw,
        ran_at=clock.now(),
        ran_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for decision in draw:
        request = by_id[decision["request"]]
        BookingRequest.objects.filter(pk=request.pk).update(run=run)
        outcome, reason = decision["outcome"], decision["reason"]
        if outcome == "allocated":
            try:
                with transaction.atomic():
                    booking = booking_create(
                        membership=request.membership,
                        person=request.requested_by,
                        beamline=request.beamline,
                        end_station=request.end_station,
                        start=request.start,
                        end=request.end,
                        use_type=request.use_type,
                        round_number=1,
                        account_id=request.account_id,
                        source="round1",
                        trusted=True,
                    )
                    transition(
                        request,
                        BookingRequest.Status.ALLOCATED,
                        actor=actor,
                        extra_updates={"booking": booking, "reason": reason},
                    )
            except BookingRefused as refused:
                outcome, reason = "rejected", refused.rule
        if outcome == "rejected":
            _release(request, actor, BookingRequest.Status.REJECTED, reason)
        notices.tell(
            [request.requested_by],
            event="request_result",
            context={
                "outcome": outcome,
                "reason": reason,
                "beamline": request.beamline.code,
                "start": rounds.fmt(request.start),
                "end": rounds.fmt(request.end),
                "month": month.isoformat()[:7],
            },
            dedupe=str(request.pk),
            link="/coalition/requests/",
            actor=actor,
        )
    audit.record(
        actor=actor, action="coalition.allocated", obj=run, seed=seed, requests=len(pending)
    )
    return run
