"""E-mail of an issued invoice to the customer's billing contact, with the PDF attached."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from akari.billing.models import Invoice
from akari.billing.pdf import pdf_filename, render_invoice_pdf
from akari.notifications.rendering import absolute_url

logger = logging.getLogger(__name__)


def send_invoice(invoice_id: int) -> bool:
    """Send after commit (``transaction.on_commit``). Returns whether a mail was sent."""
    invoice = Invoice.objects.select_related("customer", "billing_contact").get(pk=invoice_id)
    contact = invoice.billing_contact
    if contact is None or not contact.email:
        logger.warning("Invoice %s has no billing contact to e-mail.", invoice.number)
        return False
    language = "en" if (contact.preferred_language or "ja").startswith("en") else "ja"
    with translation.override(language):
        context = {
            "invoice": invoice,
            "recipient_name": contact.display_name,
            "link_url": absolute_url(f"/billing/invoices/{invoice.pk}/"),
        }
        subject = render_to_string("billing/notifications/invoice_issued_subject.txt", context)
        body = render_to_string("billing/notifications/invoice_issued_body.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
    )
    message.attach(
        pdf_filename(invoice, language),
        render_invoice_pdf(invoice, language=language),
        "application/pdf",
    )
    message.send()
    return True
