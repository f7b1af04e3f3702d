"""The daily receivables job: overdue invoices and payment reminders at the pack's offsets.

Idempotent: an invoice becomes overdue once (the workflow refuses a second move), and a
reminder is a row unique per invoice and offset, created before the notification (whose dedupe
key is the same), so running the job twice on a day, or on two days, reminds each offset once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from akari.billing.models import BillingContact, Invoice, Reminder
from akari.core import audit, clock
from akari.core.workflow import transition
from akari.notifications.services import notify
from akari.policies.selectors import NoPolicyInForce, policy_in_force


@dataclass
class DailyResult:
    overdue: int = 0
    reminders: int = 0


def _offsets(programme: str, day: dt.date, cache: dict[str, list[int]]) -> list[int]:
    if programme not in cache:
        try:
            cache[programme] = list(
                policy_in_force(programme, on=day).pack.invoicing.reminder_days_after_due
            )
        except NoPolicyInForce:
            cache[programme] = []
    return cache[programme]


def billing_daily(*, on: dt.date | None = None, actor: Any | None = None) -> DailyResult:
    day = on or clock.today()
    result = DailyResult()
    due = Invoice.objects.filter(
        status__in=[Invoice.Status.ISSUED, Invoice.Status.PARTIALLY_PAID], due_date__lt=day
    )
    for invoice in due:
        with transaction.atomic():
            transition(invoice, Invoice.Status.OVERDUE, actor=actor, reason="due date passed")
            audit.record(actor=actor, action="billing.invoice_overdue", obj=invoice)
        result.overdue += 1
    cache: dict[str, list[int]] = {}
    overdue = Invoice.objects.filter(status=Invoice.Status.OVERDUE).select_related("customer")
    for invoice in overdue.prefetch_related("reminders"):
        assert invoice.due_date is not None
        sent = {r.days_after_due for r in invoice.reminders.all()}
        for offset in _offsets(invoice.programme, day, cache):
            if offset in sent or invoice.due_date + dt.timedelta(days=offset) > day:
                continue
            if _remind(invoice, offset, day, actor):
                result.reminders += 1
    return result


def _remind(invoice: Invoice, offset: int, day: dt.date, actor: Any | None) -> bool:
    try:
        with transaction.atomic():
            Reminder.objects.create(invoice=invoice, days_after_due=offset, sent_on=day)
            contacts = BillingContact.objects.filter(
                organisation_id=invoice.customer_id, active=True
            ).select_related("person")
            for contact in contacts:
                notify(
                    recipient=contact.person,
                    kind="billing.reminder",
                    context={
                        "number": invoice.number,
                        "due_date": invoice.due_date.isoformat() if invoice.due_date else "",
                        "balance": f"{int(invoice.balance):,}",
                    },
                    dedupe_key=f"billing.reminder:{invoice.pk}:{offset}",
                    link=f"/billing/invoices/{invoice.pk}/",
                    actor=actor,
                )
            audit.record(actor=actor, action="billing.reminder_sent", obj=invoice, offset=offset)
    except IntegrityError:
        return False
    return True
