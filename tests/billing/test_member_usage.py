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


def _account(booking):
    from akari.coalition.models import EntitlementAccount

    return EntitlementAccount.objects.get(pk=booking.account_id)


@pytest.mark.parametrize(
    ("downtime_minutes", "credited"),
    [(0, 0), (29, 0), (30, 1), (89, 1), (90, 2), (180, 3)],
)
def test_confirming_usage_posts_use_and_downtime_credit_to_the_member_ledger(
    downtime_minutes, credited
):
    from akari.beamtime import services_usage
    from akari.billing import usage as usage_services
    from akari.coalition.ledger import ledger_problems
    from akari.coalition.models import Booking

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
    before = _account(booking)
    with clock.frozen(at(2026, 12, 11, 9)):
        usage = services_usage.usage_record(
            experiment=booking.experiment,
            actor=staff(),
            actual_start=at(2026, 12, 10, 10),
            actual_end=at(2026, 12, 10, 13),
            downtime_minutes=downtime_minutes,
            consumables={},
        )
        usage_services.usage_confirm(usage=usage, actor=staff())
        # confirming again is refused by the workflow; posting again changes nothing
        assert usage_services.ledger_post_usage(usage=usage, actor=None) == 0
    booking.refresh_from_db()
    after = _account(booking)
    assert booking.status == Booking.Status.USED
    assert after.booked == before.booked - 3
    assert after.used == 3 - credited
    assert after.available == before.available + credited
    assert ledger_problems([after.pk]) == []


def test_confirming_usage_of_a_non_coalition_experiment_posts_nothing():
    from akari.beamtime import services, services_usage
    from akari.beamtime.models import Block
    from akari.billing import usage as usage_services
    from akari.coalition.models import LedgerEntry

    beamline = coalition_beamline()
    block = services.block_occupy(
        beamline=beamline,
        start=at(2026, 12, 1, 9),
        end=at(2026, 12, 1, 17),
        kind=Block.Kind.EXPERIMENT,
        actor=None,
    )
    exp = services.experiment_create(
        block=block,
        programme="nanoterasu-shared",
        route="general",
        reference="NT-1",
        lead=UserFactory(),
        actor=None,
    )
    with clock.frozen(at(2026, 12, 2, 9)):
        usage = services_usage.usage_record(
            experiment=exp,
            actor=staff(),
            actual_start=exp.start,
            actual_end=exp.end,
            downtime_minutes=0,
            consumables={},
        )
        usage_services.usage_confirm(usage=usage, actor=staff())
    assert usage.status == "confirmed"
    assert not LedgerEntry.objects.exists()
