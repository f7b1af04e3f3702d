"""The coalition demo: members, windows, bookings and one allocation run; running it again
changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from akari.accounts.models import User
from akari.beamtime.models import BookingWindow
from akari.coalition import ledger
from akari.coalition.models import AllocationRun, Booking, MemberPerson, Membership
from akari.demo.coalition import demo_coalition
from tests.proposals.factories import research_fields

pytestmark = pytest.mark.django_db


def test_the_demo_is_complete_and_idempotent(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    research_fields()
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (
        Membership.objects.count(),
        MemberPerson.objects.count(),
        BookingWindow.objects.count(),
        Booking.objects.count(),
        AllocationRun.objects.count(),
    )
    assert counts[0] == 5 and counts[4] == 1 and counts[3] >= 3
    admin = MemberPerson.objects.get(person__email="member-admin@demo.akari.example")
    assert admin.is_admin and admin.membership.member_class == "platinum"
    demo_coalition({u.email: u for u in User.objects.all()})
    assert (
        Membership.objects.count(),
        MemberPerson.objects.count(),
        BookingWindow.objects.count(),
        Booking.objects.count(),
        AllocationRun.objects.count(),
    ) == counts
    assert ledger.ledger_problems() == []
