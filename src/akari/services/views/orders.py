from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akari.core import clock
from akari.core.i18n import current_language
from akari.policies.selectors import NoPolicyInForce, policy_in_force
from akari.services import permissions, selectors
from akari.services.forms import (
    DeliverForm,
    OrderForm,
    QuoteForm,
    ReasonForm,
    SampleFormSet,
    SamplesDoneForm,
    ShipForm,
)
from akari.services.models import ServiceOrder
from akari.services.services import orders, pricing
from akari.services.views.common import report


def _programmes() -> list[tuple[str, str]]:
    codes: list[str] = []
    for kind in ServiceOrder.Kind.values:
        codes += [c for c in pricing.offers(kind) if c not in codes]
    choices = []
    for code in codes:
        try:
            pack = policy_in_force(code, on=clock.today()).pack
        except NoPolicyInForce:
            continue
        choices.append(
            (code, pack.programme.ja if current_language() == "ja" else pack.programme.en)
        )
    return choices


@login_required
@require_GET
def my_orders(request: HttpRequest) -> HttpResponse:
    return render(request, "services/my_orders.html", {"orders": selectors.my_orders(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest) -> HttpResponse:
    form = OrderForm(request.POST or None, user=request.user, programmes=_programmes())
    samples = SampleFormSet(request.POST or None, prefix="samples")
    if request.method == "POST" and form.is_valid() and samples.is_valid():
        data = form.cleaned_data
        rows = [s for s in samples.cleaned_data if s and s.get("name")]
        try:
            order = orders.order_request(actor=request.user, samples=rows, **data)  # type: ignore[arg-type]
        except ValidationError as error:
            report(request, error, form)
        else:
            messages.success(request, _("Your order has been received; we will send a quote."))
            return redirect("services:order", order.pk)
    return render(request, "services/order_form.html", {"form": form, "samples": samples})


@login_required
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = permissions.get_order_for(request.user, pk)
    staff = permissions.is_order_staff(request.user)
    return render(
        request,
        "services/order_detail.html",
        {
            **selectors.order_detail(order),
            "staff": staff,
            "requester": permissions.is_order_requester(request.user, order),
            "quote_form": QuoteForm(),
            "ship_form": ShipForm(),
            "deliver_form": DeliverForm(),
            "samples_form": SamplesDoneForm(),
            "reason_form": ReasonForm(),
            "S": ServiceOrder.Status,
        },
    )


@login_required
@require_POST
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    order = permissions.get_order_for(request.user, pk)
    user = request.user
    post = request.POST
    try:
        if action == "quote":
            form = QuoteForm(post)
            if not form.is_valid():
                raise ValidationError(_("Give the estimated hours."))
            orders.order_quote(order=order, hours=form.cleaned_data["hours"] or 0, actor=user)  # type: ignore[arg-type]
        elif action == "accept":
            orders.order_accept(order=order, actor=user)  # type: ignore[arg-type]
        elif action == "decline":
            orders.order_decline(order=order, actor=user, reason=post.get("reason", ""))  # type: ignore[arg-type]
        elif action == "cancel":
            orders.order_cancel(order=order, actor=user, reason=post.get("reason", ""))  # type: ignore[arg-type]
        elif action == "ship":
            ship = ShipForm(post)
            if not ship.is_valid():
                raise ValidationError(_("Give the tracking number."))
            orders.order_ship(order=order, actor=user, **ship.cleaned_data)  # type: ignore[arg-type]
        elif action == "receive":
            orders.order_receive(order=order, actor=user)  # type: ignore[arg-type]
        elif action == "measured":
            orders.order_measured(order=order, actor=user)  # type: ignore[arg-type]
        elif action == "deliver":
            deliver = DeliverForm(post)
            if not deliver.is_valid():
                raise ValidationError(_("Give the data link and its SHA-256 checksum."))
            orders.order_deliver(order=order, actor=user, **deliver.cleaned_data)  # type: ignore[arg-type]
        elif action == "samples":
            done = SamplesDoneForm(post)
            if not done.is_valid():
                raise ValidationError(_("Say what happened to the samples."))
            orders.order_samples_done(
                order=order,
                actor=user,  # type: ignore[arg-type]
                returned=done.cleaned_data["outcome"] == "returned",
                tracking_number=done.cleaned_data["tracking_number"],
            )
        elif action == "invoice":
            orders.order_invoice(order=order, actor=user)  # type: ignore[arg-type]
        else:
            raise Http404
    except ValidationError as error:
        report(request, error)
    return redirect("services:order", pk)


@login_required
@require_GET
def order_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.is_order_staff(request.user):
        raise PermissionDenied
    finished = request.GET.get("finished") == "1"
    return render(
        request,
        "services/order_queue.html",
        {"orders": selectors.order_queue(request.user, finished=finished), "finished": finished},
    )
