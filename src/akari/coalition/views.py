"""Member pages of the coalition: dashboard, month calendar, booking (with the round in force,
refreshed by htmx), my bookings (cancel with a refund preview), round-1 requests, the waitlist,
the member administrator's people page and the iCal feed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akari.coalition import allocation, ical, permissions, policy, rounds, selectors, services
from akari.coalition import waitlist as waiting
from akari.coalition.errors import BookingRefused
from akari.coalition.forms import PersonAddForm, RequestForm, SlotForm, WaitlistForm
from akari.coalition.ledger import fiscal_year_of
from akari.coalition.models import Booking, MemberPerson, Membership
from akari.core import clock
from akari.policies.selectors import NoPolicyInForce


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _member_ids(request: HttpRequest) -> list[int]:
    return [m.pk for m in permissions.memberships_of(request.user)]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    cards = [
        {
            "membership": m,
            "accounts": list(selectors.accounts(m)),
            "history": list(selectors.history(m, limit=20)),
            "class_name": _class_name(m.member_class),
        }
        for m in permissions.memberships_of(request.user)
    ]
    return render(
        request,
        "coalition/dashboard.html",
        {
            "cards": cards,
            "is_staff": permissions.can_view_staff(request.user),
            "administered": permissions.administered_memberships(request.user),
            "rounds": _round_table(),
        },
    )


def _class_name(code: str) -> str:
    try:
        klass = policy.member_class(code)
    except NoPolicyInForce:
        return code
    return rounds.text(klass.name) if klass else code


def _round_table() -> list[dict[str, Any]]:
    """When each round of the next three months opens and closes (for a slot on the 15th);
    empty when no coalition policy is loaded."""
    try:
        booking = policy.booking_policy()
    except NoPolicyInForce:
        return []
    start = rounds.month_start(clock.now())
    rows = []
    for offset in range(1, 4):
        month = rounds.add_months(start, offset)
        sample = month + dt.timedelta(days=14, hours=9)
        rows.append(
            {
                "month": rounds.month_label(month),
                "phases": [
                    {"name": rounds.text(p.rule.name), "opens": p.opens, "closes": p.closes}
                    for p in rounds.phases(sample, booking)
                ],
            }
        )
    return rows


@login_required
@require_GET
def month_calendar(request: HttpRequest) -> HttpResponse:
    beamlines = list(selectors.coalition_beamlines())
    if not beamlines:
        raise Http404("No coalition beamline.")
    code = request.GET.get("beamline") or beamlines[0].code
    beamline = next((b for b in beamlines if b.code == code), None)
    if beamline is None:
        raise Http404("No such beamline.")
    try:
        month = dt.date.fromisoformat(f"{request.GET['month']}-01")
    except (KeyError, ValueError):
        month = clock.today().replace(day=1)
    memberships = permissions.memberships_of(request.user)
    own = memberships[0] if memberships else None
    start = rounds.month_start(month)
    return render(
        request,
        "coalition/calendar.html",
        {
            "beamline": beamline,
            "beamlines": beamlines,
            "month": month,
            "month_label": rounds.month_label(start),
            "previous": rounds.add_months(start, -1).strftime("%Y-%m"),
            "next": rounds.add_months(start, 1).strftime("%Y-%m"),
            "days": selectors.month_grid(beamline, month, own),
            "hours": range(24),
        },
    )


def _status_context(form: SlotForm, request: HttpRequest) -> dict[str, object]:
    """The round in force for the chosen slot and the member's hours left (htmx partial)."""
    context: dict[str, object] = {}
    if form.is_valid():
        membership: Membership = form.cleaned_data["membership"]
        start, end = form.interval()
        check = rounds.direct_booking(
            slot_start=start,
            now=clock.now(),
            member_class=membership.member_class,
            policy=policy.booking_policy(),
            classes=policy.pack().member_classes,
        )
        if not check.allowed and permissions.can_manage(request.user):
            check = rounds.RoundCheck(True, 0, "staff", _("Staff booking for a member."))
        context = {
            "check": check,
            "round_name": _round_name(check.round),
            "fiscal_year": fiscal_year_of(start),
            "available": selectors.available_hours(membership, fiscal_year_of(start)),
            "start": start,
            "end": end,
            # the fee estimate for this slot (billing's embeddable estimator)
            "estimate_route": f"{policy.PROGRAMME}:{form.cleaned_data.get('use_type') or 'basic'}",
            "estimate_hours": int((end - start).total_seconds() // 3600),
            "joining_fiscal_year": membership.joining_fiscal_year,
        }
    return context


def _round_name(number: int | None) -> str:
    if not number:
        return ""
    for rule in policy.booking_policy().rounds:
        if rule.number == number:
            return rounds.text(rule.name)
    return ""


def _booking_memberships(request: HttpRequest) -> list[Membership]:
    if permissions.can_manage(request.user):
        return list(Membership.objects.filter(status=Membership.Status.ACTIVE))
    return permissions.bookable_memberships(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    memberships = _booking_memberships(request)
    permissions.require(bool(memberships))
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = SlotForm(data, memberships=memberships)
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "coalition/_round_status.html", _status_context(form, request))
    if request.method == "POST" and form.is_valid():
        start, end = form.interval()
        membership = form.cleaned_data["membership"]
        staff = permissions.can_manage(request.user) and membership not in (
            permissions.bookable_memberships(request.user)
        )
        try:
            booking = services.booking_create(
                membership=membership,
                person=request.user,
                beamline=form.cleaned_data["beamline"],
                start=start,
                end=end,
                use_type=form.cleaned_data["use_type"],
                by_staff=request.user if staff else None,
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except BookingRefused as refused:
            form.add_error(None, refused.text)
        else:
            messages.success(
                request, _("Booking %(reference)s confirmed.") % {"reference": booking.reference}
            )
            return redirect("coalition:bookings")
    return render(
        request,
        "coalition/book.html",
        {"form": form, **_status_context(form, request), "token": uuid.uuid4().hex},
    )


@login_required
@require_GET
def bookings(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.is_member_person(request.user))
    rows = list(selectors.member_bookings(_member_ids(request))[:200])
    now = clock.now()
    for booking in rows:
        preview = (
            services.refund_preview(booking, now)
            if booking.status == Booking.Status.CONFIRMED and booking.start > now
            else None
        )
        booking.preview = preview  # type: ignore[attr-defined]
        booking.may_cancel = preview is not None and permissions.can_cancel(  # type: ignore[attr-defined]
            request.user, booking
        )
    feed = next(iter(permissions.member_rows(request.user)), None)
    return render(
        request,
        "coalition/bookings.html",
        {
            "bookings": rows,
            "feed_url": request.build_absolute_uri(
                reverse("coalition:ical", args=[feed.calendar_token])
            )
            if feed
            else "",
        },
    )


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = permissions.get_booking_for(request.user, pk)
    permissions.require(permissions.can_cancel(request.user, booking))
    try:
        services.booking_cancel(
            booking=booking, actor=request.user, reason=_("Cancelled by the member")
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("Booking %(reference)s cancelled.") % {"reference": booking.reference}
        )
    if permissions.can_view_staff(request.user) and not permissions.is_member_person(request.user):
        return redirect("coalition:staff-bookings")
    return redirect("coalition:bookings")


@login_required
@require_http_methods(["GET", "POST"])
def requests_page(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.is_member_person(request.user))
    memberships = permissions.bookable_memberships(request.user)
    form = RequestForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and memberships and form.is_valid():
        start, end = form.interval()
        try:
            allocation.request_submit(
                membership=form.cleaned_data["membership"],
                person=request.user,
                beamline=form.cleaned_data["beamline"],
                start=start,
                end=end,
                use_type=form.cleaned_data["use_type"],
            )
        except BookingRefused as refused:
            form.add_error(None, refused.text)
        else:
            messages.success(request, _("Your round-1 request is recorded; its hours are held."))
            return redirect("coalition:requests")
    return render(
        request,
        "coalition/requests.html",
        {
            "form": form if memberships else None,
            "requests": selectors.member_requests(_member_ids(request))[:200],
        },
    )


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_request_for(request.user, pk)
    try:
        allocation.request_withdraw(request=item, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect("coalition:requests")


@login_required
@require_http_methods(["GET", "POST"])
def waitlist_page(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.is_member_person(request.user))
    memberships = permissions.bookable_memberships(request.user)
    form = WaitlistForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and memberships and form.is_valid():
        start, end = form.interval()
        try:
            waiting.waitlist_join(
                membership=form.cleaned_data["membership"],
                person=request.user,
                beamline=form.cleaned_data["beamline"],
                start=start,
                end=end,
                use_type=form.cleaned_data["use_type"],
            )
        except BookingRefused as refused:
            form.add_error(None, refused.text)
        else:
            messages.success(request, _("You are on the waiting list for this slot."))
            return redirect("coalition:waitlist")
    return render(
        request,
        "coalition/waitlist.html",
        {
            "form": form if memberships else None,
            "entries": selectors.member_waitlist(_member_ids(request))[:200],
        },
    )


@login_required
@require_POST
def waitlist_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    entry = permissions.get_waitlist_entry_for(request.user, pk)
    try:
        if answer == "accept":
            booking = waiting.waitlist_accept(entry=entry, actor=request.user)
            messages.success(
                request, _("Booking %(reference)s confirmed.") % {"reference": booking.reference}
            )
        else:
            waiting.waitlist_decline(entry=entry, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect("coalition:waitlist")


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    administered = (
        list(Membership.objects.select_related("organisation"))
        if permissions.can_manage(request.user)
        else permissions.administered_memberships(request.user)
    )
    permissions.require(bool(administered))
    membership = next((m for m in administered if pk is None or m.pk == pk), None)
    if membership is None:
        raise Http404("No such membership.")
    form = PersonAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_person_add(
                membership=membership,
                email=form.cleaned_data["email"],
                can_book=form.cleaned_data["can_book"],
                is_admin=form.cleaned_data["is_admin"],
                actor=request.user,
            )
        except BookingRefused as refused:
            form.add_error("email", refused.text)
        else:
            messages.success(request, _("The person was added."))
            return redirect("coalition:people-of", pk=membership.pk)
    rows = MemberPerson.objects.filter(membership=membership).select_related("person")
    return render(
        request,
        "coalition/people.html",
        {"membership": membership, "rows": rows, "form": form, "administered": administered},
    )


@login_required
@require_POST
def person_change(request: HttpRequest, pk: int, change: str) -> HttpResponse:
    row = permissions.get_member_person_for(request.user, pk)
    if change == "remove":
        services.member_person_remove(member=row, actor=request.user)
    elif change == "toggle-booking":
        services.member_person_update(member=row, actor=request.user, can_book=not row.can_book)
    elif change == "toggle-admin":
        services.member_person_update(member=row, actor=request.user, is_admin=not row.is_admin)
    else:
        raise Http404("No such change.")
    return redirect("coalition:people-of", pk=row.membership_id)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    row = (
        MemberPerson.objects.select_related("membership", "person")
        .filter(calendar_token=token)
        .first()
    )
    if row is None or not row.person.is_active:
        raise Http404("No such calendar.")
    response = HttpResponse(ical.feed(row), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="coalition.ics"'
    return response
