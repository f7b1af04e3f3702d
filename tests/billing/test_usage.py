"""Charges derived from confirmed usage records (idempotent, rate of the day of use)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from akari.accounts.models import Organisation
from akari.billing import charges
from akari.billing.models import Charge
from akari.coalition.models import Membership
from tests.beamtime.factories import at
from tests.billing.factories import company, confirmed_usage, experiment, staff

pytestmark = pytest.mark.django_db


def test_confirmed_usage_gives_charges_once():
    org = company()
    exp = experiment(organisation=org, hours=8)
    usage = confirmed_usage(exp, downtime=45, consumables={"liquid_helium": Decimal(10)})
    made = charges.charges_for_usage(usage=usage, actor=None)
    assert {c.fee_code: c.amount for c in made} == {
        "proprietary": Decimal(420000),
        "consumable:liquid_helium": Decimal(33000),
    }
    assert all(c.customer == org and c.tax_included for c in made)
    again = charges.charges_for_usage(usage=usage, actor=None)
    assert sorted(c.pk for c in again) == sorted(c.pk for c in made)
    assert Charge.objects.count() == 2


def test_the_database_refuses_a_second_charge_of_a_fee():
    usage = confirmed_usage(experiment())
    first = charges.charges_for_usage(usage=usage, actor=None)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Charge.objects.create(
            **{
                f.name: getattr(first, f.name)
                for f in Charge._meta.concrete_fields
                if f.name not in {"id", "key"}
            },
            key="another",
        )


def test_unconfirmed_usage_is_not_charged():
    from akari.beamtime import services_usage

    exp = experiment()
    usage = services_usage.usage_record(
        experiment=exp, actor=staff(), actual_start=exp.start, actual_end=exp.end
    )
    with pytest.raises(ValidationError):
        charges.charges_for_usage(usage=usage, actor=None)


def test_group_member_is_billed_to_the_group_with_its_joining_year():
    group = company()
    group.kind = Organisation.Kind.GROUP
    group.save()
    Membership.objects.create(
        organisation=group,
        member_class="general",
        units=1,
        joining_fiscal_year=2022,
        joined_on=dt.date(2022, 6, 1),
        contract_ends_on=dt.date(2032, 5, 31),
    )
    sme = company(member_of=group)
    exp = experiment(programme="nanoterasu-coalition", route="basic", hours=3, organisation=sme)
    made = charges.charges_for_usage(usage=confirmed_usage(exp), actor=None)
    assert [(c.customer, c.fee_code, c.amount, c.tax_included) for c in made] == [
        (group, "usage", Decimal(105000), False)
    ]


def test_the_rate_in_force_on_the_day_of_use_applies(tmp_path):
    from akari.policies.reader import resolve
    from akari.policies.services import policy_load

    before = experiment(start=at(2026, 8, 31, 10), hours=8)
    after = experiment(start=at(2026, 9, 2, 10), hours=8)
    text = resolve("spring8").read_text(encoding="utf-8")
    revised = (
        text.replace('version: "2026.1"', 'version: "2026.2"')
        .replace("effective_from: 2026-04-01", "effective_from: 2026-09-01")
        .replace("amount: 480000  # seed", "amount: 528000  # revised")
    )
    path = tmp_path / "spring8.yaml"
    path.write_text(revised, encoding="utf-8")
    policy_load(path=path)
    old = charges.charges_for_usage(usage=confirmed_usage(before), actor=None)
    new = charges.charges_for_usage(usage=confirmed_usage(after), actor=None)
    assert [c.amount for c in old] == [Decimal(480000)]
    assert [c.amount for c in new] == [Decimal(528000)]
