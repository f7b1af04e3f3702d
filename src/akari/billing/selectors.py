"""Reads of billing: invoices (already scoped by :mod:`akari.billing.permissions`), the
invoice document, receivables and the finance dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from akari.billing import tax as taxes
from akari.billing.models import BillingContact, Charge, CreditNote, Invoice, Payment
from akari.core.i18n import localized


def invoices(qs: QuerySet[Invoice] | None = None) -> QuerySet[Invoice]:
    base = qs if qs is not None else Invoice.objects.all()
    return base.select_related("customer", "billing_contact").annotate(line_count=Count("lines"))


def invoice_detail(qs: QuerySet[Invoice], pk: int) -> Invoice:
    return (
        qs.select_related("customer", "billing_contact", "issued_by")
        .prefetch_related("lines", "payments", "credit_notes", "reminders")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class DocumentLine:
    transaction_date: dt.date
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    rate_percent: str
    amount: Decimal


@dataclass(frozen=True)
class RateRow:
    percent: str
    taxable: Decimal
    tax: Decimal
    total: Decimal


def _percent(rate: Decimal) -> str:
    return format((Decimal(rate) * 100).normalize(), "f")


def invoice_document(invoice: Invoice) -> dict[str, Any]:
    """What the invoice page and PDF print (in the active language)."""
    lines = list(invoice.lines.all())
    totals = taxes.totals(
        lines,
        prices_include_tax=invoice.prices_include_tax,
        rounding=invoice.tax_rounding,  # type: ignore[arg-type]
    )
    from akari.policies.selectors import NoPolicyInForce, policy_in_force

    try:
        note = policy_in_force(invoice.programme, on=invoice.issue_date).pack.invoicing.payment_note
    except NoPolicyInForce:
        note = None
    return {
        "invoice": invoice,
        "issuer_name": localized(invoice, "issuer_name"),
        "customer_name": localized(invoice.customer, "name"),
        "lines": [
            DocumentLine(
                transaction_date=line.transaction_date,
                description=localized(line, "description"),
                quantity=line.quantity,
                unit=localized(line, "unit"),
                unit_price=line.unit_price,
                rate_percent=_percent(line.tax_rate),
                amount=line.amount,
            )
            for line in lines
        ],
        "totals": {
            "rates": [RateRow(_percent(r.rate), r.taxable, r.tax, r.total) for r in totals.rates],
            "subtotal": totals.subtotal,
            "tax": totals.tax,
            "total": totals.total,
        },
        "credit_notes": list(invoice.credit_notes.all()),
        "payment_note": (note.ja if _ja() else note.en) if note is not None else "",
    }


def _ja() -> bool:
    from akari.core.i18n import current_language

    return current_language() == "ja"


def unbilled_charges() -> QuerySet[Charge]:
    return Charge.objects.filter(invoice_line__isnull=True).select_related("customer")


def overdue(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return invoices(qs.filter(status=Invoice.Status.OVERDUE)).order_by("due_date", "pk")


def open_invoices(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return invoices(qs.filter(status__in=Invoice.OPEN)).order_by("due_date", "pk")


@dataclass(frozen=True)
class StatementEntry:
    day: dt.date
    kind: str
    reference: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


def statement(organisation: Any, qs: QuerySet[Invoice]) -> list[StatementEntry]:
    """A customer's account: invoices (debit), payments and credit notes (credit), by date,
    with the running balance. Three queries."""
    issued = list(
        qs.filter(customer=organisation).exclude(status=Invoice.Status.DRAFT).order_by("issue_date")
    )
    ids = [i.pk for i in issued]
    rows: list[tuple[dt.date, int, str, str, Decimal, Decimal]] = []
    for invoice in issued:
        assert invoice.issue_date is not None
        rows.append((invoice.issue_date, 0, "invoice", invoice.number, invoice.total, Decimal(0)))
    for payment in Payment.objects.filter(invoice__in=ids).select_related("invoice"):
        rows.append(
            (payment.paid_on, 1, "payment", payment.invoice.number, Decimal(0), payment.amount)
        )
    for note in CreditNote.objects.filter(invoice__in=ids):
        rows.append((note.issue_date, 2, "credit_note", note.number, Decimal(0), note.total))
    rows.sort(key=lambda r: (r[0], r[1]))
    balance = Decimal(0)
    entries = []
    for day, _order, kind, ref, debit, credit in rows:
        balance += debit - credit
        entries.append(StatementEntry(day, kind, ref, debit, credit, balance))
    return entries


def dashboard(qs: QuerySet[Invoice], *, since: dt.date | None = None) -> list[dict[str, Any]]:
    """Billed / paid / credited / overdue per programme and month of issue: one grouped query."""
    money = DecimalField(max_digits=16, decimal_places=0)
    zero = Value(Decimal(0), output_field=money)
    base = qs.exclude(status=Invoice.Status.DRAFT)
    if since is not None:
        base = base.filter(issue_date__gte=since)
    rows = (
        base.annotate(month=TruncMonth("issue_date"))
        .values("programme", "month")
        .annotate(
            invoice_count=Count("pk"),
            billed_sum=Coalesce(Sum("total"), zero),
            paid_sum=Coalesce(Sum("paid"), zero),
            credited_sum=Coalesce(Sum("credited"), zero),
            overdue_total=Coalesce(Sum("total", filter=Q(status=Invoice.Status.OVERDUE)), zero),
            overdue_settled=Coalesce(Sum("paid", filter=Q(status=Invoice.Status.OVERDUE)), zero)
            + Coalesce(Sum("credited", filter=Q(status=Invoice.Status.OVERDUE)), zero),
        )
        .order_by("-month", "programme")
    )
    result = []
    for row in rows:
        result.append(
            {
                "programme": row["programme"],
                "month": row["month"],
                "invoices": row["invoice_count"],
                "billed": row["billed_sum"],
                "paid": row["paid_sum"],
                "credited": row["credited_sum"],
                "outstanding": row["billed_sum"] - row["paid_sum"] - row["credited_sum"],
                "overdue": row["overdue_total"] - row["overdue_settled"],
            }
        )
    return result


def contacts_of(person: Any) -> QuerySet[BillingContact]:
    return BillingContact.objects.filter(person=person, active=True)
