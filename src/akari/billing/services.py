"""Writes of invoices, credit notes, payments and billing contacts.

A draft invoice may gain and lose lines; :func:`invoice_issue` fixes its totals, gives it the
next gapless number of its issuer and fiscal year, and from then on nothing about it changes
(every function here refuses to edit a non-draft invoice): corrections are credit notes
(:func:`credit_note_issue`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from akari.accounts.models import Organisation
from akari.billing import tax as taxes
from akari.billing.models import (
    BillingContact,
    Charge,
    CreditNote,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Payment,
)
from akari.core import audit, clock
from akari.core.fiscal import FiscalYear
from akari.core.workflow import transition
from akari.policies.selectors import policy_in_force


class InvoiceImmutable(ValidationError):
    """An issued invoice never changes; corrections are credit notes."""


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the month's last day if it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _locked_draft(invoice: Invoice) -> Invoice:
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.status != Invoice.Status.DRAFT:
        raise InvoiceImmutable(
            _("Invoice %(number)s has been issued and cannot change; issue a credit note.")
            % {"number": locked.number},
            code="immutable",
        )
    return locked


def primary_contact(organisation: Organisation) -> Any | None:
    contact = (
        BillingContact.objects.filter(organisation=organisation, active=True)
        .select_related("person")
        .order_by("-is_primary", "pk")
        .first()
    )
    return contact.person if contact else None


@transaction.atomic
def invoice_create(
    *,
    customer: Organisation,
    programme: str,
    prices_include_tax: bool,
    actor: Any | None,
    run_key: str | None = None,
    on: dt.date | None = None,
) -> Invoice:
    """A draft invoice of ``programme`` (issuer, tax rounding and payment term from the pack
    in force on ``on``) to ``customer``'s billing contact."""
    pack = policy_in_force(programme, on=on or clock.today()).pack
    issuer = pack.invoicing.issuer or pack.operator
    invoice = Invoice.objects.create(
        run_key=run_key,
        programme=programme,
        issuer_name_ja=issuer.ja,
        issuer_name_en=issuer.en,
        issuer_registration_number=pack.invoicing.registration_number,
        number_prefix=pack.invoicing.number_prefix,
        customer=customer,
        billing_contact=primary_contact(customer),
        prices_include_tax=prices_include_tax,
        tax_rounding=pack.tax.rounding,
        payment_months=pack.payment.months_after_invoice,
    )
    audit.record(actor=actor, action="billing.invoice_created", obj=invoice, run_key=run_key)
    return invoice


def _next_position(invoice: Invoice) -> int:
    last = invoice.lines.aggregate(m=Max("position"))["m"]
    return (last or 0) + 1


@transaction.atomic
def invoice_add_charges(*, invoice: Invoice, charges: Iterable[Charge], actor: Any | None) -> int:
    """Put charges on a draft invoice (a charge is on one invoice line at most: the
    database refuses a second). Returns the number of lines added."""
    locked = _locked_draft(invoice)
    charges = list(charges)
    taxes.check_basis(charges, locked.prices_include_tax)
    position = _next_position(locked)
    lines = []
    for offset, charge in enumerate(charges):
        if charge.customer_id != locked.customer_id:
            raise ValidationError(_("A charge can only be billed to its own customer."))
        lines.append(
            InvoiceLine(
                invoice=locked,
                position=position + offset,
                charge=charge,
                description_ja=charge.description_ja,
                description_en=charge.description_en,
                transaction_date=charge.transaction_date,
                quantity=charge.quantity,
                unit_ja=charge.unit_ja,
                unit_en=charge.unit_en,
                unit_price=charge.unit_price,
                tax_rate=charge.tax_rate,
                tax_included=charge.tax_included,
                amount=charge.amount,
            )
        )
    InvoiceLine.objects.bulk_create(lines)
    return len(lines)


@transaction.atomic
def invoice_add_line(
    *,
    invoice: Invoice,
    actor: Any | None,
    description_ja: str,
    description_en: str,
    transaction_date: dt.date,
    quantity: Decimal,
    unit_price: Decimal,
    tax_rate: Decimal | None = None,
    unit_ja: str = "",
    unit_en: str = "",
) -> InvoiceLine:
    """A manual line on a draft invoice (on the invoice's price basis)."""
    locked = _locked_draft(invoice)
    if tax_rate is None:
        tax_rate = policy_in_force(locked.programme, on=transaction_date).pack.tax.rate
    from akari.core.money import multiply

    line = InvoiceLine.objects.create(
        invoice=locked,
        position=_next_position(locked),
        description_ja=description_ja,
        description_en=description_en,
        transaction_date=transaction_date,
        quantity=quantity,
        unit_ja=unit_ja,
        unit_en=unit_en,
        unit_price=unit_price,
        tax_rate=tax_rate,
        tax_included=locked.prices_include_tax,
        amount=multiply(unit_price, quantity),
    )
    audit.record(actor=actor, action="billing.invoice_line_added", obj=locked, line=line.pk)
    return line


@transaction.atomic
def invoice_remove_line(*, line: InvoiceLine, actor: Any | None) -> None:
    """Take a line off a draft invoice (its charge becomes unbilled again)."""
    locked = _locked_draft(line.invoice)
    InvoiceLine.objects.filter(pk=line.pk, invoice=locked).delete()
    audit.record(actor=actor, action="billing.invoice_line_removed", obj=locked, line=line.pk)


@transaction.atomic
def invoice_discard(*, invoice: Invoice, actor: Any | None) -> None:
    """Delete a draft (it never had a number, so no gap is left)."""
    locked = _locked_draft(invoice)
    audit.record(actor=actor, action="billing.invoice_discarded", obj=locked)
    locked.lines.all().delete()
    locked.delete()


def next_number(*, registration_number: str, series: str, fiscal_year: int) -> int:
    """The next number of a series, inside the caller's transaction: the counter row is
    created if missing (``ON CONFLICT DO NOTHING``) and then locked, so concurrent issuers
    queue and every number is used exactly once (a rolled-back issue rolls its number back)."""
    InvoiceCounter.objects.bulk_create(
        [
            InvoiceCounter(
                registration_number=registration_number, series=series, fiscal_year=fiscal_year
            )
        ],
        ignore_conflicts=True,
    )
    counter = InvoiceCounter.objects.select_for_update().get(
        registration_number=registration_number, series=series, fiscal_year=fiscal_year
    )
    InvoiceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return counter.last + 1


def invoice_totals(invoice: Invoice, lines: Iterable[InvoiceLine] | None = None) -> taxes.Totals:
    return taxes.totals(
        list(lines if lines is not None else invoice.lines.all()),
        prices_include_tax=invoice.prices_include_tax,
        rounding=invoice.tax_rounding,  # type: ignore[arg-type]
    )


@transaction.atomic
def invoice_issue(*, invoice: Invoice, actor: Any | None, on: dt.date | None = None) -> Invoice:
    """Issue a draft: fix totals, number it (gapless per issuer and fiscal year), set the due
    date (the pack's payment term) and e-mail the PDF to the billing contact after commit."""
    locked = _locked_draft(invoice)
    lines = list(locked.lines.all())
    if not lines:
        raise ValidationError(_("An invoice needs at least one line."), code="empty")
    totals = invoice_totals(locked, lines)
    day = on or clock.today()
    fiscal_year = FiscalYear.of(day).year
    sequence = next_number(
        registration_number=locked.issuer_registration_number,
        series="invoice",
        fiscal_year=fiscal_year,
    )
    number = f"{locked.number_prefix}-{fiscal_year}-{sequence:06d}"
    issued = transition(
        locked,
        Invoice.Status.ISSUED,
        actor=actor,
        extra_updates={
            "number": number,
            "issue_date": day,
            "due_date": add_months(day, locked.payment_months),
            "fiscal_year": fiscal_year,
            "subtotal": totals.subtotal,
            "tax": totals.tax,
            "total": totals.total,
            "issued_by": actor if getattr(actor, "is_authenticated", False) else None,
            "billing_contact": locked.billing_contact or primary_contact(locked.customer),
        },
    )
    audit.record(
        actor=actor,
        action="billing.invoice_issued",
        obj=issued,
        number=number,
        total=str(totals.total),
    )
    from akari.billing.mail import send_invoice

    transaction.on_commit(partial(send_invoice, issued.pk), robust=True)
    for name in ("number", "issue_date", "due_date", "fiscal_year", "subtotal", "tax", "total"):
        setattr(invoice, name, getattr(issued, name))
    return issued


def _settle(invoice: Invoice, actor: Any | None, reason: str = "") -> Invoice:
    """Move an open invoice to paid / partially paid / cancelled from its amounts."""
    invoice.refresh_from_db()
    settled = invoice.paid + invoice.credited
    if invoice.credited >= invoice.total and invoice.paid == 0:
        target = Invoice.Status.CANCELLED
    elif settled >= invoice.total:
        target = Invoice.Status.PAID
    elif invoice.paid > 0 and invoice.status != Invoice.Status.OVERDUE:
        target = Invoice.Status.PARTIALLY_PAID
    else:
        return invoice
    if target == invoice.status:
        return invoice
    return transition(invoice, target, actor=actor, reason=reason)


@transaction.atomic
def payment_record(
    *, invoice: Invoice, amount: Decimal, paid_on: dt.date, reference: str, actor: Any | None
) -> Payment:
    """A (full or partial) payment of an issued invoice; overpayment is refused."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.status not in Invoice.OPEN:
        raise ValidationError(_("Only an issued, unpaid invoice can receive a payment."))
    amount = Decimal(amount)
    if amount <= 0:
        raise ValidationError(_("A payment must be more than zero."))
    if amount > locked.balance:
        raise ValidationError(
            _("The payment is more than the balance due (%(balance)s yen).")
            % {"balance": locked.balance}
        )
    payment = Payment.objects.create(
        invoice=locked,
        amount=amount,
        paid_on=paid_on,
        reference=reference[:100],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Invoice.objects.filter(pk=locked.pk).update(paid=F("paid") + amount)
    audit.record(
        actor=actor,
        action="billing.payment_recorded",
        obj=locked,
        amount=str(amount),
        paid_on=paid_on.isoformat(),
        reference=reference,
    )
    _settle(locked, actor)
    return payment


@transaction.atomic
def credit_note_issue(
    *,
    invoice: Invoice,
    amount: Decimal,
    reason: str,
    actor: Any | None,
    tax_rate: Decimal | None = None,
    on: dt.date | None = None,
) -> CreditNote:
    """Correct an issued invoice: return ``amount`` (on the invoice's price basis) at
    ``tax_rate`` (default: the invoice's highest rate). Crediting the whole unpaid total
    cancels the invoice. Credit notes are numbered gaplessly in their own series."""
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.status == Invoice.Status.DRAFT:
        raise ValidationError(
            _("A draft invoice is corrected by editing it, not by a credit note.")
        )
    if locked.status == Invoice.Status.CANCELLED:
        raise ValidationError(_("This invoice has already been cancelled."))
    if not reason.strip():
        raise ValidationError(_("A credit note needs a reason."))
    rates = invoice_totals(locked).rates
    rate = Decimal(tax_rate) if tax_rate is not None else rates[0].rate
    row = taxes.rate_total(
        Decimal(amount),
        rate,
        prices_include_tax=locked.prices_include_tax,
        rounding=locked.tax_rounding,  # type: ignore[arg-type]
    )
    if row.total <= 0 or row.total > locked.total - locked.credited:
        raise ValidationError(
            _("A credit note must be more than zero and at most what was invoiced.")
        )
    day = on or clock.today()
    fiscal_year = FiscalYear.of(day).year
    sequence = next_number(
        registration_number=locked.issuer_registration_number,
        series="credit",
        fiscal_year=fiscal_year,
    )
    note = CreditNote.objects.create(
        invoice=locked,
        number=f"CN-{fiscal_year}-{sequence:06d}",
        issue_date=day,
        reason=reason[:300],
        tax_rate=rate,
        amount=row.taxable,
        tax=row.tax,
        total=row.total,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Invoice.objects.filter(pk=locked.pk).update(credited=F("credited") + row.total)
    audit.record(
        actor=actor,
        action="billing.credit_note_issued",
        obj=locked,
        number=note.number,
        total=str(row.total),
        reason=reason,
    )
    _settle(locked, actor, reason=reason)
    return note


@transaction.atomic
def billing_contact_set(
    *, organisation: Organisation, person: Any, actor: Any | None, active: bool = True
) -> BillingContact:
    contact, _created = BillingContact.objects.update_or_create(
        person=person, organisation=organisation, defaults={"active": active}
    )
    audit.record(
        actor=actor,
        action="billing.contact_set",
        obj=contact,
        active=active,
    )
    return contact
