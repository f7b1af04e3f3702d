"""Billing pages for customers and everyone: my invoices, an invoice and its PDF, a customer's
statement, the fee estimator; and the usage records of experiments (staff and members)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akari.accounts.models import Organisation
from akari.beamtime import services_usage
from akari.beamtime.models import Experiment, UsageRecord
from akari.billing import permissions, rates, selectors
from akari.billing import usage as usage_services
from akari.billing.forms import EstimateForm, UsageForm
from akari.billing.pdf import pdf_filename, render_invoice_pdf
from akari.core.i18n import current_language
from akari.policies.selectors import NoPolicyInForce, policy_in_force


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def my_invoices(request: HttpRequest) -> HttpResponse:
    invoices = selectors.invoices(permissions.invoices_visible_to(request.user)).exclude(
        status="draft"
    )
    organisations = Organisation.objects.filter(
        billing_contacts__person_id=request.user.pk, billing_contacts__active=True
    )
    return render(
        request,
        "billing/my_invoices.html",
        {
            "invoices": invoices,
            "organisations": organisations,
            "has_usage": not permissions.is_usage_staff(request.user)
            and permissions.can_see_usage_list(request.user),
        },
    )


@login_required
@require_GET
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from akari.billing.forms import CreditNoteForm, PaymentForm

    invoice = permissions.get_invoice_for(request.user, pk)
    finance = permissions.can_manage_invoice(request.user, invoice)
    return render(
        request,
        "billing/invoice_detail.html",
        {
            **selectors.invoice_document(invoice),
            "finance": finance,
            "payment_form": PaymentForm() if finance else None,
            "credit_form": CreditNoteForm() if finance else None,
        },
    )


@login_required
@require_GET
def invoice_pdf(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    if language not in {"ja", "en"}:
        raise Http404
    invoice = permissions.get_invoice_for(request.user, pk)
    response = HttpResponse(render_invoice_pdf(invoice, language=language), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_filename(invoice, language)}"'
    return response


@login_required
@require_GET
def statement(request: HttpRequest, organisation: int) -> HttpResponse:
    visible = permissions.invoices_visible_to(request.user)
    org = get_object_or_404(Organisation, pk=organisation)
    if not permissions.can_view_statement(request.user, org):
        raise Http404
    return render(
        request,
        "billing/statement.html",
        {"organisation": org, "entries": selectors.statement(org, visible)},
    )


@require_GET
def estimate(request: HttpRequest) -> HttpResponse:
    """The fee estimator ("what will this cost?"); an htmx request gets the result partial,
    so other pages can embed it with ``hx-get``."""
    form = EstimateForm(request.GET or None)
    result, error, pack_label = None, "", ""
    if form.is_valid():
        programme, route = form.programme_and_route()
        try:
            version = policy_in_force(programme)
            result = rates.estimate(
                version.pack,
                route=route,
                hours=form.cleaned_data["hours"],
                joining_fiscal_year=form.cleaned_data.get("joining_fiscal_year"),
            )
            pack_label = version.version
        except rates.MissingRate:
            error = _("Give the fiscal year the member joined in: the hourly rate depends on it.")
        except (rates.RateError, NoPolicyInForce):
            error = _("This route cannot be estimated.")
    context = {
        "form": form,
        "result": result,
        "error": error,
        "version": pack_label,
        "ja": current_language() == "ja",
    }
    if getattr(request, "htmx", False):
        return render(request, "billing/_estimate_result.html", context)
    return render(request, "billing/estimate.html", context)


@login_required
@require_GET
def usage_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_see_usage_list(request.user):
        raise PermissionDenied
    experiments = (
        permissions.experiments_for_usage(request.user)
        .filter(end__lte=timezone.now())
        .exclude(usage__status=UsageRecord.Status.CONFIRMED)
        .select_related("beamline", "usage")
        .order_by("-end")[:200]
    )
    return render(request, "billing/usage_list.html", {"experiments": experiments})


def _items(experiment: Experiment) -> list[tuple[str, str]]:
    try:
        pack = policy_in_force(
            experiment.programme, on=timezone.localtime(experiment.start).date()
        ).pack
    except NoPolicyInForce:
        return []
    ja = current_language() == "ja"
    items = [
        (i.code, f"{i.label.ja if ja else i.label.en} ({i.unit.ja if ja else i.unit.en})")
        for i in pack.invoicing.consumables
    ]
    try:
        route_fees = pack.route(experiment.route).fees
    except KeyError:
        route_fees = []
    for code in route_fees:
        fee = pack.fee(code)
        if code in pack.invoicing.metered_fees or fee.unit in rates.COUNT_FEES:
            items.append((code, fee.label.ja if ja else fee.label.en))
    return items


@login_required
@require_http_methods(["GET", "POST"])
def usage_edit(request: HttpRequest, experiment: int) -> HttpResponse:
    exp = permissions.get_experiment_for_usage(request.user, experiment)
    if not permissions.can_record_usage(request.user, exp):
        raise PermissionDenied
    usage = UsageRecord.objects.filter(experiment=exp).prefetch_related("consumables").first()
    items = _items(exp)
    if request.method == "POST":
        form = UsageForm(request.POST, items=items)
        if form.is_valid():
            try:
                services_usage.usage_record(
                    experiment=exp,
                    actor=request.user,
                    actual_start=form.cleaned_data["actual_start"],
                    actual_end=form.cleaned_data["actual_end"],
                    downtime_minutes=form.cleaned_data["downtime_minutes"],
                    consumables=form.quantities(),
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("Usage recorded."))
                return redirect("billing:usage-edit", experiment=exp.pk)
    else:
        initial = {
            "actual_start": timezone.localtime(usage.actual_start if usage else exp.start),
            "actual_end": timezone.localtime(usage.actual_end if usage else exp.end),
            "downtime_minutes": usage.downtime_minutes if usage else 0,
            "notes": usage.notes if usage else "",
        }
        if usage:
            for item in usage.consumables.all():
                initial[f"item_{item.item_code}"] = item.quantity
        form = UsageForm(initial=initial, items=items)
    return render(
        request,
        "billing/usage_form.html",
        {
            "experiment": exp,
            "usage": usage,
            "form": form,
            "editable": usage is None or usage.status != UsageRecord.Status.CONFIRMED,
            "can_confirm": usage is not None and permissions.can_confirm_usage(request.user, usage),
            "can_submit": usage is not None and usage.status == UsageRecord.Status.DRAFT,
            "can_return": usage is not None
            and usage.status == UsageRecord.Status.SUBMITTED
            and permissions.can_confirm_usage(request.user, usage),
        },
    )


@login_required
@require_POST
def usage_action(request: HttpRequest, experiment: int, action: str) -> HttpResponse:
    exp = permissions.get_experiment_for_usage(request.user, experiment)
    usage = get_object_or_404(UsageRecord, experiment=exp)
    try:
        if action == "submit" and permissions.can_record_usage(request.user, exp):
            services_usage.usage_submit(usage=usage, actor=request.user)
            messages.success(request, _("Usage submitted to the facility for confirmation."))
        elif action == "return" and permissions.can_confirm_usage(request.user, usage):
            reason = request.POST.get("reason", "").strip()[:300]
            services_usage.usage_return(usage=usage, actor=request.user, reason=reason)
            messages.success(request, _("Usage returned for correction."))
        elif action == "confirm" and permissions.can_confirm_usage(request.user, usage):
            usage_services.usage_confirm(usage=usage, actor=request.user)
            messages.success(request, _("Usage confirmed: it will be billed by the next run."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        _errors(request, error)
    return redirect("billing:usage-edit", experiment=exp.pk)
