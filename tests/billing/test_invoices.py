"""Qualified invoices: issue, numbering, immutability, credit notes, payments, PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from akari.billing import services
from akari.billing.models import Invoice, InvoiceLine
from akari.billing.pdf import render_invoice_pdf
from akari.core.workflow import IllegalTransition
from tests.billing import pdftext
from tests.billing.factories import company, contact_of, draft_invoice, finance
from tests.proposals.factories import loaded_packs

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 10)


def test_issue_numbers_fixes_totals_and_due_date():
    invoice = draft_invoice(amounts=(480000, 10720))
    assert invoice.number == ""
    issued = services.invoice_issue(invoice=invoice, actor=finance(), on=DAY)
    assert issued.number == "INV-2026-000001"
    assert issued.issuer_registration_number == "T7123456789012"
    assert (issued.total, issued.tax, issued.subtotal) == (
        Decimal(490720),
        Decimal(44610),  # floor(490720 x 10 / 110) once for the rate
        Decimal(446110),
    )
    assert issued.due_date == dt.date(2026, 8, 10)
    assert issued.fiscal_year == 2026
    second = services.invoice_issue(invoice=draft_invoice(), actor=None, on=DAY)
    assert second.number == "INV-2026-000002"
    # A new fiscal year starts a new sequence.
    third = services.invoice_issue(invoice=draft_invoice(), actor=None, on=dt.date(2027, 4, 1))
    assert third.number == "INV-2027-000001"


def test_due_date_at_month_end():
    assert services.add_months(dt.date(2026, 12, 31), 2) == dt.date(2027, 2, 28)
    assert services.add_months(dt.date(2026, 11, 30), 2) == dt.date(2027, 1, 30)


def test_an_issued_invoice_cannot_change():
    invoice = services.invoice_issue(invoice=draft_invoice(), actor=None, on=DAY)
    line = invoice.lines.get()
    with pytest.raises(services.InvoiceImmutable):
        services.invoice_add_line(
            invoice=invoice,
            actor=None,
            description_ja="追加",
            description_en="Extra",
            transaction_date=DAY,
            quantity=Decimal(1),
            unit_price=Decimal(100),
        )
    with pytest.raises(services.InvoiceImmutable):
        services.invoice_remove_line(line=line, actor=None)
    with pytest.raises(services.InvoiceImmutable):
        services.invoice_issue(invoice=invoice, actor=None)
    with pytest.raises(services.InvoiceImmutable):
        services.invoice_discard(invoice=invoice, actor=None)
    invoice.refresh_from_db()
    assert invoice.total == Decimal(480000)
    assert list(InvoiceLine.objects.filter(invoice=invoice)) == [line]
    assert invoice.number == "INV-2026-000001"


def test_empty_draft_is_not_issued_and_uses_no_number():
    loaded_packs()
    empty = services.invoice_create(
        customer=company(), programme="spring8", prices_include_tax=True, actor=None
    )
    with pytest.raises(ValidationError):
        services.invoice_issue(invoice=empty, actor=None, on=DAY)
    assert services.invoice_issue(invoice=draft_invoice(), actor=None, on=DAY).number.endswith(
        "000001"
    )


def test_credit_note_corrects_and_full_credit_cancels():
    invoice = services.invoice_issue(invoice=draft_invoice(), actor=None, on=DAY)
    note = services.credit_note_issue(
        invoice=invoice, amount=Decimal(110000), reason="one hour lost", actor=None, on=DAY
    )
    assert (note.number, note.total, note.tax, note.amount) == (
        "CN-2026-000001",
        Decimal(110000),
        Decimal(10000),
        Decimal(100000),
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.balance == Decimal(370000)
    with pytest.raises(ValidationError):
        services.credit_note_issue(invoice=invoice, amount=Decimal(370001), reason="x", actor=None)
    services.credit_note_issue(invoice=invoice, amount=Decimal(370000), reason="cancel", actor=None)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED
    assert invoice.total == Decimal(480000)


def test_payments_partial_then_full():
    invoice = services.invoice_issue(invoice=draft_invoice(), actor=None, on=DAY)
    services.payment_record(
        invoice=invoice, amount=Decimal(80000), paid_on=DAY, reference="bank 1", actor=None
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PARTIALLY_PAID
    with pytest.raises(ValidationError):
        services.payment_record(
            invoice=invoice, amount=Decimal(400001), paid_on=DAY, reference="", actor=None
        )
    services.payment_record(
        invoice=invoice, amount=Decimal(400000), paid_on=DAY, reference="bank 2", actor=None
    )
    invoice.refresh_from_db()
    assert (invoice.status, invoice.balance) == (Invoice.Status.PAID, Decimal(0))
    with pytest.raises(ValidationError):
        services.payment_record(
            invoice=invoice, amount=Decimal(1), paid_on=DAY, reference="", actor=None
        )


def test_draft_cannot_be_paid_or_jump_states():
    invoice = draft_invoice()
    with pytest.raises(ValidationError):
        services.payment_record(
            invoice=invoice, amount=Decimal(1), paid_on=DAY, reference="", actor=None
        )
    from akari.core.workflow import transition

    with pytest.raises(IllegalTransition):
        transition(invoice, Invoice.Status.PAID, actor=None)


def test_issue_mails_the_pdf_to_the_billing_contact(django_capture_on_commit_callbacks):
    org = company()
    person = contact_of(org, preferred_language="ja")
    invoice = draft_invoice(org)
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_issue(invoice=invoice, actor=None, on=DAY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "INV-2026-000001" in message.subject
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("INV-2026-000001-ja.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ja", ["適格請求書", "登録番号", "T7123456789012", "消費税", "¥490,720", "¥44,610"]),
        ("en", ["Qualified invoice", "Registration number", "T7123456789012", "¥490,720"]),
    ],
)
def test_pdf_text_has_registration_number_tax_and_total(language, words):
    invoice = services.invoice_issue(
        invoice=draft_invoice(amounts=(480000, 10720)), actor=None, on=DAY
    )
    text = pdftext.text(render_invoice_pdf(invoice, language=language))
    squeezed = "".join(text.split())
    for word in words:
        assert "".join(word.split()) in squeezed, word
