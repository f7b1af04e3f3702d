"""Public pages of calls for proposals (no login needed to read them)."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from akari.accounts.models import User
from akari.core import clock
from akari.proposals import permissions, selectors, services
from akari.proposals.forms import StartForm
from akari.proposals.models import Call
from akari.proposals.rules import unit_rule, window_problems
from akari.proposals.views.common import apply


def call_list(request: HttpRequest) -> HttpResponse:
    """Calls open for proposals now, and the ones under review or decided."""
    calls = list(selectors.public_calls())
    return render(
        request,
        "proposals/call_list.html",
        {
            "open_calls": [c for c in calls if c.status == c.Status.OPEN],
            "other_calls": [c for c in calls if c.status != c.Status.OPEN],
        },
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    form = StartForm(call=call) if request.user.is_authenticated else None
    return _call_page(request, call, form)


def _call_page(request: HttpRequest, call: Call, form: StartForm | None) -> HttpResponse:
    return render(
        request,
        "proposals/call_detail.html",
        {
            "call": call,
            "form": form,
            "accepting": not window_problems(call, now=clock.now()),
            "unit_rule": unit_rule(call),
            "pack": call.policy_version.pack,
        },
    )


@login_required
@require_POST
def proposal_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a draft in the call (any signed-in person), then edit it."""
    call = permissions.get_call_for(request.user, pk)
    form = StartForm(request.POST, call=call)
    if form.is_valid():
        proposal = apply(
            form,
            lambda: services.proposal_create(
                call=call, route=form.cleaned_data["route"], actor=cast(User, request.user)
            ),
        )
        if proposal is not None:
            return redirect("proposals:edit", proposal.pk)
    return _call_page(request, call, form)
