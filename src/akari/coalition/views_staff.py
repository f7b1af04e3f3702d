"""Staff pages of the coalition: every booking (with the member), booking windows, members,
and the round-1 allocation runs with their lottery record."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from akari.beamtime.services import window_close, window_open
from akari.coalition import allocation, permissions, policy, rounds, selectors, services
from akari.coalition.errors import BookingRefused
from akari.coalition.forms import AllocationForm, MembershipForm, WindowForm
from akari.coalition.models import AllocationRun, Booking
from akari.core import clock


@login_required
@require_GET
def staff_bookings(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_staff(request.user))
    beamline = request.GET.get("beamline", "")
    status = request.GET.get("status", "")
    rows = list(selectors.staff_bookings(beamline=beamline, status=status)[:300])
    return render(
        request,
        "coalition/staff/bookings.html",
        {
            "bookings": rows,
            "beamlines": selectors.coalition_beamlines(),
            "statuses": Booking.Status.choices,
            "beamline": beamline,
            "status": status,
            "can_manage": permissions.can_manage(request.user),
            "now": clock.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_windows(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_staff(request.user))
    form = WindowForm(request.POST or None)
    if request.method == "POST":
        permissions.require(permissions.can_manage(request.user))
        if form.is_valid():
            action = window_open if form.cleaned_data["action"] == "open" else window_close
            intervals = form.intervals()
            for start, end in intervals:
                action(
                    beamline=form.cleaned_data["beamline"],
                    programme=policy.PROGRAMME,
                    start=start,
                    end=end,
                    actor=request.user,
                )
            messages.success(request, _("%(n)d day(s) updated.") % {"n": len(intervals)})
            return redirect("coalition:staff-windows")
    start = rounds.month_start(clock.now())
    windows = selectors.upcoming_windows(start, rounds.add_months(start, 3))[:500]
    return render(
        request,
        "coalition/staff/windows.html",
        {"form": form, "windows": windows, "can_manage": permissions.can_manage(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_members(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_staff(request.user))
    form = MembershipForm(request.POST or None)
    if request.method == "POST":
        permissions.require(permissions.can_manage(request.user))
        if form.is_valid():
            try:
                services.membership_create(
                    organisation=form.cleaned_data["organisation"],
                    member_class=form.cleaned_data["member_class"],
                    units=form.cleaned_data["units"],
                    joined_on=form.cleaned_data["joined_on"],
                    joining_fiscal_year=form.cleaned_data["joining_fiscal_year"],
                    actor=request.user,
                )
            except BookingRefused as refused:
                form.add_error(None, refused.text)
            else:
                messages.success(request, _("The member was admitted and its hours granted."))
                return redirect("coalition:staff-members")
    classes = {c.code: rounds.text(c.name) for c in policy.pack().member_classes}
    rows = list(selectors.memberships())
    for row in rows:
        row.class_name = classes.get(row.member_class, row.member_class)  # type: ignore[attr-defined]
    return render(
        request,
        "coalition/staff/members.html",
        {"form": form, "memberships": rows, "can_manage": permissions.can_manage(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_allocation(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_staff(request.user))
    form = AllocationForm(request.POST or None)
    if request.method == "POST":
        permissions.require(permissions.can_manage(request.user))
        if form.is_valid():
            try:
                run = allocation.allocate(
                    month=form.month_date(), actor=request.user, seed=form.cleaned_data["seed"]
                )
            except ValidationError as error:
                form.add_error(None, error.messages[0])
            else:
                return redirect("coalition:staff-run", month=run.month.strftime("%Y-%m"))
    return render(
        request,
        "coalition/staff/allocation.html",
        {
            "form": form,
            "runs": selectors.runs(),
            "can_manage": permissions.can_manage(request.user),
        },
    )


@login_required
@require_GET
def staff_run(request: HttpRequest, month: str) -> HttpResponse:
    permissions.require(permissions.can_view_staff(request.user))
    try:
        day = dt.date.fromisoformat(f"{month}-01")
    except ValueError as exc:
        raise Http404("No such month.") from exc
    run = AllocationRun.objects.filter(month=day).select_related("ran_by").first()
    if run is None:
        raise Http404("No run for this month.")
    return render(
        request,
        "coalition/staff/run.html",
        {
            "run": run,
            "rows": selectors.run_rows(run),
            "replay_matches": allocation.replay(run) == run.draw,
        },
    )
