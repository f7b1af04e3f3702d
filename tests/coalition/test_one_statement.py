"""The booking hot path on PostgreSQL writes every row in one statement (akari.core.sqlchain):
the same rows as the ORM path, nothing when it refuses, and few queries per API booking."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django_tasks_db.models import DBTaskResult

from akari.beamtime.models import Block, Experiment
from akari.coalition import ledger, services
from akari.coalition.models import Booking, EntitlementAccount, LedgerEntry
from akari.core import clock
from akari.core.models import AuditEvent
from akari.core.sqlchain import Chain
from tests.beamtime.factories import at
from tests.coalition.factories import coalition_beamline, member, open_window
from tests.coalition.test_api import URL, _slot, api_for

pytestmark = pytest.mark.django_db
ROUND3 = at(2026, 12, 4, 10)
VARYING = {"id", "block", "experiment", "booking", "object_id", "posting", "reference"}


def _rows(booking: Booking) -> dict[str, Any]:
    """Every row the booking wrote, without the values that differ between two bookings."""

    def clean(obj: Any) -> dict[str, Any]:
        return {k: v for k, v in model_to_dict(obj).items() if k not in VARYING}

    audits = AuditEvent.objects.filter(
        object_id__in=[str(booking.pk), str(booking.experiment_id)],
        action__in=["coalition.booked", "beamtime.experiment_created"],
    ).order_by("action")
    task = DBTaskResult.objects.get(args_kwargs__args=[booking.pk])
    return {
        "block": clean(Block.objects.get(pk=booking.block_id)),
        "experiment": clean(Experiment.objects.get(pk=booking.experiment_id)),
        "booking": clean(Booking.objects.get(pk=booking.pk)),
        # (the order of a posting's entries carries no meaning)
        "entries": [
            clean(e) for e in LedgerEntry.objects.filter(booking=booking).order_by("hours")
        ],
        "audits": [clean(a) for a in audits],
        "task": {
            k: v
            for k, v in model_to_dict(task).items()
            if k not in {"id", "enqueued_at", "args_kwargs"}
        },
        "reference_shape": booking.reference[:6] + "/" + str(len(booking.reference)),
    }


def _book(membership, person, beamline, start, end, key):  # type: ignore[no-untyped-def]
    """A member's booking with an idempotency key (the service, as the API calls it)."""
    return services.booking_create(
        membership=membership,
        person=person,
        beamline=beamline,
        start=start,
        end=end,
        idempotency_key=key,
    )


def test_both_paths_write_the_same_rows(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql" and services._one_statement("basic")
    bl = coalition_beamline()
    open_window(bl)
    gold, (alice,) = member("gold")
    rows = []
    for hour, one_statement in ((10, True), (10, False)):
        monkeypatch.setattr(services, "_one_statement", lambda use_type, v=one_statement: v)
        with clock.frozen(ROUND3):
            booking = services.booking_create(
                membership=gold,
                person=alice,
                beamline=bl,
                start=at(2026, 12, 10 if one_statement else 11, hour),
                end=at(2026, 12, 10 if one_statement else 11, hour + 2),
                idempotency_key=f"key-{one_statement}",
            )
        fresh = Booking.objects.get(pk=booking.pk)
        assert (booking.reference, booking.block_id, booking.experiment_id) == (
            fresh.reference,
            fresh.block_id,
            fresh.experiment_id,
        )
        assert fresh.reference == services.reference_for(fresh.start, fresh.block)
        row = _rows(fresh)
        for part in ("block", "experiment", "booking"):
            row[part].pop("start"), row[part].pop("end")
        row["booking"].pop("idempotency_key")
        assert {entry.pop("note") for entry in row["entries"]} == {fresh.reference}
        rows.append(row)
    assert rows[0] == rows[1]
    account = EntitlementAccount.objects.get(membership=gold)
    assert (account.available, account.booked) == (396, 4)
    assert ledger.ledger_problems() == []


def test_a_refused_statement_writes_nothing() -> None:
    bl = coalition_beamline()
    open_window(bl)
    gold, (alice,) = member("gold")
    account = EntitlementAccount.objects.get(membership=gold)
    EntitlementAccount.objects.filter(pk=account.pk).update(available=0, granted=0)
    counts = [M.objects.count() for M in (Block, Experiment, Booking, LedgerEntry, AuditEvent)]
    with clock.frozen(ROUND3), pytest.raises(ledger.InsufficientHours):
        services._book_in_one_statement(
            membership=gold,
            person=alice,
            actor=alice,
            beamline=bl,
            end_station=None,
            start=at(2026, 12, 10, 10),
            end=at(2026, 12, 10, 11),
            hours=1,
            use_type="basic",
            round_number=3,
            account_id=account.pk,
            charge_from="available",
            key="",
            source="direct",
        )
    assert [
        M.objects.count() for M in (Block, Experiment, Booking, LedgerEntry, AuditEvent)
    ] == counts
    assert not DBTaskResult.objects.exists()


def test_an_api_booking_costs_a_few_queries(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    bl = coalition_beamline()
    open_window(bl)
    _gold, (alice,) = member("gold")
    api = api_for(alice)
    with clock.frozen(ROUND3):
        api.post(URL, _slot(9), format="json")  # warm caches (policy pack, content types)
        # the token with the member rows and one write (the window and the account are guards
        # of the statement), and a savepoint pair inside the test's transaction (in production
        # the statement runs in autocommit)
        with django_assert_max_num_queries(4):
            response = api.post(URL, _slot(10), format="json", HTTP_IDEMPOTENCY_KEY="q")
    assert response.status_code == 201


def test_a_chain_refuses_a_column_the_model_does_not_have() -> None:
    with pytest.raises(ValueError, match="no column"):
        Chain().insert("x", Block(), exprs={"nonsense": "1"})


def test_the_booking_statement_is_small_enough_for_psycopgs_parse_cache(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # psycopg caches the parsing of a statement of at most 50 parameters and 4,096 characters
    # (psycopg._queries.MAX_CACHED_STATEMENT_PARAMS / _LENGTH); NULLs are written inline.
    from psycopg import _queries

    bl = coalition_beamline()
    open_window(bl)
    gold, (alice,) = member("gold")
    seen: list[tuple[str, dict[str, Any]]] = []
    real_run = Chain.run

    def run(chain: Chain, final: str, connection: Any = None) -> list[tuple[Any, ...]]:
        seen.append((chain.sql(final), dict(chain.params)))
        return real_run(chain, final, connection)

    monkeypatch.setattr(Chain, "run", run)
    with clock.frozen(ROUND3):
        _book(gold, alice, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 11), "k")
    ((sql, params),) = seen
    assert len(params) <= _queries.MAX_CACHED_STATEMENT_PARAMS
    assert len(sql.encode()) <= _queries.MAX_CACHED_STATEMENT_LENGTH
    assert None not in params.values()


def _counts() -> list[int]:
    return [
        M.objects.count()
        for M in (Block, Experiment, Booking, LedgerEntry, AuditEvent, DBTaskResult)
    ]


def _refusal(monkeypatch, one_statement: bool, **kwargs: Any) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "_one_statement", lambda use_type, v=one_statement: v)
    with clock.frozen(ROUND3), pytest.raises(services.BookingRefused) as refused:
        services.booking_create(**kwargs)
    return refused.value.rule, refused.value.text


@pytest.mark.parametrize("case", ["outside_window", "too_few_hours", "no_account"])
def test_the_guarded_statement_refuses_as_the_precheck_does(monkeypatch, case) -> None:  # type: ignore[no-untyped-def]
    # Given a refusal the statement's guards make (no window, too few hours, no account of the
    # slot's fiscal year: the statement writes nothing)
    from tests.factories import UserFactory

    bl = coalition_beamline()
    open_window(bl)
    open_window(bl, at(2027, 4, 1, 0), at(2027, 5, 1, 0))
    gold, (alice,) = member("gold")
    kwargs: dict[str, Any] = {
        "membership": gold,
        "person": alice,
        "beamline": bl,
        "start": at(2026, 12, 10, 10),
        "end": at(2026, 12, 10, 12),
    }
    if case == "outside_window":
        kwargs["beamline"] = coalition_beamline("BL08W")
    elif case == "too_few_hours":
        account = EntitlementAccount.objects.get(membership=gold)
        ledger.post(
            account_id=account.pk,
            kind="forfeit",
            moves=[(services.Bucket.AVAILABLE, services.Bucket.FORFEITED, 399)],
        )
    else:  # staff book April 2027: fiscal year 2027 has no account yet
        kwargs.update(start=at(2027, 4, 5, 10), end=at(2027, 4, 5, 12), by_staff=UserFactory())
    before = _counts()
    # When both paths book it
    guarded = _refusal(monkeypatch, True, **kwargs)
    assert _counts() == before
    other = _refusal(monkeypatch, False, **kwargs)
    # Then they refuse with the same rule and message, and write nothing
    assert guarded == other
    assert guarded[0] == case.replace("too_few_hours", "no_entitlement").replace(
        "no_account", "no_entitlement"
    )
    if case == "too_few_hours":
        assert "has 1 hours left" in guarded[1]
    assert _counts() == before


@pytest.mark.parametrize("case", ["same_slot", "other_slot", "past", "outside_window", "hours"])
def test_a_retried_key_gets_the_first_booking_before_any_refusal(case) -> None:  # type: ignore[no-untyped-def]
    # Given a first booking with a key
    bl = coalition_beamline()
    open_window(bl)
    gold, (alice,) = member("gold")
    with clock.frozen(ROUND3):
        first = _book(gold, alice, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 11), "retry")
    start, end, beamline = at(2026, 12, 10, 10), at(2026, 12, 10, 11), bl
    if case == "other_slot":
        start, end = at(2026, 12, 11, 10), at(2026, 12, 11, 11)
    elif case == "past":
        start, end = at(2026, 12, 4, 9), at(2026, 12, 4, 10)
    elif case == "outside_window":
        beamline = coalition_beamline("BL08W")
        start, end = at(2026, 12, 11, 10), at(2026, 12, 11, 11)
    elif case == "hours":
        EntitlementAccount.objects.filter(membership=gold).update(available=0, granted=0)
        start, end = at(2026, 12, 11, 10), at(2026, 12, 11, 11)
    before = _counts()
    # When the same key comes again (whatever the request now asks)
    with clock.frozen(ROUND3):
        again = _book(gold, alice, beamline, start, end, "retry")
    # Then it gets the first booking and nothing is written
    assert (again.pk, again.replayed) == (first.pk, True)
    assert _counts() == before
