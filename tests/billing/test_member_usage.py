"""A coalition member records and submits the usage of a booking; staff confirm; the member's
month is invoiced to the membership at its joining year's rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from akari.beamtime.models import UsageRecord
from akari.billing.runs import billing_run
from akari.coalition import services as coalition
from akari.core import clock
from tests.beamtime.factories import at
from tests.billing.factories import staff
from tests.coalition.factories import coalition_beamline, member, open_window
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_member_submits_staff_confirm_and_the_month_is_invoiced():
    beamline = coalition_beamline()
    open_window(beamline)
    gold, (person,) = member("gold")
    with clock.frozen(at(2026, 12, 4, 10)):
        booking = coalition.booking_create(
            membership=gold,
            person=person,
            beamline=beamline,
            start=at(2026, 12, 10, 10),
            end=at(2026, 12, 10, 13),
        )
    experiment = booking.experiment
    client = Client()
    client.force_login(person)
    with clock.frozen(at(2026, 12, 11, 9)):
        assert client.get(reverse("billing:usage")).status_code == 200
        client.post(
            reverse("billing:usage-edit", args=[experiment.pk]),
            {
                "actual_start": "2026-12-10T10:00",
                "actual_end": "2026-12-10T13:00",
                "downtime_minutes": "0",
            },
        )
        client.post(reverse("billing:usage-action", args=[experiment.pk, "submit"]))
        usage = UsageRecord.objects.get(experiment=experiment)
        assert usage.status == UsageRecord.Status.SUBMITTED
        refused = client.post(reverse("billing:usage-action", args=[experiment.pk, "confirm"]))
        assert refused.status_code == 403
        usage.refresh_from_db()
        assert usage.status == UsageRecord.Status.SUBMITTED

        outsider = Client()
        outsider.force_login(UserFactory())
        assert outsider.get(reverse("billing:usage-edit", args=[experiment.pk])).status_code == 404

        scientist = Client()
        scientist.force_login(staff())
        scientist.post(reverse("billing:usage-action", args=[experiment.pk, "confirm"]))
        usage.refresh_from_db()
        assert usage.status == UsageRecord.Status.CONFIRMED

    result = billing_run(actor=None, on=dt.date(2027, 1, 5))
    monthly = [i for i in result.invoices if i.run_key.startswith("month:")]
    assert len(monthly) == 1
    assert monthly[0].customer == gold.organisation
    assert [line.amount for line in monthly[0].lines.all()] == [Decimal(105000)]
