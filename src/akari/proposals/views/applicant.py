"""Applicants' pages: my proposals, a proposal's page, submit, withdraw, copy, PDF, files."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from akari.accounts.models import User
from akari.core import clock
from akari.proposals import permissions, selectors, services
from akari.proposals.forms import CopyForm, WithdrawForm
from akari.proposals.models import Attachment, Proposal
from akari.proposals.pdf import render_pdf
from akari.proposals.rules import submission_problems, unit_rule
from akari.proposals.views.common import apply


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def record_view(request: HttpRequest, proposal: Proposal, what: str = "page") -> None:
    services.proposal_viewed(proposal=proposal, actor=request.user, what=what)


@login_required
def my_proposals(request: HttpRequest) -> HttpResponse:
    """Every proposal where I am on the team, with its coarse public status."""
    proposals = selectors.my_proposals(request.user)
    return render(request, "proposals/my_proposals.html", {"proposals": proposals})


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's page of a proposal (public status only). User-office staff are sent to the
    staff page; reviewers read the content as :func:`permissions.proposal_display_for` allows."""
    proposal = permissions.get_proposal_for(request.user, pk)
    is_team = permissions.is_team_member(request.user, proposal)
    if not is_team and permissions.is_staff(request.user):
        return redirect("proposals:staff_proposal", proposal.pk)
    record_view(request, proposal)
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "display": permissions.proposal_display_for(request.user, proposal),
            "is_team": is_team,
            "pi": selectors.principal_investigator(proposal),
            "can_edit": permissions.can_edit(request.user, proposal),
            "can_submit": permissions.can_submit(request.user, proposal),
            "can_withdraw": permissions.can_withdraw(request.user, proposal),
            "can_copy": permissions.can_copy(request.user, proposal),
            "unit_rule": unit_rule(proposal.call),
            "show_awarded": is_team and proposal.status == Proposal.Status.ACCEPTED,
        },
    )


def _team_proposal(request: HttpRequest, pk: int) -> Proposal:
    """A proposal of the requester's team; 404 for anyone else (even staff)."""
    proposal = permissions.get_proposal_for(request.user, pk)
    if not permissions.is_team_member(request.user, proposal):
        raise Http404(_("No such proposal."))
    return proposal


@login_required
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the checklist of every problem left; POST: submit (the PI)."""
    proposal = _team_proposal(request, pk)
    if not permissions.can_submit(request.user, proposal):
        raise PermissionDenied(_("Only the principal investigator submits a draft."))
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.proposal_submit(proposal=proposal, actor=_user(request))
        except services.SubmissionRefused as refused:
            problems = refused.messages
        else:
            messages.success(request, _("Your proposal has been submitted."))
            return redirect("proposals:detail", proposal.pk)
    else:
        current = selectors.proposal_for_submission(proposal.pk)
        problems = submission_problems(
            current,
            offered={cb.beamline_id for cb in proposal.call.offered_beamlines.all()},
            routes=set(proposal.call.routes.values_list("pk", flat=True)),
            now=clock.now(),
        )
    return render(
        request,
        "proposals/submit.html",
        {"proposal": proposal, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _team_proposal(request, pk)
    if not permissions.can_withdraw(request.user, proposal):
        raise PermissionDenied(_("Only the principal investigator withdraws a proposal."))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply(
            form,
            lambda: services.proposal_withdraw(
                proposal=proposal, actor=_user(request), reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The proposal has been withdrawn."))
            return redirect("proposals:detail", proposal.pk)
    return render(request, "proposals/withdraw.html", {"proposal": proposal, "form": form})


@login_required
def proposal_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy for a resubmission: a new draft in an open call."""
    proposal = _team_proposal(request, pk)
    calls = selectors.open_calls().filter(programme=proposal.call.programme)
    form = CopyForm(request.POST or None, calls=calls)
    if request.method == "POST" and form.is_valid():
        copy = apply(
            form,
            lambda: services.proposal_copy(
                proposal=proposal, call=form.cleaned_data["call"], actor=_user(request)
            ),
        )
        if copy is not None:
            messages.success(request, _("A new draft has been made from the proposal."))
            return redirect("proposals:edit", copy.pk)
    return render(request, "proposals/copy.html", {"proposal": proposal, "form": form})


@login_required
def proposal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal as a PDF (for panels, staff and the team)."""
    proposal = permissions.get_proposal_for(request.user, pk)
    record_view(request, proposal, what="pdf")
    display = permissions.proposal_display_for(request.user, proposal)
    content = render_pdf(proposal, display=display, full=not display.hidden)
    name = f"{proposal.number or f'draft-{proposal.pk}'}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> Any:
    proposal = permissions.get_proposal_for(request.user, pk)
    if permissions.proposal_display_for(request.user, proposal).hidden:
        raise Http404(_("No such file."))
    attachment = get_object_or_404(Attachment, pk=attachment_pk, proposal=proposal)
    record_view(request, proposal, what=f"attachment:{attachment.pk}")
    return FileResponse(
        attachment.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=attachment.original_name,
    )
