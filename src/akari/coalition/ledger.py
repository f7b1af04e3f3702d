"""The double-entry ledger of member hours.

A **posting** moves whole hours between buckets of one :class:`EntitlementAccount` (one member,
one fiscal year) and is written as entries that sum to zero::

    grant          external  -> available   (units x hours_per_unit_per_fiscal_year)
    hold           available -> held        (a pending round-1 request)
    hold_release   held      -> available   (request withdrawn or not allocated)
    book           available -> booked      (rounds 2/3, staff)  or  held -> booked (round 1)
    refund         booked    -> available   (cancellation with notice)
    forfeit        booked    -> forfeited   (the part of a late cancellation not refunded)
    use            booked    -> used        (the beamtime was used)
    credit         used      -> available   (facility downtime given back)

The account row caches each bucket (``external`` is ``-granted``). :func:`post` changes the
cache with one ``UPDATE ... SET bucket = bucket + delta WHERE pk = ... AND bucket >= need``:
the update takes the account's row lock (the same lock ``select_for_update`` would take, one
round trip fewer on the booking hot path) and re-checks the condition on the latest row version,
so two concurrent postings can never overspend; the ``CHECK (bucket >= 0)`` constraints are the
last guard. Entries are written in the same transaction. :func:`ledger_problems` recomputes
every balance from the entries and reports any difference (tests and the benchmark use it).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from akari.coalition.models import (
    ACCOUNT_BUCKETS,
    Bucket,
    EntitlementAccount,
    LedgerEntry,
    Membership,
)
from akari.core import audit, clock
from akari.core.fiscal import FiscalYear
from akari.core.sqlchain import Chain

Move = tuple[str, str, int]


class InsufficientHours(ValidationError):
    """The account does not hold enough hours in the bucket a posting takes them from."""


def insufficient() -> InsufficientHours:
    return InsufficientHours(
        _("Your member's entitlement for this fiscal year does not have enough hours left."),
        code="no_entitlement",
    )


def post(
    *,
    account_id: int,
    kind: str,
    moves: Sequence[Move],
    actor: Any | None = None,
    booking_id: int | None = None,
    request_id: int | None = None,
    note: str = "",
) -> uuid.UUID:
    """Write one balanced posting; raises :class:`InsufficientHours` (and writes nothing) when a
    bucket would go negative. Must run inside the caller's transaction."""
    changes, needs = _updates(moves)
    updates: dict[str, Any] = {column: F(column) + delta for column, delta in changes.items()}
    conditions = {f"{column}__gte": hours for column, hours in needs.items()}
    posting = uuid.uuid4()
    # No savepoint of its own: a refused posting raises before writing anything, and the
    # caller's transaction (or this one, when called alone) holds the update and the entries.
    with transaction.atomic(savepoint=False):
        try:
            changed = EntitlementAccount.objects.filter(pk=account_id, **conditions).update(
                **updates
            )
        except IntegrityError as exc:  # a CHECK constraint: the last guard
            raise insufficient() from exc
        if changed == 1:
            now = clock.now()
            actor_id = (
                getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
            )
            LedgerEntry.objects.bulk_create(
                [
                    LedgerEntry(
                        account_id=account_id,
                        posting=posting,
                        kind=kind,
                        bucket=bucket,
                        hours=hours,
                        booking_id=booking_id,
                        request_id=request_id,
                        at=now,
                        actor_id=actor_id,
                        note=note[:200],
                    )
                    for source, target, amount in moves
                    for bucket, hours in ((source, -amount), (target, amount))
                ]
            )
    if changed != 1:  # raised outside the block: nothing was written, the transaction is intact
        raise insufficient()
    return posting


def _updates(moves: Sequence[Move]) -> tuple[dict[str, int], dict[str, int]]:
    """(column -> delta, column -> hours it must hold) of the account row for ``moves``."""
    deltas: dict[str, int] = defaultdict(int)
    for source, target, hours in moves:
        if hours <= 0:
            raise ValueError("a ledger move carries a positive number of hours")
        deltas[source] -= hours
        deltas[target] += hours
    changes: dict[str, int] = {}
    needs: dict[str, int] = {}
    for bucket, delta in deltas.items():
        if delta == 0:
            continue
        column, sign = ("granted", -1) if bucket == Bucket.EXTERNAL else (str(bucket), 1)
        changes[column] = sign * delta
        if changes[column] < 0:
            needs[column] = -changes[column]
    return changes, needs


def take_step(
    chain: Chain,
    *,
    after: str | Sequence[str],
    moves: Sequence[Move],
    account_id: int | None = None,
    account_of: tuple[int, int] | None = None,
    name: str = "take",
) -> Chain:
    """The account update of :func:`post` as a step of a one-statement write
    (:mod:`akari.core.sqlchain`) on PostgreSQL, after the step(s) ``after`` (guards: each must
    yield a row): the same conditional ``UPDATE``, which returns no row when a bucket lacks the
    hours (or a guard yields none), so that the steps selecting from it write nothing. The
    account is ``account_id`` or, with ``account_of=(membership_id, fiscal_year)``, the
    member's account of that year, found by the statement itself (it returns ``id``)."""
    changes, needs = _updates(moves)
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = {quote(c)} + %s" for c in changes)
    where = "".join(f" AND {quote(c)} >= %s" for c in needs)
    guards = "".join(
        f" AND EXISTS (SELECT 1 FROM {step})"  # noqa: S608 - step names of the caller's code
        for step in ([after] if isinstance(after, str) else after)
    )
    if account_id is not None:
        which, keys = "id = %s", [account_id]
    elif account_of is not None:
        which, keys = "membership_id = %s AND fiscal_year = %s", list(account_of)
    else:
        raise ValueError("take_step needs account_id or account_of")
    return chain.raw(
        name,
        f"UPDATE {quote(EntitlementAccount._meta.db_table)} SET {sets} "  # noqa: S608
        f"WHERE {which}{where}{guards} RETURNING id",
        [*changes.values(), *keys, *needs.values()],
    )


def entry_steps(
    chain: Chain,
    *,
    source: str,
    account_id: int | None,
    kind: str,
    moves: Sequence[Move],
    actor: Any | None,
    booking_id: str = "",
    note: str = "",
    account: str = "",
) -> uuid.UUID:
    """The entries of :func:`post` as steps selecting from ``source`` (a step after
    :func:`take_step`); ``booking_id``, ``note`` and ``account`` (instead of ``account_id``,
    when the statement found the account) are SQL expressions over it. Returns the posting's
    id."""
    posting = uuid.uuid4()
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    now = clock.now()
    exprs = {}
    if booking_id:
        exprs["booking_id"] = booking_id
    if note:
        exprs["note"] = f"left({note}, 200)"
    if account:
        exprs["account_id"] = account
    elif account_id is None:
        raise ValueError("entry_steps needs account_id or account")
    n = 0
    for move_source, target, amount in moves:
        for bucket, hours in ((move_source, -amount), (target, amount)):
            n += 1
            values = {
                "posting": posting,
                "kind": kind,
                "bucket": bucket,
                "hours": hours,
                "at": now,
                "actor_id": actor_id,
                "note": "",
            }
            if account_id is not None:
                values["account_id"] = account_id
            chain.insert_row(
                f"entry{n}", LedgerEntry, values, source=source, exprs=dict(exprs), returning=""
            )
    return posting


def fiscal_year_of(instant: Any) -> int:
    return FiscalYear.of(instant).year


def covers(membership: Membership, fiscal_year: int) -> bool:
    year = FiscalYear(fiscal_year)
    return membership.joined_on <= year.end and membership.contract_ends_on > year.start


@transaction.atomic
def grant(
    *, membership: Membership, fiscal_year: int, hours_per_unit: int, actor: Any | None
) -> EntitlementAccount | None:
    """Open the member's account for the fiscal year and grant units x hours, once.

    Idempotent: a second call finds the grant and changes nothing. Members that are not active,
    or whose contract does not cover the year, get no grant (``None``)."""
    if not membership.is_active or not covers(membership, fiscal_year):
        return None
    account, _created = EntitlementAccount.objects.get_or_create(
        membership=membership, fiscal_year=fiscal_year
    )
    account = EntitlementAccount.objects.select_for_update().get(pk=account.pk)
    if account.entries.filter(kind=LedgerEntry.Kind.GRANT).exists():
        return account
    hours = membership.units * hours_per_unit
    post(
        account_id=account.pk,
        kind=LedgerEntry.Kind.GRANT,
        moves=[(Bucket.EXTERNAL, Bucket.AVAILABLE, hours)],
        actor=actor,
        note=f"{membership.units} x {hours_per_unit} h",
    )
    audit.record(
        actor=actor,
        action="coalition.entitlement_granted",
        obj=account,
        fiscal_year=fiscal_year,
        hours=hours,
    )
    account.refresh_from_db()
    return account


@dataclass(frozen=True)
class LedgerProblem:
    account_id: int
    message: str

    def __str__(self) -> str:
        return f"account {self.account_id}: {self.message}"


def ledger_problems(account_ids: Iterable[int] | None = None) -> list[LedgerProblem]:
    """Recompute every bucket from the entries and compare with the cached balances; also
    unbalanced postings and negative balances. Empty when the ledger is sound."""
    ids = list(account_ids) if account_ids is not None else None
    params: list[Any] = [ids, ids]
    problems: list[LedgerProblem] = []
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.account_id, e.bucket, SUM(e.hours) FROM coalition_ledgerentry e "
            "WHERE (%s::bigint[] IS NULL OR e.account_id = ANY(%s::bigint[])) "
            "GROUP BY e.account_id, e.bucket",
            params,
        )
        for account_id, bucket, total in cursor.fetchall():
            sums[account_id][bucket] = int(total)
        cursor.execute(
            "SELECT e.account_id, e.posting, SUM(e.hours) FROM coalition_ledgerentry e "
            "WHERE (%s::bigint[] IS NULL OR e.account_id = ANY(%s::bigint[])) "
            "GROUP BY e.account_id, e.posting HAVING SUM(e.hours) <> 0",
            params,
        )
        for account_id, posting, total in cursor.fetchall():
            problems.append(LedgerProblem(account_id, f"posting {posting} sums to {total}"))
    accounts = EntitlementAccount.objects.all()
    if ids is not None:
        accounts = accounts.filter(pk__in=ids)
    for account in accounts.only("pk", "granted", *ACCOUNT_BUCKETS):
        found = sums.get(account.pk, {})
        for bucket in (Bucket.EXTERNAL, *ACCOUNT_BUCKETS):
            cached = account.balance(bucket)
            derived = found.get(str(bucket), 0)
            if cached != derived:
                problems.append(
                    LedgerProblem(account.pk, f"{bucket}: cached {cached}, entries {derived}")
                )
            if bucket != Bucket.EXTERNAL and derived < 0:
                problems.append(LedgerProblem(account.pk, f"{bucket} is negative ({derived})"))
    return problems
