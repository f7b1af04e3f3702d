"""Finance pages: dashboard, invoices, runs, receivables, CSV export, and the invoice actions
(issue, discard a draft, record a payment, issue a credit note). Finance only (403 otherwise)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from akari.billing import export, permissions, runs, selectors, services
from akari.billing.forms import CreditNoteForm, PaymentForm
from akari.billing.models import BillingRun, Invoice
from akari.core import clock


def _require_finance(request: HttpRequest) -> None:
    if not permissions.is_finance(request.user):
        raise PermissionDenied


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    since = clock.today().replace(day=1) - dt.timedelta(days=365)
    return render(
        request,
        "billing/dashboard.html",
        {
            "rows": selectors.dashboard(Invoice.objects.all(), since=since),
            "drafts": Invoice.objects.filter(status=Invoice.Status.DRAFT).count(),
            "overdue": Invoice.objects.filter(status=Invoice.Status.OVERDUE).count(),
            "unbilled": runs.usage_unbilled(),
        },
    )


@login_required
@require_GET
def invoice_list(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    status = request.GET.get("status", "")
    qs = selectors.invoices(Invoice.objects.all())
    if status in Invoice.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/invoice_list.html",
        {"page": page, "status": status, "statuses": Invoice.Status.choices},
    )


@login_required
@require_POST
def invoice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    _require_finance(request)
    invoice = permissions.get_invoice_for(request.user, pk)
    try:
        issued = services.invoice_issue(invoice=invoice, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Invoice %(number)s issued.") % {"number": issued.number})
    return redirect("billing:invoice", pk=pk)


@login_required
@require_POST
def invoice_discard(request: HttpRequest, pk: int) -> HttpResponse:
    _require_finance(request)
    invoice = permissions.get_invoice_for(request.user, pk)
    try:
        services.invoice_discard(invoice=invoice, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("billing:invoice", pk=pk)
    messages.success(request, _("Draft discarded; its charges will be billed by the next run."))
    return redirect("billing:invoices")


@login_required
@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_finance(request)
    invoice = permissions.get_invoice_for(request.user, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_record(invoice=invoice, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Payment recorded."))
    else:
        messages.error(request, _("Please correct the payment."))
    return redirect("billing:invoice", pk=pk)


@login_required
@require_POST
def credit_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_finance(request)
    invoice = permissions.get_invoice_for(request.user, pk)
    form = CreditNoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.credit_note_issue(
                invoice=invoice, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Credit note %(number)s issued.") % {"number": note.number})
    else:
        messages.error(request, _("Please correct the credit note."))
    return redirect("billing:invoice", pk=pk)


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    if request.method == "POST":
        result = runs.billing_run(actor=request.user)
        messages.success(
            request,
            ngettext(
                "Billing run done: %(count)d draft invoice made.",
                "Billing run done: %(count)d draft invoices made.",
                len(result.invoices),
            )
            % {"count": len(result.invoices)},
        )
        for error in result.errors:
            messages.error(request, error)
        return redirect("billing:runs")
    return render(
        request,
        "billing/runs.html",
        {
            "runs": BillingRun.objects.select_related("actor")[:30],
            "unbilled": runs.usage_unbilled(),
        },
    )


@login_required
@require_GET
def receivables(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    qs = Invoice.objects.all()
    return render(
        request,
        "billing/receivables.html",
        {"open": selectors.open_invoices(qs)[:200], "today": clock.today()},
    )


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    response = HttpResponse(
        export.invoices_csv(Invoice.objects.all()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="akari-invoices.csv"'
    return response
