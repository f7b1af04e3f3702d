"""Writes to the one calendar of beamtime. Scheduling and coalition call these; nothing else
creates, moves or releases a block.

Overlap is refused twice over: a query inside the caller's transaction gives a clear message
(and is the guarantee on SQLite, whose transactions are serialised by ``BEGIN IMMEDIATE``), and
on PostgreSQL the exclusion constraint catches the race two concurrent transactions could win
past the query; its violation is turned into the same :class:`BeamtimeConflict`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from akari.beamtime.models import Block, BookingWindow, Experiment
from akari.core import audit, clock
from akari.core.sqlchain import Chain
from akari.core.workflow import transition

EXCLUSION_VIOLATION = "23P01"
# Namespace of the per-beamline advisory locks (the first key of pg_advisory_xact_lock(int, int)).
BLOCK_LOCK_NAMESPACE = 0x414B  # "AK"


def _serialise_beamline(beamline_id: int) -> None:
    """Take the beamline's transaction-scoped advisory lock (PostgreSQL) before inserting or
    moving a block. Two transactions inserting overlapping blocks at once would otherwise each
    find the other's uncommitted row in the exclusion check and wait for each other: a deadlock
    that PostgreSQL breaks only after ``deadlock_timeout`` (1 s). With the lock the second waits
    for the first to commit and then meets a clean exclusion violation (or free time). The lock
    is per beamline, so bookings on different beamlines still run in parallel; it is released at
    commit or rollback. SQLite needs none: its writers are serialised by ``BEGIN IMMEDIATE``."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [BLOCK_LOCK_NAMESPACE, int(beamline_id)]
            )


class BeamtimeConflict(ValidationError):
    """The requested time overlaps beamtime that is already occupied."""


def _check_interval(start: datetime, end: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(_("Start and end must carry a time zone."))
    if end <= start:
        raise ValidationError(_("The end must be after the start."))


def _overlapping(beamline_id: int, start: datetime, end: datetime, exclude: int | None = None):
    qs = Block.objects.filter(
        beamline_id=beamline_id, released_at__isnull=True, start__lt=end, end__gt=start
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs


def _conflict() -> BeamtimeConflict:
    return BeamtimeConflict(_("This beamtime is already occupied."), code="beamtime_occupied")


def occupied_error(exc: IntegrityError) -> BeamtimeConflict | None:
    """The :class:`BeamtimeConflict` an integrity error means when the exclusion constraint
    raised it (a one-statement write met occupied time), else None."""
    return _conflict() if _is_exclusion_violation(exc) else None


def _is_exclusion_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return (
        getattr(cause, "sqlstate", None) == EXCLUSION_VIOLATION
        or getattr(cause, "pgcode", None) == EXCLUSION_VIOLATION
    )


@transaction.atomic
def block_occupy(
    *,
    beamline: Any,
    start: datetime,
    end: datetime,
    kind: str,
    actor: Any | None,
    end_station: Any | None = None,
    label: str = "",
    precheck: bool = True,
) -> Block:
    """Occupy ``[start, end)`` of a beamline. Raises :class:`BeamtimeConflict` (and writes
    nothing) when any active block overlaps. ``precheck=False`` skips the friendly query and
    relies on the database constraint alone (PostgreSQL only; used by hot paths)."""
    _check_interval(start, end)
    beamline_id = getattr(beamline, "pk", beamline)
    if end_station is not None and getattr(end_station, "beamline_id", beamline_id) != beamline_id:
        raise ValidationError(_("The end station does not belong to this beamline."))
    _serialise_beamline(beamline_id)
    if (precheck or transaction.get_connection().vendor != "postgresql") and _overlapping(
        beamline_id, start, end
    ).exists():
        raise _conflict()
    block = Block(
        beamline_id=beamline_id,
        end_station=end_station,
        start=start,
        end=end,
        kind=kind,
        label=label,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            block.save()
    except IntegrityError as exc:
        if _is_exclusion_violation(exc):
            raise _conflict() from exc
        raise
    return block


@transaction.atomic
def block_release(*, block: Block, actor: Any | None, reason: str = "") -> Block:
    """Free a block's time (the row stays, for the record). Releasing twice is a no-op."""
    locked = Block.objects.select_for_update().get(pk=block.pk)
    if locked.released_at is not None:
        return locked
    locked.released_at = clock.now()
    locked.released_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.release_reason = reason[:300]
    locked.save(update_fields=["released_at", "released_by", "release_reason"])
    audit.record(actor=actor, action="beamtime.block_released", obj=locked, reason=reason)
    block.released_at = locked.released_at
    return locked


@transaction.atomic
def block_move(*, block: Block, start: datetime, end: datetime, actor: Any | None) -> Block:
    """Move an active block; refused with :class:`BeamtimeConflict` if the new time is taken."""
    _check_interval(start, end)
    locked = Block.objects.select_for_update().get(pk=block.pk)
    if locked.released_at is not None:
        raise ValidationError(_("This beamtime has been released and cannot be moved."))
    _serialise_beamline(locked.beamline_id)
    if _overlapping(locked.beamline_id, start, end, exclude=locked.pk).exists():
        raise _conflict()
    old = (locked.start.isoformat(), locked.end.isoformat())
    locked.start, locked.end = start, end
    try:
        with transaction.atomic():
            locked.save(update_fields=["start", "end"])
    except IntegrityError as exc:
        if _is_exclusion_violation(exc):
            raise _conflict() from exc
        raise
    Experiment.objects.filter(block=locked).update(start=start, end=end)
    audit.record(
        actor=actor,
        action="beamtime.block_moved",
        obj=locked,
        start=[old[0], start.isoformat()],
        end=[old[1], end.isoformat()],
    )
    return locked


@transaction.atomic
def window_open(
    *, beamline: Any, programme: str, start: datetime, end: datetime, actor: Any | None
) -> BookingWindow:
    """Open ``[start, end)`` of a beamline to member booking. Adjacent or overlapping windows of
    the same programme are merged into one, so opening the same time twice changes nothing."""
    _check_interval(start, end)
    beamline_id = getattr(beamline, "pk", beamline)
    touching = list(
        BookingWindow.objects.select_for_update().filter(
            beamline_id=beamline_id, programme=programme, start__lte=end, end__gte=start
        )
    )
    if len(touching) == 1 and touching[0].start <= start and touching[0].end >= end:
        return touching[0]
    new_start = min([start, *(w.start for w in touching)])
    new_end = max([end, *(w.end for w in touching)])
    BookingWindow.objects.filter(pk__in=[w.pk for w in touching]).delete()
    window = BookingWindow.objects.create(
        beamline_id=beamline_id,
        programme=programme,
        start=new_start,
        end=new_end,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="beamtime.window_opened",
        obj=window,
        start=start.isoformat(),
        end=end.isoformat(),
    )
    return window


@transaction.atomic
def window_close(
    *, beamline: Any, programme: str, start: datetime, end: datetime, actor: Any | None
) -> int:
    """Take ``[start, end)`` out of member booking (existing bookings are untouched: release
    them separately). Returns the number of windows changed."""
    _check_interval(start, end)
    beamline_id = getattr(beamline, "pk", beamline)
    changed = 0
    for w in BookingWindow.objects.select_for_update().filter(
        beamline_id=beamline_id, programme=programme, start__lt=end, end__gt=start
    ):
        changed += 1
        pieces = [(w.start, start), (end, w.end)]
        w.delete()
        for a, b in pieces:
            if b > a:
                BookingWindow.objects.create(
                    beamline_id=beamline_id,
                    programme=programme,
                    start=a,
                    end=b,
                    created_by=w.created_by,
                )
    if changed:
        from akari.facility.models import Beamline

        audit.record(
            actor=actor,
            action="beamtime.window_closed",
            obj=Beamline.objects.get(pk=beamline_id),
            programme=programme,
            start=start.isoformat(),
            end=end.isoformat(),
        )
    return changed


@transaction.atomic
def experiment_create(
    *,
    block: Block,
    programme: str,
    route: str,
    reference: str,
    lead: Any,
    actor: Any | None,
    proprietary: bool = False,
    title: str = "",
    organisation: Any | None = None,
    participants: Iterable[Any] = (),
) -> Experiment:
    """Record that ``block`` is used by an experiment (one experiment per block)."""
    if not block.is_active:
        raise ValidationError(_("This beamtime has been released."))
    experiment = Experiment.objects.create(
        block=block,
        beamline_id=block.beamline_id,
        end_station_id=block.end_station_id,
        start=block.start,
        end=block.end,
        programme=programme,
        route=route,
        reference=reference,
        proprietary=proprietary,
        title=title[:300],
        lead=lead,
        organisation=organisation,
    )
    people = list(participants)
    if people:
        experiment.participants.set(people)
    audit.record(actor=actor, action="beamtime.experiment_created", obj=experiment)
    return experiment


@transaction.atomic
def experiment_cancel(*, experiment: Experiment, actor: Any | None, reason: str = "") -> Experiment:
    """Cancel a scheduled experiment and free its time."""
    transition(experiment, Experiment.Status.CANCELLED, actor=actor, reason=reason)
    block_release(block=experiment.block, actor=actor, reason=reason)
    return experiment


@transaction.atomic
def experiment_complete(*, experiment: Experiment, actor: Any | None) -> Experiment:
    if experiment.end > clock.now():
        raise ValidationError(_("An experiment cannot be completed before it ends."))
    transition(experiment, Experiment.Status.COMPLETED, actor=actor)
    return experiment


def block_occupy_for_experiment(
    *,
    beamline: Any,
    start: datetime,
    end: datetime,
    kind: str,
    actor: Any | None,
    programme: str,
    route: str,
    reference: str | Callable[[Block], str],
    lead: Any,
    end_station: Any | None = None,
    organisation: Any | None = None,
    proprietary: bool = False,
    label: str = "",
) -> Experiment:
    """Occupy ``[start, end)`` and record the experiment that uses it, for hot paths (member
    booking): no overlap query and no savepoint, so it must run inside the caller's
    ``transaction.atomic()`` on PostgreSQL, where the exclusion constraint alone refuses a taken
    interval. A conflict raises :class:`BeamtimeConflict` and leaves the caller's transaction
    aborted: the caller lets its atomic block roll back (it cannot go on in that transaction).
    Same rows and audit record as :func:`block_occupy` followed by :func:`experiment_create`.
    ``reference`` may be a function of the new block (e.g. a number made from its id)."""
    _check_interval(start, end)
    connection = transaction.get_connection()
    if not connection.in_atomic_block or connection.vendor != "postgresql":
        block = block_occupy(
            beamline=beamline,
            start=start,
            end=end,
            kind=kind,
            actor=actor,
            end_station=end_station,
            label=label,
        )
        return experiment_create(
            block=block,
            programme=programme,
            route=route,
            reference=reference(block) if callable(reference) else reference,
            lead=lead,
            actor=actor,
            proprietary=proprietary,
            organisation=organisation,
        )
    beamline_id = getattr(beamline, "pk", beamline)
    if end_station is not None and getattr(end_station, "beamline_id", beamline_id) != beamline_id:
        raise ValidationError(_("The end station does not belong to this beamline."))
    _serialise_beamline(beamline_id)
    block = Block(
        beamline_id=beamline_id,
        end_station=end_station,
        start=start,
        end=end,
        kind=kind,
        label=label,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        block.save(force_insert=True)
    except IntegrityError as exc:
        if _is_exclusion_violation(exc):
            raise _conflict() from exc
        raise
    experiment = Experiment(
        block=block,
        beamline_id=beamline_id,
        end_station=end_station,
        start=start,
        end=end,
        programme=programme,
        route=route,
        reference=reference(block) if callable(reference) else reference,
        proprietary=proprietary,
        lead=lead,
        organisation=organisation,
    )
    experiment.save(force_insert=True)
    audit.record(actor=actor, action="beamtime.experiment_created", obj=experiment)
    return experiment


def lock_step(chain: Chain, beamline_id: int, name: str = "lk") -> Chain:
    """The beamline's advisory lock (see :func:`_serialise_beamline`) as the first step of a
    one-statement write; later steps select from it so that it is taken before any insert."""
    return chain.raw(
        name,
        "SELECT pg_advisory_xact_lock(%s, %s)",
        [BLOCK_LOCK_NAMESPACE, int(beamline_id)],
    )


def window_step(
    chain: Chain,
    *,
    beamline_id: int,
    programme: str,
    start: datetime,
    end: datetime,
    name: str = "win",
) -> Chain:
    """:func:`akari.beamtime.selectors.is_bookable` as a step of a one-statement write: one row
    when all of ``[start, end)`` lies inside one booking window of ``programme``, none
    otherwise (a later step guarded by it then writes nothing)."""
    return chain.raw(
        name,
        f"SELECT 1 FROM {BookingWindow._meta.db_table} w "  # noqa: S608 - the model's table
        'WHERE w.beamline_id = %s AND w.programme = %s AND w.start <= %s AND w."end" >= %s '
        "LIMIT 1",
        [int(beamline_id), programme, start, end],
    )


def occupy_for_experiment_steps(
    chain: Chain,
    *,
    source: str,
    beamline_id: int,
    start: datetime,
    end: datetime,
    kind: str,
    actor: Any | None,
    programme: str,
    route: str,
    reference_prefix: str,
    lead: Any,
    end_station: Any | None = None,
    organisation: Any | None = None,
    proprietary: bool = False,
    label: str = "",
) -> Chain:
    """:func:`block_occupy_for_experiment` as steps of a one-statement write on PostgreSQL
    (:mod:`akari.core.sqlchain`), selecting from the step ``source`` (after :func:`lock_step`):
    step ``blk`` inserts the block, ``exp`` the experiment (its reference is
    ``reference_prefix`` and the block's id, at least six digits, and it returns ``id``,
    ``block_id`` and ``reference``), ``exp_audit`` the audit row. The same rows as the ORM path;
    the exclusion constraint refuses a taken interval (the statement then writes nothing)."""
    _check_interval(start, end)
    if end_station is not None and end_station.beamline_id != beamline_id:
        raise ValidationError(_("The end station does not belong to this beamline."))
    end_station_id = end_station.pk if end_station is not None else None
    padded = "lpad(blk.id::text, greatest(6, length(blk.id::text)), '0')"
    chain.insert_row(
        "blk",
        Block,
        {
            "beamline_id": beamline_id,
            "end_station_id": end_station_id,
            "start": start,
            "end": end,
            "kind": kind,
            "label": label,
            "created_by_id": getattr(actor, "pk", None)
            if getattr(actor, "is_authenticated", False)
            else None,
        },
        source=source,
    )
    chain.insert_row(
        "exp",
        Experiment,
        {
            "beamline_id": beamline_id,
            "end_station_id": end_station_id,
            "start": start,
            "end": end,
            "programme": programme,
            "route": route,
            "proprietary": proprietary,
            "lead_id": lead.pk if lead is not None else None,
            "organisation_id": organisation.pk if organisation is not None else None,
        },
        source="blk",
        exprs={"block_id": "blk.id", "reference": (f"%s || {padded}", [reference_prefix])},
        returning="id, block_id, reference",
    )
    return audit.record_step(
        chain,
        "exp_audit",
        actor=actor,
        action="beamtime.experiment_created",
        model=Experiment,
        from_step="exp",
        object_id="exp.id::text",
    )


def overlapping_active(beamline: Any, start: datetime, end: datetime) -> list[Block]:
    """Active blocks of a beamline that overlap ``[start, end)`` (for conflict messages)."""
    beamline_id = getattr(beamline, "pk", beamline)
    return list(_overlapping(beamline_id, start, end).order_by("start"))


__all__ = [
    "BeamtimeConflict",
    "block_move",
    "block_occupy",
    "block_occupy_for_experiment",
    "block_release",
    "experiment_cancel",
    "experiment_complete",
    "experiment_create",
    "lock_step",
    "occupied_error",
    "occupy_for_experiment_steps",
    "overlapping_active",
    "window_close",
    "window_open",
    "window_step",
]
