"""The scheduling demo: 2027A's calendar, accepted proposals scheduled and published; running
it again changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from akari.accounts.models import User
from akari.beamtime.models import BookingWindow, Experiment
from akari.demo.scheduling import demo_scheduling
from akari.scheduling.models import ScheduledBlock, SchedulePeriod
from tests.proposals.factories import research_fields

pytestmark = pytest.mark.django_db


def test_the_demo_schedules_and_publishes_idempotently(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    research_fields()
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    period = SchedulePeriod.objects.get(code="2027A")
    assert period.status == SchedulePeriod.Status.PUBLISHED
    counts = (
        ScheduledBlock.objects.filter(period=period).count(),
        Experiment.objects.filter(reference__startswith="NT2027A").count(),
        BookingWindow.objects.filter(programme="nanoterasu-coalition").count(),
    )
    assert counts[0] == 4 and counts[1] == 4 and counts[2] > 0
    applicant = User.objects.get(email="applicant@demo.akari.example")
    assert ScheduledBlock.objects.filter(proposal__team__person=applicant).exists()
    demo_scheduling({u.email: u for u in User.objects.all()})
    assert (
        ScheduledBlock.objects.filter(period=period).count(),
        Experiment.objects.filter(reference__startswith="NT2027A").count(),
        BookingWindow.objects.filter(programme="nanoterasu-coalition").count(),
    ) == counts
