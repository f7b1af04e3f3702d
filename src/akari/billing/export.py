"""CSV export of issued invoices for the accounting system.

UTF-8 with a byte-order mark (so Excel opens Japanese text correctly), one row per invoice and
tax rate, columns (in this order):

``invoice_number, issue_date, due_date, customer_id, customer_name_ja, customer_name_en,
programme, status, tax_rate_percent, amount_before_tax, consumption_tax, total_for_rate,
invoice_total, paid, credited, balance, registration_number``

Amounts are whole yen without separators; dates ISO 8601.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.db.models import QuerySet

from akari.billing import tax as taxes
from akari.billing.models import Invoice

COLUMNS = [
    "invoice_number",
    "issue_date",
    "due_date",
    "customer_id",
    "customer_name_ja",
    "customer_name_en",
    "programme",
    "status",
    "tax_rate_percent",
    "amount_before_tax",
    "consumption_tax",
    "total_for_rate",
    "invoice_total",
    "paid",
    "credited",
    "balance",
    "registration_number",
]


def rows(invoices: QuerySet[Invoice]) -> Iterable[list[str]]:
    issued = (
        invoices.exclude(status=Invoice.Status.DRAFT)
        .select_related("customer")
        .prefetch_related("lines")
        .order_by("issue_date", "number")
    )
    for invoice in issued:
        totals = taxes.totals(
            invoice.lines.all(),
            prices_include_tax=invoice.prices_include_tax,
            rounding=invoice.tax_rounding,  # type: ignore[arg-type]
        )
        for rate in totals.rates:
            yield [
                invoice.number,
                invoice.issue_date.isoformat() if invoice.issue_date else "",
                invoice.due_date.isoformat() if invoice.due_date else "",
                str(invoice.customer_id),
                invoice.customer.name_ja,
                invoice.customer.name_en,
                invoice.programme,
                invoice.status,
                format((rate.rate * 100).normalize(), "f"),
                str(rate.taxable),
                str(rate.tax),
                str(rate.total),
                str(invoice.total),
                str(invoice.paid),
                str(invoice.credited),
                str(invoice.balance),
                invoice.issuer_registration_number,
            ]


def invoices_csv(invoices: QuerySet[Invoice]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(invoices))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
