"""User-office pages: calls (create, change, open, close), a call's proposals with filters and
exports, and the full page of a proposal (every view of a proprietary one is audited)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akari.core.workflow import allowed_targets, history
from akari.policies.models import Programme
from akari.proposals import export, permissions, selectors, services
from akari.proposals.forms import CallFilterForm, CallForm
from akari.proposals.models import Call
from akari.proposals.rules import unit_rule
from akari.proposals.views.applicant import record_view
from akari.proposals.views.common import apply


def staff_only[F: Callable[..., HttpResponse]](view: F) -> F:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.can_view_staff_pages(request.user):
            raise PermissionDenied(_("This page is for the user office."))
        return view(request, *args, **kwargs)

    return login_required(wrapped)  # type: ignore[return-value]


@staff_only
def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "proposals/staff/call_list.html",
        {
            "calls": selectors.staff_calls(),
            "programmes": selectors.programmes_with_calls(),
        },
    )


EDITABLE = ("title_ja", "title_en", "period_start", "period_end", *CallForm.DATE_FIELDS)


@staff_only
def call_create(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = get_object_or_404(Programme, code=programme_code)
    form = CallForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = apply(
            form,
            lambda: services.call_create(
                programme=programme,
                code=data["code"],
                kind=data["kind"],
                title_ja=data["title_ja"],
                title_en=data["title_en"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                beamlines=form.offer(),
                actor=request.user,
                **form.dates(),
            ),
        )
        if call is not None:
            messages.success(request, _("The call has been created, in preparation."))
            return redirect("proposals:staff_call", call.pk)
    return render(request, "proposals/staff/call_form.html", {"form": form, "programme": programme})


@staff_only
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    initial = {
        name: getattr(call, name)
        for name in ("title_ja", "title_en", "period_start", "period_end", *CallForm.DATE_FIELDS)
    }
    initial |= {
        f"units_{cb.beamline_id}": cb.units_available for cb in call.offered_beamlines.all()
    }
    form = CallForm(request.POST or None, programme=call.programme, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            name: data[name]
            for name in (
                "title_ja",
                "title_en",
                "period_start",
                "period_end",
                *CallForm.DATE_FIELDS,
            )
        }

        def save() -> Call:
            services.call_update(call=call, actor=request.user, **changes)
            return services.call_set_beamlines(
                call=call, beamlines=form.offer(), actor=request.user
            )

        if apply(form, save) is not None:
            messages.success(request, _("The call has been saved."))
            return redirect("proposals:staff_call", call.pk)
    return render(
        request,
        "proposals/staff/call_form.html",
        {"form": form, "programme": call.programme, "call": call},
    )


@staff_only
@require_POST
def call_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    verbs = {"open": services.call_open, "close": services.call_close}
    if action not in verbs:
        raise PermissionDenied
    try:
        verbs[action](call=call, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The call is now “%(status)s”.") % {"status": _status(call)})
    return redirect("proposals:staff_call", call.pk)


def _status(call: Call) -> str:
    call.refresh_from_db(fields=["status"])
    return str(call.get_status_display())


@staff_only
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    filters = CallFilterForm(request.GET or None, call=call)
    proposals = selectors.call_proposals(call, filters.filters())
    return render(
        request,
        "proposals/staff/call_detail.html",
        {
            "call": call,
            "filters": filters,
            "proposals": proposals,
            "unit_rule": unit_rule(call),
            "can_open": Call.Status.OPEN in allowed_targets(Call, call.status),
            "can_close": Call.Status.CLOSED in allowed_targets(Call, call.status),
            "query": request.GET.urlencode(),
        },
    )


@staff_only
def call_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    call = permissions.get_call_for(request.user, pk)
    filters = CallFilterForm(request.GET or None, call=call)
    rows = export.proposal_rows(selectors.call_proposals(call, filters.filters()))
    if fmt == "xlsx":
        content = export.as_xlsx(rows, title=call.code)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(export.as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="proposals-{call.code}.{fmt}"'
    return response


@staff_only
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about a proposal, its full status and history; audited when proprietary."""
    proposal = permissions.get_proposal_for(request.user, pk)
    record_view(request, proposal)
    return render(
        request,
        "proposals/staff/proposal_detail.html",
        {
            "proposal": proposal,
            "pi": selectors.principal_investigator(proposal),
            "history": history(proposal),
            "unit_rule": unit_rule(proposal.call),
        },
    )
