"""The qualified invoice (適格請求書) and credit notes as PDF (WeasyPrint).

Japanese and Latin text are set in Noto Sans CJK JP (Debian's ``fonts-noto-cjk``, installed with
the system packages); the template carries its own CSS so no file or URL is fetched. The PDF is
rendered in the language asked for (Japanese or English), whatever the viewer's language.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from akari.billing.models import Invoice
from akari.billing.selectors import invoice_document


def render_invoice_pdf(invoice: Invoice, *, language: str = "ja") -> bytes:
    import weasyprint  # heavy: imported only when a PDF is made

    language = "en" if language.startswith("en") else "ja"
    with translation.override(language):
        html = render_to_string(
            "billing/invoice_pdf.html",
            {**invoice_document(invoice), "LANGUAGE_CODE": language},
        )
    return bytes(weasyprint.HTML(string=html).write_pdf())


def pdf_filename(invoice: Invoice, language: str) -> str:
    return f"{invoice.number or 'draft-' + str(invoice.pk)}-{language}.pdf"
