"""Usage records: recording, the workflow, and the confirmed-usage selector."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from akari.beamtime import services_usage as usage_services
from akari.beamtime.models import UsageRecord
from akari.beamtime.selectors_usage import confirmed_usage_since
from akari.core.workflow import IllegalTransition
from tests.billing.factories import experiment, staff

pytestmark = pytest.mark.django_db


def record(exp, **kwargs):
    return usage_services.usage_record(
        experiment=exp,
        actor=kwargs.pop("actor", None) or staff(),
        actual_start=kwargs.pop("start", exp.start),
        actual_end=kwargs.pop("end", exp.end),
        **kwargs,
    )


def test_record_submit_return_confirm():
    exp = experiment()
    usage = record(exp, downtime_minutes=40, consumables={"liquid_nitrogen": "5"})
    assert usage.status == UsageRecord.Status.DRAFT
    assert [(c.item_code, c.quantity) for c in usage.consumables.all()] == [
        ("liquid_nitrogen", Decimal(5))
    ]
    usage_services.usage_submit(usage=usage, actor=None)
    usage_services.usage_return(usage=usage, actor=None, reason="wrong end")
    usage = record(exp, end=exp.end - dt.timedelta(hours=1))
    assert usage.used_minutes == 7 * 60
    confirmed = usage_services.usage_confirm(usage=usage, actor=staff())
    assert confirmed.status == UsageRecord.Status.CONFIRMED
    assert confirmed.confirmed_at is not None
    assert list(confirmed_usage_since()) == [confirmed]
    assert list(confirmed_usage_since(programme="nanoterasu-coalition")) == []


def test_confirmed_usage_is_final():
    exp = experiment()
    usage = usage_services.usage_confirm(usage=record(exp), actor=None)
    with pytest.raises(ValidationError):
        record(exp, downtime_minutes=60)
    with pytest.raises(IllegalTransition):
        usage_services.usage_submit(usage=usage, actor=None)
    usage.refresh_from_db()
    assert usage.downtime_minutes == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"downtime_minutes": -1},
        {"downtime_minutes": 9 * 60},
        {"consumables": {"gold_leaf": 1}},
        {"consumables": {"liquid_helium": -2}},
    ],
)
def test_invalid_usage_is_refused(kwargs):
    exp = experiment()
    with pytest.raises(ValidationError):
        record(exp, **kwargs)
    assert not UsageRecord.objects.exists()
