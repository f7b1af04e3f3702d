"""Every write of the coalition: memberships, member people, bookings and cancellations.

Round-1 requests and the allocation run are in :mod:`akari.coalition.allocation`, the waitlist
in :mod:`akari.coalition.waitlist`, the hour ledger in :mod:`akari.coalition.ledger`.

The booking hot path (:func:`booking_create`) runs its pure checks first (whole hours, use
type, membership status, the round in force, the beamline), then writes. On PostgreSQL a
basic-use booking is **one statement** and no other query (:func:`_book_in_one_statement`):
the beamline's lock, the booking window and the member's account of the fiscal year as guards,
the calendar block (the exclusion constraint refuses a taken slot), the experiment, the booking
row, the ledger posting (a conditional ``UPDATE`` of the account), the audit rows and the
confirmation task. Only a refused request reads more: the idempotency key (a retry gets the
first booking) and, when the guards wrote nothing, :func:`_precheck` for the reason. Other
bookings (advanced and mail-in use, the allocation run's held hours, other databases) read the
key, window and account first (:func:`_precheck`, one query) and write in one transaction.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import partial
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from akari.accounts.models import Affiliation, Organisation, User
from akari.beamtime import selectors as calendar
from akari.beamtime.models import Block
from akari.beamtime.services import (
    BeamtimeConflict,
    block_occupy_for_experiment,
    experiment_cancel,
    experiment_complete,
    lock_step,
    occupied_error,
    occupy_for_experiment_steps,
    window_step,
)
from akari.coalition import ledger, notices, policy, rounds
from akari.coalition.errors import BookingRefused
from akari.coalition.models import (
    Booking,
    Bucket,
    EntitlementAccount,
    LedgerEntry,
    MemberPerson,
    Membership,
    UseType,
)
from akari.core import audit, clock
from akari.core.fiscal import FiscalYear
from akari.core.sqlchain import Chain, enqueue_step, enqueues_in_statement
from akari.core.workflow import transition
from akari.facility.models import Beamline, EndStation

# --- Memberships ------------------------------------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def membership_create(
    *,
    organisation: Organisation,
    member_class: str,
    units: int,
    joined_on: dt.date,
    actor: Any | None,
    joining_fiscal_year: int | None = None,
) -> Membership:
    """Admit a member; grants the entitlement of the joining fiscal year (and of the current
    one, when the member joins with an earlier date)."""
    pack = policy.pack(max(joined_on, policy_start()))
    klass = next((c for c in pack.member_classes if c.code == member_class), None)
    if klass is None:
        raise BookingRefused(
            _("This member class is not defined by the coalition policy."), "class"
        )
    if units < 1 or (klass.min_units is not None and units < klass.min_units):
        raise BookingRefused(
            _("A %(class)s member holds at least %(n)d units.")
            % {"class": rounds.text(klass.name), "n": klass.min_units or 1},
            "units",
        )
    if Membership.objects.filter(organisation=organisation).exists():
        raise BookingRefused(_("This organisation is already a member."), "duplicate")
    entitlement = pack.entitlement
    years = entitlement.contract_years if entitlement else 10
    membership = Membership.objects.create(
        organisation=organisation,
        member_class=member_class,
        units=units,
        joining_fiscal_year=joining_fiscal_year or FiscalYear.of(joined_on).year,
        joined_on=joined_on,
        contract_ends_on=add_years(joined_on, years),
    )
    audit.record(
        actor=actor,
        action="coalition.membership_created",
        obj=membership,
        member_class=member_class,
        units=units,
    )
    for year in sorted({FiscalYear.of(joined_on).year, FiscalYear.of(clock.today()).year}):
        grant_for(membership=membership, fiscal_year=year, actor=actor)
    return membership


def policy_start() -> dt.date:
    """First day any coalition pack is in force (grants before it use today's pack)."""
    from akari.policies.models import PolicyVersion

    first = (
        PolicyVersion.objects.filter(programme__code=policy.PROGRAMME)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    return first or clock.today()


def grant_for(
    *, membership: Membership, fiscal_year: int, actor: Any | None
) -> EntitlementAccount | None:
    day = max(FiscalYear(fiscal_year).start, policy_start())
    entitlement = policy.pack(day).entitlement
    if entitlement is None:
        return None
    return ledger.grant(
        membership=membership,
        fiscal_year=fiscal_year,
        hours_per_unit=entitlement.hours_per_unit_per_fiscal_year,
        actor=actor,
    )


def membership_set_status(
    *, membership: Membership, status: str, actor: Any | None, reason: str = ""
) -> Membership:
    return transition(membership, status, actor=actor, reason=reason)


# --- Member people ----------------------------------------------------------------------------


def organisations_of(membership: Membership) -> list[int]:
    """The member organisation and, for a group, its companies."""
    org = membership.organisation
    ids = [org.pk]
    if org.kind == Organisation.Kind.GROUP:
        ids += list(Organisation.objects.filter(member_of=org).values_list("pk", flat=True))
    return ids


@transaction.atomic
def member_person_add(
    *, membership: Membership, email: str, actor: Any, can_book: bool = True, is_admin: bool = False
) -> MemberPerson:
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise BookingRefused(_("No account with this e-mail address exists."), "unknown_person")
    affiliated = Affiliation.objects.filter(
        person=person, organisation_id__in=organisations_of(membership)
    ).exists()
    if not affiliated:
        raise BookingRefused(
            _("This person is not affiliated with the member organisation or its companies."),
            "not_affiliated",
        )
    mp, created = MemberPerson.objects.get_or_create(
        membership=membership,
        person=person,
        defaults={"can_book": can_book, "is_admin": is_admin},
    )
    if not created:
        raise BookingRefused(_("This person is already on the member's list."), "duplicate")
    audit.record(actor=actor, action="coalition.person_added", obj=mp, email=person.email)
    return mp


@transaction.atomic
def member_person_update(
    *, member: MemberPerson, actor: Any, can_book: bool | None = None, is_admin: bool | None = None
) -> MemberPerson:
    if can_book is not None:
        member.can_book = can_book
    if is_admin is not None:
        member.is_admin = is_admin
    member.save(update_fields=["can_book", "is_admin"])
    audit.record(
        actor=actor,
        action="coalition.person_changed",
        obj=member,
        can_book=member.can_book,
        is_admin=member.is_admin,
    )
    return member


@transaction.atomic
def member_person_remove(*, member: MemberPerson, actor: Any) -> None:
    audit.record(
        actor=actor,
        action="coalition.person_removed",
        obj=member.membership,
        email=member.person.email,
    )
    member.delete()


# --- Bookings ---------------------------------------------------------------------------------

DEADLOCK = "40P01"


def _sqlstate(exc: BaseException) -> str | None:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


def check_interval(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> int:
    """Whole hours of ``[start, end)``; refuses misaligned, empty and past intervals."""
    if end <= start:
        raise BookingRefused(_("The end must be after the start."), "interval")
    aligned = all(t.minute == 0 and t.second == 0 and t.microsecond == 0 for t in (start, end))
    if not aligned:
        raise BookingRefused(_("Bookings start and end on whole hours."), "not_aligned")
    if start <= now:
        raise BookingRefused(_("This slot has already started; it cannot be booked."), "past")
    return int((end - start).total_seconds() // 3600)


def check_beamline(beamline: Beamline, end_station: EndStation | None) -> None:
    pack = policy.pack()
    if beamline.code not in pack.beamline_codes or beamline.facility.code != pack.facility:
        raise BookingRefused(_("This beamline is not offered to coalition members."), "beamline")
    if end_station is not None and end_station.beamline_id != beamline.pk:
        raise BookingRefused(_("The end station does not belong to this beamline."), "end_station")


def _outside_window() -> BookingRefused:
    return BookingRefused(
        _("This time is not open to member booking (outside the booking windows)."),
        "outside_window",
    )


def check_window(beamline: Beamline, start: dt.datetime, end: dt.datetime) -> None:
    if not calendar.is_bookable(beamline, policy.PROGRAMME, start, end):
        raise _outside_window()


_PRECHECK = """
    SELECT
      (SELECT b.id FROM coalition_booking b
        WHERE b.membership_id = %s AND b.idempotency_key = %s AND b.idempotency_key <> ''),
      EXISTS (SELECT 1 FROM beamtime_bookingwindow w
        WHERE w.beamline_id = %s AND w.programme = %s AND w.start <= %s AND w."end" >= %s),
      (SELECT a.id FROM coalition_entitlementaccount a
        WHERE a.membership_id = %s AND a.fiscal_year = %s),
      (SELECT a.available FROM coalition_entitlementaccount a
        WHERE a.membership_id = %s AND a.fiscal_year = %s)
"""


def _precheck(
    membership_id: int, beamline_id: int, start: dt.datetime, end: dt.datetime, key: str, year: int
) -> tuple[int | None, bool, int | None, int | None]:
    """One round trip for a booking's reads: the booking already made with this idempotency
    key, whether the time lies in one booking window, and the charged account and its hours.
    Read before writing by the bookings that are not guarded statements, and after a guarded
    statement wrote nothing, to say why (:func:`booking_create`). (Three ORM queries on other
    databases: the raw SQL passes aware datetimes as PostgreSQL parameters.)"""
    if connection.vendor != "postgresql":
        existing_id = (
            Booking.objects.filter(membership_id=membership_id, idempotency_key=key)
            .exclude(idempotency_key="")
            .values_list("pk", flat=True)
            .first()
        )
        window = calendar.is_bookable(beamline_id, policy.PROGRAMME, start, end)
        row = (
            EntitlementAccount.objects.filter(membership_id=membership_id, fiscal_year=year)
            .values_list("pk", "available")
            .first()
        )
        return existing_id, window, row[0] if row else None, row[1] if row else None
    with connection.cursor() as cursor:
        cursor.execute(
            _PRECHECK,
            [
                membership_id,
                key,
                beamline_id,
                policy.PROGRAMME,
                start,
                end,
                membership_id,
                year,
                membership_id,
                year,
            ],
        )
        existing, in_window, account, available = cursor.fetchone()
    return existing, bool(in_window), account, available


def may_book(membership: Membership, person: Any) -> bool:
    return MemberPerson.objects.filter(membership=membership, person=person, can_book=True).exists()


def _no_entitlement(year: int, left: int, hours: int) -> BookingRefused:
    return BookingRefused(
        _(
            "Your member's entitlement for fiscal year %(year)s has %(left)d hours left; "
            "this booking needs %(hours)d."
        )
        % {"year": year, "left": left, "hours": hours},
        "no_entitlement",
    )


def account_id_for(membership: Membership, start: dt.datetime, hours: int) -> int:
    """The account charged for a slot: the fiscal year of its date (Asia/Tokyo)."""
    row = (
        EntitlementAccount.objects.filter(
            membership=membership, fiscal_year=ledger.fiscal_year_of(start)
        )
        .values_list("pk", "available")
        .first()
    )
    if row is None or row[1] < hours:
        raise _no_entitlement(ledger.fiscal_year_of(start), row[1] if row else 0, hours)
    return int(row[0])


def reference_for(start: dt.datetime, block: Block) -> str:
    return f"{reference_prefix(start)}{block.pk:06d}"


def booking_create(
    *,
    membership: Membership,
    person: Any,
    beamline: Beamline,
    start: dt.datetime,
    end: dt.datetime,
    use_type: str = UseType.BASIC,
    end_station: EndStation | None = None,
    idempotency_key: str = "",
    by_staff: Any | None = None,
    round_number: int | None = None,
    account_id: int | None = None,
    source: str = "direct",
    trusted: bool = False,
) -> Booking:
    """Book ``[start, end)`` of a beamline for ``membership``; returns the booking or raises
    :class:`BookingRefused` naming the rule. ``by_staff`` (a user the caller has checked may
    book for members) lifts the round and booking-right rules. A retried call with the same
    ``idempotency_key`` returns the first booking, even while that one is still committing.
    ``trusted`` (the allocation run) skips the booking-right check its caller already made.

    On PostgreSQL a basic-use booking charged to the available hours (the API's hot path) reads
    nothing before its one statement: the booking window and the account's hours are guards
    inside the statement (:func:`_book_in_one_statement`), and only when the statement writes
    nothing does :func:`_precheck` say why. The refusals and their order are those of the
    other path: a retried key first, then the rules, the window, the entitlement."""
    key = (idempotency_key or "").strip()[:100]
    fiscal_year = ledger.fiscal_year_of(start)
    guarded = account_id is None and _one_statement(use_type)
    in_window, found_account, available = True, None, None
    if not guarded:
        existing_id, in_window, found_account, available = _precheck(
            membership.pk, beamline.pk, start, end, key, fiscal_year
        )
        if existing_id is not None:
            return _replayed(Booking.objects.get(pk=existing_id))
    actor = by_staff or person
    try:
        hours, round_number = _check_rules(
            membership=membership,
            person=person,
            beamline=beamline,
            start=start,
            end=end,
            use_type=use_type,
            end_station=end_station,
            by_staff=by_staff,
            round_number=round_number,
            trusted=trusted,
        )
    except BookingRefused:
        first = _first_with_key(membership, key) if guarded else None
        if first is not None:  # a retry gets the first booking whatever the rules say now
            return first
        raise
    if not in_window:
        raise _outside_window()
    charge_from = Bucket.AVAILABLE if account_id is None else Bucket.HELD
    if account_id is None and not guarded:
        if found_account is None or (available or 0) < hours:
            raise _no_entitlement(fiscal_year, available or 0, hours)
        account_id = found_account
    attempts = 0
    arguments: dict[str, Any] = {
        "membership": membership,
        "person": person,
        "actor": actor,
        "beamline": beamline,
        "end_station": end_station,
        "start": start,
        "end": end,
        "hours": hours,
        "use_type": use_type,
        "round_number": round_number,
        "account_id": account_id,
        "charge_from": charge_from,
        "key": key,
        "source": source,
    }
    while True:
        attempts += 1
        try:
            booking = _book_in_one_statement(**arguments) if _one_statement(use_type) else None
            if booking is None:
                with transaction.atomic():
                    booking = _book(**arguments)
        except OperationalError as exc:
            # Two transactions inserting overlapping blocks at the same instant each wait for
            # the other's exclusion check; PostgreSQL aborts one (deadlock). Try again: it now
            # sees the other's block (a clean conflict) or free time.
            if (
                _sqlstate(exc) == DEADLOCK
                and attempts < 4
                and not transaction.get_connection().in_atomic_block
            ):
                continue
            raise
        except (BeamtimeConflict, IntegrityError) as exc:
            first = _first_with_key(membership, key)
            if first is not None:
                return first
            if isinstance(exc, BeamtimeConflict):
                raise BookingRefused(_("This slot has just been taken."), "slot_taken") from exc
            raise
        except ledger.InsufficientHours as exc:
            if not guarded:  # another booking of the member spent them
                raise _no_entitlement(fiscal_year, 0, hours) from exc
            # The guarded statement wrote nothing: a retried key, no window, or too few hours.
            existing_id, in_window, _account, available = _precheck(
                membership.pk, beamline.pk, start, end, key, fiscal_year
            )
            if existing_id is not None:
                return _replayed(Booking.objects.get(pk=existing_id))
            if not in_window:
                raise _outside_window() from exc
            raise _no_entitlement(fiscal_year, available or 0, hours) from exc
        return booking


def _replayed(booking: Booking) -> Booking:
    booking.replayed = True
    return booking


_WITH_KEY = "SELECT id FROM coalition_booking WHERE membership_id = %s AND idempotency_key = %s"


def _first_with_key(membership: Membership, key: str) -> Booking | None:
    """The member's booking made with the idempotency key ``key`` (marked as replayed), if
    any. Asked after every refusal of a request with a key (on the booking storm's hot path:
    a taken slot), so the usual answer, none, costs one raw query (the key is unique per
    member); only a retry loads the booking."""
    if not key:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_WITH_KEY, [membership.pk, key])
        found = cursor.fetchone()
    return _replayed(Booking.objects.get(pk=found[0])) if found else None


def _check_rules(
    *,
    membership: Membership,
    person: Any,
    beamline: Beamline,
    start: dt.datetime,
    end: dt.datetime,
    use_type: str,
    end_station: EndStation | None,
    by_staff: Any | None,
    round_number: int | None,
    trusted: bool,
) -> tuple[int, int]:
    """(hours, round) of a booking, or :class:`BookingRefused` by the first rule that refuses
    it (interval, use type, membership, round, beamline, booking right): the rules that read
    nothing but the booking right."""
    now = clock.now()
    hours = check_interval(start, end, now)
    if use_type not in UseType.values:
        raise BookingRefused(_("Unknown use type."), "use_type")
    if not membership.is_active:
        raise BookingRefused(_("Only active members can book."), "not_member")
    if round_number is None:
        if by_staff is not None:
            round_number = 0
        else:
            check = rounds.direct_booking(
                slot_start=start,
                now=now,
                member_class=membership.member_class,
                policy=policy.booking_policy(),
                classes=policy.pack().member_classes,
            )
            if not check.allowed:
                raise BookingRefused(check.message, check.code)
            round_number = check.round or 0
    check_beamline(beamline, end_station)
    if by_staff is None and not trusted and not may_book(membership, person):
        raise BookingRefused(_("You have no booking right for this member."), "no_booking_right")
    return hours, round_number


def _book(
    *,
    membership: Membership,
    person: Any,
    actor: Any,
    beamline: Beamline,
    end_station: EndStation | None,
    start: dt.datetime,
    end: dt.datetime,
    hours: int,
    use_type: str,
    round_number: int,
    account_id: int,
    charge_from: str,
    key: str,
    source: str,
) -> Booking:
    experiment = block_occupy_for_experiment(
        beamline=beamline,
        start=start,
        end=end,
        kind=Block.Kind.BOOKING,
        actor=actor,
        end_station=end_station,
        label=str(membership.organisation.name_en)[:200],
        programme=policy.PROGRAMME,
        route=use_type,
        reference=partial(reference_for, start),
        lead=person,
        proprietary=True,
        organisation=membership.organisation,
    )
    booking = Booking(
        reference=experiment.reference,
        membership=membership,
        account_id=account_id,
        booked_by=person,
        beamline=beamline,
        end_station=end_station,
        start=start,
        end=end,
        hours=hours,
        use_type=use_type,
        round=round_number,
        idempotency_key=key,
        block_id=experiment.block_id,
        experiment=experiment,
    )
    booking.save(force_insert=True)
    ledger.post(
        account_id=account_id,
        kind=LedgerEntry.Kind.BOOK,
        moves=[(charge_from, Bucket.BOOKED, hours)],
        actor=actor,
        booking_id=booking.pk,
        note=booking.reference,
    )
    audit.record(
        actor=actor, action="coalition.booked", obj=booking, round=round_number, source=source
    )
    # The confirmation task row is written in this transaction (an outbox): the worker sees it
    # only once the booking commits, and a rolled-back booking leaves no task; one commit less
    # than enqueueing after commit on the booking hot path.
    _enqueue_confirmation(booking.pk)
    if use_type != UseType.BASIC:
        context = booking_context(booking)
        notices.tell(
            notices.user_office(),
            event="staff_booking",
            context={**context, "member": str(membership.organisation.name_en)},
            dedupe=str(booking.pk),
            link="/coalition/staff/bookings/",
            actor=actor,
        )
    return booking


def _one_statement(use_type: str) -> bool:
    """Whether a booking is written by :func:`_book_in_one_statement`: on PostgreSQL, for a
    basic-use booking (advanced and mail-in also notify staff, in the ORM path's transaction),
    when the confirmation task's backend is the database one (its row is a step)."""
    from akari.coalition.tasks import tell_booking_confirmed

    return (
        connection.vendor == "postgresql"
        and use_type == UseType.BASIC
        and enqueues_in_statement(tell_booking_confirmed)
    )


def _book_in_one_statement(
    *,
    membership: Membership,
    person: Any,
    actor: Any,
    beamline: Beamline,
    end_station: EndStation | None,
    start: dt.datetime,
    end: dt.datetime,
    hours: int,
    use_type: str,
    round_number: int,
    account_id: int | None,
    charge_from: str,
    key: str,
    source: str,
) -> Booking | None:
    """:func:`_book` in one SQL statement on PostgreSQL (the booking hot path: one round trip
    instead of eleven, and no transaction of its own to open and commit). The same rows: the
    beamline's advisory lock, the account's conditional update (no row: the hours are not
    there, and nothing is written), the block and experiment, the booking, the two ledger
    entries, both audit rows and the confirmation task row; the exclusion constraint and the
    unique idempotency key refuse as in the ORM path (the statement then writes nothing).
    With ``account_id`` None the statement also does what :func:`_precheck` reads for the
    other path: its account update is guarded by the booking window (``win``) and finds the
    member's account of the slot's fiscal year itself; no window, no account or too few hours
    all write nothing (:class:`ledger.InsufficientHours`; :func:`booking_create` says which).
    Returns None when the confirmation task's backend is not the database one (the caller
    then uses the ORM path). Tests compare the rows of both paths."""
    from akari.coalition.tasks import tell_booking_confirmed

    moves = [(charge_from, Bucket.BOOKED, hours)]
    chain = Chain()
    lock_step(chain, beamline.pk)
    if account_id is None:
        window_step(
            chain, beamline_id=beamline.pk, programme=policy.PROGRAMME, start=start, end=end
        )
        ledger.take_step(
            chain,
            after=("lk", "win"),
            account_of=(membership.pk, ledger.fiscal_year_of(start)),
            moves=moves,
        )
    else:
        ledger.take_step(chain, after="lk", account_id=account_id, moves=moves)
    occupy_for_experiment_steps(
        chain,
        source="take",
        beamline_id=beamline.pk,
        start=start,
        end=end,
        kind=Block.Kind.BOOKING,
        actor=actor,
        end_station=end_station,
        label=str(membership.organisation.name_en)[:200],
        programme=policy.PROGRAMME,
        route=use_type,
        reference_prefix=reference_prefix(start),
        lead=person,
        proprietary=True,
        organisation=membership.organisation,
    )
    booking = Booking(  # (its account is the one the statement charged: take.id)
        reference="",
        membership=membership,
        booked_by=person,
        beamline=beamline,
        end_station=end_station,
        start=start,
        end=end,
        hours=hours,
        use_type=use_type,
        round=round_number,
        idempotency_key=key,
        block_id=0,
    )
    chain.insert(
        "bk",
        booking,
        source="exp, take",  # (one row each)
        exprs={
            "reference": "exp.reference",
            "block_id": "exp.block_id",
            "experiment_id": "exp.id",
            "account_id": "take.id",
        },
        returning="id, reference, block_id, experiment_id, account_id",
    )
    ledger.entry_steps(
        chain,
        source="bk",
        account_id=None,
        account="bk.account_id",
        kind=LedgerEntry.Kind.BOOK,
        moves=moves,
        actor=actor,
        booking_id="bk.id",
        note="bk.reference",
    )
    audit.record_step(
        chain,
        "bk_audit",
        actor=actor,
        action="coalition.booked",
        model=Booking,
        from_step="bk",
        object_id="bk.id::text",
        round=round_number,
        source=source,
    )
    if not enqueue_step(
        chain, "task", tell_booking_confirmed, source="bk", args="jsonb_build_array(bk.id)"
    ):
        return None
    final = "SELECT id, reference, block_id, experiment_id, account_id FROM bk"
    try:
        if connection.in_atomic_block:  # a savepoint, so that a refusal leaves the caller's
            with transaction.atomic():  # transaction usable (as the ORM path's atomic block)
                rows = chain.run(final)
        else:  # the API's autocommit: the statement is its own transaction
            rows = chain.run(final)
    except IntegrityError as exc:
        conflict = occupied_error(exc)
        if conflict is not None:
            raise conflict from exc
        raise
    if not rows:
        raise ledger.insufficient()
    (booking.pk, booking.reference, booking.block_id, booking.experiment_id, booking.account_id) = (
        rows[0]
    )
    booking._state.adding = False
    booking._state.db = connection.alias
    return booking


def reference_prefix(start: dt.datetime) -> str:
    """The booking reference before the block's number: ``C`` and the slot's year and month."""
    return f"C{start.astimezone(clock.TOKYO):%y%m}-"


def _enqueue_confirmation(booking_id: int) -> None:
    from akari.coalition.tasks import tell_booking_confirmed

    tell_booking_confirmed.enqueue(booking_id)


def booking_context(booking: Booking) -> dict[str, Any]:
    return {
        "reference": booking.reference,
        "beamline": booking.beamline.code,
        "start": rounds.fmt(booking.start),
        "end": rounds.fmt(booking.end),
        "hours": booking.hours,
        "use_type": booking.use_type,
    }


def refund_preview(booking: Booking, now: dt.datetime | None = None) -> tuple[int, int]:
    """(hours refunded, hours forfeited) if the booking were cancelled at ``now``."""
    fraction = rounds.refund_fraction(
        slot_start=booking.start,
        now=now or clock.now(),
        policy=policy.booking_policy(),
    )
    refunded = math.floor(booking.hours * fraction)
    return refunded, booking.hours - refunded


def booking_cancel(
    *, booking: Booking, actor: Any, reason: str = "", full_refund: bool = False
) -> Booking:
    """Cancel a confirmed booking before it starts: hours refunded by the notice given (the
    pack's cancellation tiers; staff may grant a full refund, e.g. for facility reasons), the
    rest forfeited; the time is freed and offered to the waitlist."""
    from akari.coalition import waitlist

    now = clock.now()
    if booking.start <= now:
        raise BookingRefused(_("A booking that has started cannot be cancelled."), "past")
    refunded, forfeited = (booking.hours, 0) if full_refund else refund_preview(booking, now)
    with transaction.atomic():
        locked = transition(
            booking,
            Booking.Status.CANCELLED,
            actor=actor,
            reason=reason,
            extra_updates={"cancelled_at": now, "refunded_hours": refunded},
        )
        if refunded:
            ledger.post(
                account_id=locked.account_id,
                kind=LedgerEntry.Kind.REFUND,
                moves=[(Bucket.BOOKED, Bucket.AVAILABLE, refunded)],
                actor=actor,
                booking_id=locked.pk,
                note=locked.reference,
            )
        if forfeited:
            ledger.post(
                account_id=locked.account_id,
                kind=LedgerEntry.Kind.FORFEIT,
                moves=[(Bucket.BOOKED, Bucket.FORFEITED, forfeited)],
                actor=actor,
                booking_id=locked.pk,
                note=locked.reference,
            )
        if locked.experiment is not None:
            experiment_cancel(experiment=locked.experiment, actor=actor, reason=reason)
        audit.record(
            actor=actor,
            action="coalition.cancelled",
            obj=locked,
            refunded=refunded,
            forfeited=forfeited,
        )
        notices.tell(
            [locked.booked_by],
            event="booking_cancelled",
            context={**booking_context(locked), "refunded": refunded, "forfeited": forfeited},
            dedupe=str(locked.pk),
            link="/coalition/bookings/",
            actor=actor,
        )
        waitlist.offer_next(beamline=locked.beamline, start=locked.start, end=locked.end)
    return locked


@transaction.atomic
def booking_record_use(*, booking: Booking, actor: Any | None) -> Booking:
    """The beamtime was used: booked hours become used (after the booking ends)."""
    if booking.end > clock.now():
        raise BookingRefused(_("A booking is used only once it has ended."), "not_ended")
    locked = transition(booking, Booking.Status.USED, actor=actor)
    ledger.post(
        account_id=locked.account_id,
        kind=LedgerEntry.Kind.USE,
        moves=[(Bucket.BOOKED, Bucket.USED, locked.hours)],
        actor=actor,
        booking_id=locked.pk,
        note=locked.reference,
    )
    if locked.experiment is not None:
        experiment_complete(experiment=locked.experiment, actor=actor)
    audit.record(actor=actor, action="coalition.used", obj=locked)
    return locked


@transaction.atomic
def downtime_credit(*, booking: Booking, hours: int, actor: Any | None, note: str = "") -> None:
    """Give back used hours lost to facility downtime (at most the booking's hours)."""
    if booking.status != Booking.Status.USED:
        raise BookingRefused(_("Only used bookings can be credited for downtime."), "not_used")
    credited = LedgerEntry.objects.filter(
        booking=booking, kind=LedgerEntry.Kind.CREDIT, bucket=Bucket.AVAILABLE
    ).values_list("hours", flat=True)
    if hours < 1 or hours + sum(credited) > booking.hours:
        raise BookingRefused(_("The credit exceeds the booking's hours."), "credit")
    ledger.post(
        account_id=booking.account_id,
        kind=LedgerEntry.Kind.CREDIT,
        moves=[(Bucket.USED, Bucket.AVAILABLE, hours)],
        actor=actor,
        booking_id=booking.pk,
        note=note or booking.reference,
    )
    audit.record(actor=actor, action="coalition.downtime_credit", obj=booking, hours=hours)
