"""Booking, cancellation, group memberships and the ledger, through the services."""

from __future__ import annotations

import pytest

from akari.accounts.models import Organisation
from akari.accounts.roles import Role
from akari.beamtime.models import Block, Experiment
from akari.coalition import ledger, services
from akari.coalition.errors import BookingRefused
from akari.coalition.models import (
    Booking,
    Bucket,
    EntitlementAccount,
    LedgerEntry,
    MemberPerson,
)
from akari.core import clock
from tests.beamtime.factories import at
from tests.coalition.factories import coalition_beamline, member, open_window
from tests.factories import AffiliationFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROUND3 = at(2026, 12, 4, 10)  # round 3 for slots on 10 December
ROUND2 = at(2026, 11, 10, 10)


@pytest.fixture
def bl():  # type: ignore[no-untyped-def]
    beamline = coalition_beamline()
    open_window(beamline)
    return beamline


def _book(membership, person, bl, start, end, **kw):  # type: ignore[no-untyped-def]
    return services.booking_create(
        membership=membership, person=person, beamline=bl, start=start, end=end, **kw
    )


def test_a_gold_member_books_in_round3_and_the_ledger_moves_hours(bl) -> None:  # type: ignore[no-untyped-def]
    gold, (person,) = member("gold")
    with clock.frozen(ROUND3):
        booking = _book(gold, person, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 13))
    assert booking.reference.startswith("C2612-")
    assert (booking.hours, booking.round, booking.status) == (3, 3, Booking.Status.CONFIRMED)
    assert booking.block.kind == Block.Kind.BOOKING and booking.block.is_active
    assert booking.experiment.programme == "nanoterasu-coalition"
    assert booking.experiment.proprietary and booking.experiment.route == "basic"
    account = EntitlementAccount.objects.get(membership=gold, fiscal_year=2026)
    assert (account.granted, account.available, account.booked) == (400, 397, 3)
    assert ledger.ledger_problems() == []


def test_a_taken_slot_is_refused_with_409(bl) -> None:  # type: ignore[no-untyped-def]
    gold, (p1,) = member("gold")
    other, (p2,) = member("general")
    with clock.frozen(ROUND3):
        _book(gold, p1, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 13))
        with pytest.raises(BookingRefused) as refused:
            _book(other, p2, bl, at(2026, 12, 10, 12), at(2026, 12, 10, 14))
    assert refused.value.rule == "slot_taken" and refused.value.http_status == 409
    assert EntitlementAccount.objects.get(membership=other).available == 200
    assert ledger.ledger_problems() == []


def test_the_same_idempotency_key_returns_the_first_booking(bl) -> None:  # type: ignore[no-untyped-def]
    gold, (person,) = member("gold")
    with clock.frozen(ROUND3):
        first = _book(
            gold, person, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 11), idempotency_key="k1"
        )
        again = _book(
            gold, person, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 11), idempotency_key="k1"
        )
    assert again.pk == first.pk
    assert Booking.objects.count() == 1
    assert EntitlementAccount.objects.get(membership=gold).booked == 1


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (at(2026, 12, 10, 10, 30), at(2026, 12, 10, 12), "not_aligned"),
        (at(2026, 12, 10, 12), at(2026, 12, 10, 12), "interval"),
        (at(2026, 12, 4, 9), at(2026, 12, 4, 10), "past"),
        (at(2026, 12, 20, 10), at(2026, 12, 20, 12), "round_class"),
        (at(2026, 12, 5, 10), at(2026, 12, 5, 12), "staff_only"),
    ],
)
def test_refusals_name_their_rule(bl, start, end, code) -> None:  # type: ignore[no-untyped-def]
    gold, (person,) = member("gold")
    with clock.frozen(ROUND3), pytest.raises(BookingRefused) as refused:
        _book(gold, person, bl, start, end)
    assert refused.value.rule == code
    assert refused.value.http_status == 422
    assert not Booking.objects.exists()


def test_time_outside_the_windows_is_refused(bl) -> None:  # type: ignore[no-untyped-def]
    gold, (person,) = member("gold")
    closed = coalition_beamline("BL08W")
    with clock.frozen(ROUND3), pytest.raises(BookingRefused) as refused:
        _book(gold, person, closed, at(2026, 12, 10, 10), at(2026, 12, 10, 12))
    assert refused.value.rule == "outside_window"


def test_only_people_with_the_booking_right_book(bl) -> None:  # type: ignore[no-untyped-def]
    gold, (person,) = member("gold")
    MemberPerson.objects.filter(person=person).update(can_book=False)
    outsider = UserFactory()
    with clock.frozen(ROUND3):
        for who in (person, outsider):
            with pytest.raises(BookingRefused) as refused:
                _book(gold, who, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 11))
            assert refused.value.rule == "no_booking_right"


def test_no_entitlement_left_is_refused(bl) -> None:  # type: ignore[no-untyped-def]
    general, (person,) = member("general")
    account = EntitlementAccount.objects.get(membership=general)
    ledger.post(
        account_id=account.pk, kind="forfeit", moves=[(Bucket.AVAILABLE, Bucket.FORFEITED, 199)]
    )
    with clock.frozen(ROUND3), pytest.raises(BookingRefused) as refused:
        _book(general, person, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 12))
    assert refused.value.rule == "no_entitlement"


def test_the_ledger_never_overspends_even_past_the_friendly_check(bl) -> None:  # type: ignore[no-untyped-def]
    general, _people = member("general")
    account = EntitlementAccount.objects.get(membership=general)
    with pytest.raises(ledger.InsufficientHours):
        ledger.post(
            account_id=account.pk, kind="book", moves=[(Bucket.AVAILABLE, Bucket.BOOKED, 201)]
        )
    account.refresh_from_db()
    assert account.available == 200
    assert ledger.ledger_problems() == []


def test_staff_book_for_a_member_after_round3_closes(bl) -> None:  # type: ignore[no-untyped-def]
    gold, (person,) = member("gold")
    staff = UserFactory(roles=[Role.USER_OFFICE])
    with clock.frozen(at(2026, 12, 9, 10)):
        booking = _book(
            gold, person, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 11), by_staff=staff
        )
    assert booking.round == 0


def test_an_sme_of_a_group_books_against_the_groups_hours(bl) -> None:  # type: ignore[no-untyped-def]
    group, _people = member("general", kind=Organisation.Kind.GROUP, people=0)
    sme = OrganisationFactory(kind=Organisation.Kind.SME, member_of=group.organisation)
    person = UserFactory()
    AffiliationFactory(person=person, organisation=sme)
    admin = UserFactory(roles=[Role.MEMBER_ADMIN])
    services.member_person_add(membership=group, email=person.email, actor=admin)
    with clock.frozen(ROUND3):
        booking = _book(group, person, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 14))
    assert booking.membership == group
    assert EntitlementAccount.objects.get(membership=group).available == 196


def test_a_person_of_another_company_cannot_be_added() -> None:
    gold, _people = member("gold")
    stranger = UserFactory()
    AffiliationFactory(person=stranger)
    with pytest.raises(BookingRefused) as refused:
        services.member_person_add(membership=gold, email=stranger.email, actor=None)
    assert refused.value.rule == "not_affiliated"


@pytest.mark.parametrize(
    ("cancel_at", "refunded", "forfeited"),
    [
        (at(2026, 12, 3, 9), 3, 0),  # exactly 7 days before: full refund
        (at(2026, 12, 3, 8, 59), 3, 0),
        (at(2026, 12, 3, 9, 1), 0, 3),  # 7 days minus a minute: nothing back
    ],
)
def test_cancellation_refunds_at_the_tier_edge(bl, cancel_at, refunded, forfeited) -> None:  # type: ignore[no-untyped-def]
    platinum, (person,) = member("platinum")
    with clock.frozen(ROUND2):
        booking = _book(platinum, person, bl, at(2026, 12, 10, 9), at(2026, 12, 10, 12))
    with clock.frozen(cancel_at):
        services.booking_cancel(booking=booking, actor=person)
    booking.refresh_from_db()
    account = EntitlementAccount.objects.get(membership=platinum)
    assert (booking.status, booking.refunded_hours) == (Booking.Status.CANCELLED, refunded)
    assert (account.available, account.booked, account.forfeited) == (800 - forfeited, 0, forfeited)
    assert not Block.objects.get(pk=booking.block_id).is_active
    assert booking.experiment.status == Experiment.Status.CANCELLED
    assert ledger.ledger_problems() == []


def test_use_and_downtime_credit(bl) -> None:  # type: ignore[no-untyped-def]
    gold, (person,) = member("gold")
    with clock.frozen(ROUND3):
        booking = _book(gold, person, bl, at(2026, 12, 10, 10), at(2026, 12, 10, 14))
    with clock.frozen(at(2026, 12, 10, 15)):
        services.booking_record_use(booking=booking, actor=None)
        booking.refresh_from_db()
        services.downtime_credit(booking=booking, hours=1, actor=None)
        with pytest.raises(BookingRefused):
            services.downtime_credit(booking=booking, hours=4, actor=None)
    account = EntitlementAccount.objects.get(membership=gold)
    assert (account.available, account.booked, account.used) == (397, 0, 3)
    kinds = list(
        LedgerEntry.objects.filter(account=account).values_list("kind", flat=True).distinct()
    )
    assert set(kinds) == {"grant", "book", "use", "credit"}
    assert ledger.ledger_problems() == []


def test_grant_is_idempotent() -> None:
    gold, _people = member("gold")
    again = services.grant_for(membership=gold, fiscal_year=2026, actor=None)
    assert again is not None and again.granted == 400
    assert LedgerEntry.objects.filter(kind="grant").count() == 2  # one posting, two entries
