"""Billing runs: grouping by the programmes' payment policy, idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from akari.billing.models import Charge, Invoice
from akari.billing.runs import billing_run
from akari.coalition.models import Membership
from tests.beamtime.factories import at
from tests.billing.factories import company, confirmed_usage, experiment
from tests.proposals.factories import loaded_packs

pytestmark = pytest.mark.django_db


def member(joining_fiscal_year: int = 2022, units: int = 1):
    loaded_packs()
    org = company()
    Membership.objects.create(
        organisation=org,
        member_class="general",
        units=units,
        joining_fiscal_year=joining_fiscal_year,
        joined_on=dt.date(joining_fiscal_year, 6, 1),
        contract_ends_on=dt.date(joining_fiscal_year + 10, 5, 31),
    )
    return org


def test_proprietary_experiment_invoiced_after_confirmed_usage_and_only_once():
    org = company()
    exp = experiment(organisation=org)
    first = billing_run(actor=None, on=dt.date(2026, 6, 5))
    assert first.invoices == []  # no usage record yet
    confirmed_usage(exp)
    second = billing_run(actor=None, on=dt.date(2026, 6, 5))
    assert len(second.invoices) == 1
    invoice = second.invoices[0]
    assert (invoice.customer, invoice.status, invoice.prices_include_tax) == (
        org,
        Invoice.Status.DRAFT,
        True,
    )
    assert [line.amount for line in invoice.lines.all()] == [Decimal(480000)]
    third = billing_run(actor=None, on=dt.date(2026, 6, 5), issue=True)
    assert (third.invoices, third.charges_created) == ([], 0)
    assert Invoice.objects.count() == 1
    assert Charge.objects.count() == 1


def test_coalition_members_invoiced_monthly_after_the_month():
    org = member()
    june = [
        experiment(
            programme="nanoterasu-coalition",
            route="basic",
            hours=2,
            organisation=org,
            start=at(2026, 6, day, 10),
        )
        for day in (3, 17)
    ]
    july = experiment(
        programme="nanoterasu-coalition",
        route="basic",
        hours=1,
        organisation=org,
        start=at(2026, 7, 2, 10),
    )
    for exp in [*june, july]:
        confirmed_usage(exp)
    result = billing_run(actor=None, on=dt.date(2026, 7, 5), issue=True)
    assert len(result.invoices) == 1  # joined in FY2022, before Akari: no joining invoice
    invoice = result.invoices[0]
    assert invoice.run_key == f"month:nanoterasu-coalition:{org.pk}:2026-06:excl"
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal(140000),
        Decimal(14000),
        Decimal(154000),
    )
    assert billing_run(actor=None, on=dt.date(2026, 7, 20)).invoices == []
    august = billing_run(actor=None, on=dt.date(2026, 8, 1))
    assert [i.run_key for i in august.invoices] == [
        f"month:nanoterasu-coalition:{org.pk}:2026-07:excl"
    ]


def test_joining_fee_invoiced_on_joining_once():
    org = member(joining_fiscal_year=2026, units=2)
    result = billing_run(actor=None, on=dt.date(2026, 6, 2), issue=True)
    assert len(result.invoices) == 1
    invoice = result.invoices[0]
    assert invoice.run_key.startswith("joining:")
    assert (invoice.customer, invoice.subtotal, invoice.total) == (
        org,
        Decimal(100000000),
        Decimal(110000000),
    )
    assert billing_run(actor=None, on=dt.date(2026, 6, 3)).invoices == []


def test_usage_confirmed_after_the_monthly_invoice_goes_on_a_follow_up():
    org = member()
    confirmed_usage(
        experiment(
            programme="nanoterasu-coalition",
            route="basic",
            hours=1,
            organisation=org,
            start=at(2026, 6, 3, 10),
        )
    )
    billing_run(actor=None, on=dt.date(2026, 7, 5))
    confirmed_usage(
        experiment(
            programme="nanoterasu-coalition",
            route="basic",
            hours=1,
            organisation=org,
            start=at(2026, 6, 20, 10),
        )
    )
    late = billing_run(actor=None, on=dt.date(2026, 7, 6)).invoices
    assert len(late) == 1 and ":late:" in late[0].run_key
    assert billing_run(actor=None, on=dt.date(2026, 7, 7)).invoices == []


def test_missing_rate_is_reported_not_defaulted():
    org = member(joining_fiscal_year=2021)
    confirmed_usage(
        experiment(
            programme="nanoterasu-coalition",
            route="basic",
            hours=1,
            organisation=org,
            start=at(2026, 6, 3, 10),
        )
    )
    result = billing_run(actor=None, on=dt.date(2026, 7, 5))
    assert any("FY2021" in error for error in result.errors)
    assert not Charge.objects.filter(kind=Charge.Kind.USAGE).exists()


def test_command_is_idempotent(capsys):
    confirmed_usage(experiment())
    call_command("billing_run", "--date", "2026-06-05", "--issue")
    call_command("billing_run", "--date", "2026-06-05", "--issue")
    out = capsys.readouterr().out
    assert "invoices created: 1" in out and "invoices created: 0" in out
    assert Invoice.objects.filter(status=Invoice.Status.ISSUED).count() == 1


def test_joining_invoice_service_and_run_do_not_double_bill():
    from akari.billing.runs import joining_invoice

    org = member(joining_fiscal_year=2026, units=1)
    membership = Membership.objects.get(organisation=org)
    invoice = joining_invoice(membership=membership, actor=None)
    assert invoice is not None and invoice.lines.get().amount == Decimal(50000000)
    assert joining_invoice(membership=membership, actor=None) is None
    assert billing_run(actor=None, on=dt.date(2026, 6, 5)).invoices == []
    assert Invoice.objects.filter(customer=org).count() == 1


def test_usage_owing_nothing_is_looked_at_once():
    from akari.billing.models import ChargedUsage

    usage = confirmed_usage(experiment(programme="nanoterasu-shared", route="general"))
    assert billing_run(actor=None, on=dt.date(2026, 6, 5)).charges_created == 0
    assert ChargedUsage.objects.filter(usage=usage).exists()
    from akari.beamtime.selectors_usage import confirmed_usage_since

    assert not confirmed_usage_since().filter(charged__isnull=True).exists()
