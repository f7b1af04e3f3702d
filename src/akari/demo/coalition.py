"""Demo data of the coalition (members, entitlements, booking windows, bookings, one allocation
run). Idempotent: memberships, people and windows are matched, bookings carry idempotency keys,
and the allocation run of a month runs once. Dates follow the clock (today in Asia/Tokyo)."""

from __future__ import annotations

import datetime as dt

from akari.accounts.models import Organisation, User
from akari.beamtime.services import window_open
from akari.coalition import allocation, policy, rounds, services
from akari.coalition.errors import BookingRefused
from akari.coalition.models import AllocationRun, BookingRequest, MemberPerson, Membership
from akari.core import clock
from akari.core.clock import TOKYO
from akari.core.fiscal import FiscalYear
from akari.facility.models import Beamline

MEMBERS = [
    # (organisation name_en, class, units)
    ("Aoba Materials Co. Ltd.", "platinum", 4),
    ("Hirose Chemical Industries Ltd.", "gold", 2),
    ("Izumi Battery Corp.", "special_contract_gold", 2),
    ("Natori Analysis Service Inc.", "general", 1),
    ("Monozukuri Friendly Bank", "general", 1),
]
PEOPLE = [
    # (e-mail, organisation name_en of the membership, member administrator)
    ("member-admin@demo.akari.example", "Aoba Materials Co. Ltd.", True),
    ("member-gold@demo.akari.example", "Hirose Chemical Industries Ltd.", False),
    ("member-izumi@demo.akari.example", "Izumi Battery Corp.", False),
    ("member-sme@demo.akari.example", "Monozukuri Friendly Bank", False),
]


def demo_coalition(people: dict[str, User]) -> None:
    """Idempotent; called by ``load_demo`` after the programme demo."""
    staff = people.get("office@demo.akari.example")
    memberships = _members(staff)
    _people(people, memberships)
    beamlines = list(
        Beamline.objects.filter(facility__code="nanoterasu", code__in=policy.beamline_codes())
    )
    _windows(beamlines, staff)
    _allocation_run(people, memberships, beamlines, staff)
    _bookings(people, memberships, beamlines)


def _members(staff: User | None) -> dict[str, Membership]:
    out = {}
    for name, member_class, units in MEMBERS:
        organisation = Organisation.objects.get(name_en=name)
        membership = Membership.objects.filter(organisation=organisation).first()
        if membership is None:
            membership = services.membership_create(
                organisation=organisation,
                member_class=member_class,
                units=units,
                joined_on=dt.date(2026, 4, 1),
                joining_fiscal_year=2022 if member_class == "platinum" else None,
                actor=staff,
            )
        for year in sorted(
            {
                FiscalYear.of(clock.today()).year,
                FiscalYear.of(clock.today() + dt.timedelta(days=120)).year,
            }
        ):
            services.grant_for(membership=membership, fiscal_year=year, actor=staff)
        out[name] = membership
    return out


def _people(people: dict[str, User], memberships: dict[str, Membership]) -> None:
    for email, org_name, is_admin in PEOPLE:
        person = people.get(email)
        if person is None:
            continue
        MemberPerson.objects.update_or_create(
            membership=memberships[org_name],
            person=person,
            defaults={"can_book": True, "is_admin": is_admin},
        )


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)


def _windows(beamlines: list[Beamline], staff: User | None) -> None:
    """Weekdays 09:00-21:00 from the start of this month for four months."""
    start = rounds.month_start(clock.now())
    last = (rounds.add_months(start, 4) - dt.timedelta(days=1)).date()
    for beamline in beamlines:
        for day in _weekdays(start.date(), last):
            window_open(
                beamline=beamline,
                programme=policy.PROGRAMME,
                start=_at(day, 9),
                end=_at(day, 21),
                actor=staff,
            )


def _allocation_run(
    people: dict[str, User],
    memberships: dict[str, Membership],
    beamlines: list[Beamline],
    staff: User | None,
) -> None:
    """Round 1 for next month: requests made last month (two of them collide), then the run."""
    month = rounds.add_months(rounds.month_start(clock.now()), 1)
    if AllocationRun.objects.filter(month=month.date()).exists() or not beamlines:
        return
    day = _weekdays(month.date() + dt.timedelta(days=7), month.date() + dt.timedelta(days=14))[0]
    wishes = [
        ("member-admin@demo.akari.example", "Aoba Materials Co. Ltd.", 10, 13),
        ("member-gold@demo.akari.example", "Hirose Chemical Industries Ltd.", 11, 14),
        ("member-izumi@demo.akari.example", "Izumi Battery Corp.", 15, 17),
        ("member-sme@demo.akari.example", "Monozukuri Friendly Bank", 16, 18),
    ]
    requested = rounds.add_months(month, -1) - dt.timedelta(days=10)
    with clock.frozen(requested):
        for email, org_name, first, last in wishes:
            person = people.get(email)
            membership = memberships[org_name]
            if person is None or BookingRequest.objects.filter(membership=membership).exists():
                continue
            try:
                allocation.request_submit(
                    membership=membership,
                    person=person,
                    beamline=beamlines[0],
                    start=_at(day, first),
                    end=_at(day, last),
                    use_type="basic",
                )
            except BookingRefused:
                continue
    try:
        allocation.allocate(month=month.date(), actor=staff, seed=20261101)
    except BookingRefused:
        return


def _bookings(
    people: dict[str, User], memberships: dict[str, Membership], beamlines: list[Beamline]
) -> None:
    """Round 3 bookings a few days ahead and a platinum round-2 booking two weeks ahead."""
    if len(beamlines) < 2:
        return
    today = clock.today()
    soon = _weekdays(today + dt.timedelta(days=3), today + dt.timedelta(days=6))
    later = _weekdays(today + dt.timedelta(days=14), today + dt.timedelta(days=20))
    plans = []
    if soon:
        plans += [
            (
                "member-gold@demo.akari.example",
                "Hirose Chemical Industries Ltd.",
                soon[0],
                10,
                13,
                "basic",
            ),
            ("member-sme@demo.akari.example", "Monozukuri Friendly Bank", soon[0], 14, 16, "basic"),
            ("member-izumi@demo.akari.example", "Izumi Battery Corp.", soon[-1], 9, 12, "advanced"),
        ]
    if later:
        plans.append(
            (
                "member-admin@demo.akari.example",
                "Aoba Materials Co. Ltd.",
                later[0],
                9,
                15,
                "mail_in",
            )
        )
    for index, (email, org_name, day, first, last, use_type) in enumerate(plans):
        person = people.get(email)
        if person is None:
            continue
        try:
            services.booking_create(
                membership=memberships[org_name],
                person=person,
                beamline=beamlines[1 + index % (len(beamlines) - 1)],
                start=_at(day, first),
                end=_at(day, last),
                use_type=use_type,
                idempotency_key=f"demo-{index}-{day.isoformat()}",
            )
        except BookingRefused:
            continue
