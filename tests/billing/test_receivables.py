"""The daily job: overdue invoices and reminders at the pack's offsets, once each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from akari.billing import services
from akari.billing.models import Invoice, Reminder
from akari.billing.receivables import billing_daily
from akari.notifications.models import Notification
from tests.billing.factories import company, contact_of, draft_invoice

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 6, 10)  # due 2026-08-10 (two months)


def test_overdue_and_reminders_at_offsets_once():
    org = company()
    person = contact_of(org)
    invoice = services.invoice_issue(invoice=draft_invoice(org), actor=None, on=ISSUED)
    assert billing_daily(on=dt.date(2026, 8, 10)).overdue == 0
    result = billing_daily(on=dt.date(2026, 8, 11))
    invoice.refresh_from_db()
    assert (result.overdue, result.reminders, invoice.status) == (1, 0, Invoice.Status.OVERDUE)
    assert billing_daily(on=dt.date(2026, 8, 17)).reminders == 1  # +7 days
    assert billing_daily(on=dt.date(2026, 8, 17)).reminders == 0
    assert billing_daily(on=dt.date(2026, 9, 20)).reminders == 1  # +30 days
    assert billing_daily(on=dt.date(2026, 9, 21)).reminders == 0
    assert sorted(Reminder.objects.values_list("days_after_due", flat=True)) == [7, 30]
    notes = Notification.objects.filter(recipient=person, kind="billing.reminder")
    assert notes.count() == 2
    assert invoice.number in notes.first().subject


def test_paid_invoices_are_not_reminded():
    invoice = services.invoice_issue(invoice=draft_invoice(), actor=None, on=ISSUED)
    services.payment_record(
        invoice=invoice, amount=Decimal(480000), paid_on=ISSUED, reference="", actor=None
    )
    call_command("billing_daily", "--date", "2026-12-01")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert not Reminder.objects.exists()


def test_partly_paid_overdue_invoice_is_settled_by_the_rest():
    invoice = services.invoice_issue(invoice=draft_invoice(), actor=None, on=ISSUED)
    services.payment_record(
        invoice=invoice, amount=Decimal(1000), paid_on=ISSUED, reference="", actor=None
    )
    billing_daily(on=dt.date(2026, 8, 11))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.OVERDUE
    services.payment_record(
        invoice=invoice,
        amount=Decimal(479000),
        paid_on=dt.date(2026, 8, 12),
        reference="",
        actor=None,
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
