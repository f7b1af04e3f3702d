"""The selection committee's pages: calls, a call's overview, the committee table of a beamline,
and the committee's actions (override a row, adopt the proposed allocation, publish the
decisions, offer freed beamtime to the waitlist), plus the ranking export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from akari.proposals.models import Call
from akari.selection import export, permissions, selectors, services
from akari.selection.forms import DecisionForm


def _require_view(request: HttpRequest) -> None:
    if not permissions.can_view_committee(request.user):
        raise PermissionDenied


def _require_decide(request: HttpRequest) -> None:
    if not permissions.can_decide(request.user):
        raise PermissionDenied


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    calls = permissions.calls_visible_to(request.user)
    return render(request, "selection/call_list.html", {"calls": calls})


@login_required
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    return render(
        request,
        "selection/call_detail.html",
        {
            "call": call,
            "overview": selectors.call_overview(call),
            "undecided": selectors.undecided_count(call),
            "can_decide": permissions.can_decide(request.user),
        },
    )


@login_required
@require_GET
def committee(request: HttpRequest, pk: int, beamline: str) -> HttpResponse:
    call, offered = permissions.get_offered_for(request.user, pk, beamline)
    table = selectors.committee_table(call, offered)
    return render(
        request,
        "selection/committee.html",
        {
            "call": call,
            "table": table,
            "can_decide": permissions.can_decide(request.user)
            and call.status == Call.Status.CLOSED,
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, beamline: str, proposal: int) -> HttpResponse:
    call, offered = permissions.get_offered_for(request.user, pk, beamline)
    chosen = permissions.get_committee_proposal_for(request.user, call, offered, proposal)
    _require_decide(request)
    form = DecisionForm(request.POST)
    back = redirect("selection:committee", pk=call.pk, beamline=offered.beamline.code)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return back
    try:
        services.decision_override(
            proposal=chosen,
            beamline=offered.beamline,
            outcome=form.cleaned_data["outcome"],
            units=form.cleaned_data["units"] or 0,
            actor=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("Decision recorded for %(number)s.") % {"number": chosen.number}
        )
    return back


@login_required
@require_POST
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    _require_decide(request)
    try:
        done = services.decisions_adopt(call=call, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _(
                "Proposed allocation recorded: %(accepted)s accepted, %(waitlisted)s waitlisted, "
                "%(rejected)s rejected."
            )
            % {
                "accepted": done.accepted,
                "waitlisted": done.waitlisted,
                "rejected": done.rejected,
            },
        )
    return redirect("selection:call", pk=call.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    _require_decide(request)
    try:
        sent = services.decisions_publish(call=call, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "Decisions published: %(count)s letter sent.",
                "Decisions published: %(count)s letters sent.",
                sent,
            )
            % {"count": sent},
        )
    return redirect("selection:call", pk=call.pk)


@login_required
@require_POST
def fill_waitlist(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    _require_decide(request)
    promoted = services.waitlist_fill(call=call, actor=request.user)  # type: ignore[arg-type]
    if promoted:
        messages.success(
            request,
            _("Freed beamtime offered to: %(numbers)s.")
            % {"numbers": ", ".join(p.number or "" for p in promoted)},
        )
    else:
        messages.info(request, _("No waitlisted proposal fits the beamtime that is free."))
    return redirect("selection:call", pk=call.pk)


@login_required
@require_GET
def ranking_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    if fmt not in export.FORMATS:
        raise Http404("No such format.")
    return export.response(call, fmt)
