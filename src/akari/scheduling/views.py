"""Scheduling pages: periods, a period's calendar and draft schedule, the staff's actions, the
team's "My beamtime", and the iCal feeds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from akari.facility.models import Beamline, Facility
from akari.scheduling import ical, permissions, publishing, selectors, services
from akari.scheduling.forms import (
    CancelForm,
    MoveForm,
    OutageForm,
    PlanForm,
    SegmentForm,
    SolveForm,
    SwapForm,
)
from akari.scheduling.models import FeedToken, RunSegment, ScheduledBlock


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _manage(request: HttpRequest) -> None:
    if not permissions.can_manage(request.user):
        raise PermissionDenied


@login_required
@require_GET
def period_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_periods(request.user):
        raise Http404
    periods = permissions.visible_to(request.user)
    return render(request, "scheduling/period_list.html", {"periods": periods})


@login_required
@require_GET
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = permissions.get_period_for(request.user, pk)
    blocks = selectors.draft_blocks(period)
    run = selectors.latest_run(period)
    unplaced = [dict(item, text=selectors.explain(item)) for item in (run.unplaced if run else [])]
    return render(
        request,
        "scheduling/period_detail.html",
        {
            "period": period,
            "segments": period.segments.all(),
            "outages": period.outages.select_related("beamline"),
            "plans": period.plans.select_related("beamline"),
            "lanes": selectors.timeline(period, blocks),
            "blocks": blocks,
            "run": run,
            "unplaced": unplaced,
            "can_manage": permissions.can_manage(request.user),
            "segment_form": SegmentForm(prefix="segment"),
            "outage_form": OutageForm(facility=period.facility, prefix="outage"),
            "plan_form": PlanForm(facility=period.facility, prefix="plan"),
            "solve_form": SolveForm(
                initial={
                    "time_limit": services.time_limit_default(),
                    "workers": services.workers_default(),
                }
            ),
        },
    )


@login_required
@require_GET
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    period = permissions.get_period_for(request.user, pk)
    return render(
        request,
        "scheduling/_run.html",
        {"period": period, "run": selectors.latest_run(period)},
    )


def _calendar_post(
    request: HttpRequest,
    pk: int,
    form_class: Any,
    service: Callable[..., object],
    invalid: str,
    prefix: str,
    per_facility: bool = True,
) -> HttpResponse:
    """The calendar forms of a period page (segment, outage, beamline plan): staff only, one
    form, one service call, back to the period page with the errors as messages."""
    _manage(request)
    period = permissions.get_period_for(request.user, pk)
    kwargs = {"facility": period.facility} if per_facility else {}
    form = form_class(request.POST, prefix=prefix, **kwargs)
    if form.is_valid():
        try:
            service(period=period, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, invalid)
    return redirect("scheduling:period", pk=period.pk)


@login_required
@require_POST
def segment_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _calendar_post(
        request,
        pk,
        SegmentForm,
        services.segment_add,
        _("Please correct the segment's fields."),
        "segment",
        per_facility=False,
    )


@login_required
@require_POST
def segment_remove(request: HttpRequest, pk: int, segment: int) -> HttpResponse:
    _manage(request)
    period = permissions.get_period_for(request.user, pk)
    row = get_object_or_404(RunSegment, pk=segment, period=period)
    try:
        services.segment_remove(segment=row, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect("scheduling:period", pk=period.pk)


@login_required
@require_POST
def outage_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _calendar_post(
        request,
        pk,
        OutageForm,
        services.outage_add,
        _("Please correct the maintenance fields."),
        "outage",
    )


@login_required
@require_POST
def plan_set(request: HttpRequest, pk: int) -> HttpResponse:
    return _calendar_post(
        request,
        pk,
        PlanForm,
        services.plan_set,
        _("Please correct the beamline plan's fields."),
        "plan",
    )


@login_required
@require_POST
def solve(request: HttpRequest, pk: int) -> HttpResponse:
    _manage(request)
    period = permissions.get_period_for(request.user, pk)
    form = SolveForm(request.POST)
    if form.is_valid():
        try:
            services.solve_request(period=period, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The solver is queued."))
        except ValidationError as error:
            _errors(request, error)
    return redirect("scheduling:period", pk=period.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    _manage(request)
    period = permissions.get_period_for(request.user, pk)
    try:
        count = publishing.period_publish(period=period, actor=request.user)
        messages.success(
            request, _("Schedule published: %(count)s experiments.") % {"count": count}
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect("scheduling:period", pk=period.pk)


@login_required
def block_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A draft block's actions (htmx panel): move with an instant conflict check, swap, pin,
    remove."""
    block = permissions.get_block_for(request.user, pk)
    form = MoveForm(request.POST or None, initial={"start": block.start}, prefix="move")
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        problems = services.conflicts(block, form.cleaned_data["start"])
        if not problems and request.POST.get("apply"):
            try:
                services.block_move(
                    block=block, start=form.cleaned_data["start"], actor=request.user
                )
            except ValidationError as error:
                problems = list(error.messages)
            else:
                messages.success(request, _("Block moved and pinned."))
                response = HttpResponse(status=204)
                response["HX-Redirect"] = block.period.get_absolute_url()
                return response if request.htmx else redirect(block.period.get_absolute_url())
    others = (
        ScheduledBlock.objects.filter(
            period=block.period, beamline=block.beamline, status=ScheduledBlock.Status.DRAFT
        )
        .exclude(pk=block.pk)
        .select_related("proposal")
        .order_by("start")
    )
    swap = SwapForm()
    swap.fields["other"].widget.choices = [
        (o.pk, f"{o.proposal.number} {o.start:%m-%d %H:%M}") for o in others
    ]
    template = "scheduling/_block.html" if request.htmx else "scheduling/block.html"
    return render(
        request,
        template,
        {
            "block": block,
            "form": form,
            "problems": problems,
            "checked": request.method == "POST",
            "swap": swap,
        },
    )


@login_required
@require_POST
def block_pin(request: HttpRequest, pk: int) -> HttpResponse:
    block = permissions.get_block_for(request.user, pk)
    try:
        services.block_pin(block=block, pinned=not block.pinned, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect(block.period.get_absolute_url())


@login_required
@require_POST
def block_remove(request: HttpRequest, pk: int) -> HttpResponse:
    block = permissions.get_block_for(request.user, pk)
    period = block.period
    try:
        services.block_remove(block=block, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect(period.get_absolute_url())


@login_required
@require_POST
def block_swap(request: HttpRequest, pk: int) -> HttpResponse:
    block = permissions.get_block_for(request.user, pk)
    form = SwapForm(request.POST)
    if form.is_valid():
        other = permissions.get_block_for(request.user, form.cleaned_data["other"])
        try:
            services.block_swap(first=block, second=other, actor=request.user)
            messages.success(request, _("Blocks swapped and pinned."))
        except ValidationError as error:
            _errors(request, error)
    return redirect(block.period.get_absolute_url())


@login_required
@require_POST
def block_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    block = permissions.get_cancellable_for(request.user, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        publishing.block_cancel(
            block=block, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
        messages.success(request, _("The beamtime is cancelled."))
    except ValidationError as error:
        _errors(request, error)
    if permissions.can_manage(request.user):
        return redirect(block.period.get_absolute_url())
    return redirect("scheduling:mine")


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    token, _created = FeedToken.objects.get_or_create(person=request.user)  # type: ignore[misc]
    blocks = list(selectors.my_blocks(request.user))
    for block in blocks:
        block.can_cancel = permissions.can_cancel(request.user, block)  # type: ignore[attr-defined]
    return render(request, "scheduling/mine.html", {"blocks": blocks, "token": token})


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


@require_GET
def feed_person(request: HttpRequest, token: str) -> HttpResponse:
    feed = get_object_or_404(FeedToken.objects.select_related("person"), token=token)
    from akari.beamtime.selectors import experiments_for_person

    experiments = experiments_for_person(feed.person).filter(status="scheduled")
    return _ics(ical.calendar(_("My beamtime"), experiments, with_titles=True), "beamtime")


@require_GET
def feed_beamline(request: HttpRequest, facility: str, code: str) -> HttpResponse:
    beamline = get_object_or_404(Beamline, facility__code=facility, code=code)
    experiments = selectors.published_experiments(beamline=beamline)
    return _ics(ical.calendar(f"{facility} {code}", experiments, with_titles=False), code)


@require_GET
def feed_facility(request: HttpRequest, facility: str) -> HttpResponse:
    place = get_object_or_404(Facility, code=facility)
    experiments = selectors.published_experiments(facility=place)
    return _ics(ical.calendar(place.code, experiments, with_titles=False), place.code)
